#include "pix/capability_statement.h"

#include <Poco/Net/HTTPServerResponse.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/fhir_outcome.h"
#include "pix/fhir_http.h"

namespace renkei::pix {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Code(Writer& w, const char* key, const char* code) {
  w.StartObject();
  w.Key(key);
  w.String(code);
  w.EndObject();
}

}  // namespace

std::string CapabilityStatementJson(const std::string& software_version) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("resourceType");
  w.String("CapabilityStatement");
  w.Key("status");
  w.String("active");
  w.Key("date");
  w.String("2026-11-25");
  w.Key("kind");
  w.String("instance");
  w.Key("software");
  w.StartObject();
  w.Key("name");
  w.String("Renkei centre");
  w.Key("version");
  w.String(software_version.c_str());
  w.EndObject();
  w.Key("fhirVersion");
  w.String("4.0.1");
  w.Key("format");
  w.StartArray();
  w.String("application/fhir+json");
  w.String("application/fhir+xml");
  w.EndArray();
  w.Key("implementationGuide");
  w.StartArray();
  w.String("https://profiles.ihe.net/ITI/PIXm/ImplementationGuide/ihe.iti.pixm");
  w.String("https://profiles.ihe.net/ITI/PDQm/ImplementationGuide/ihe.iti.pdqm");
  w.String("https://profiles.ihe.net/ITI/MHD/ImplementationGuide/ihe.iti.mhd");
  w.EndArray();
  w.Key("rest");
  w.StartArray();
  w.StartObject();
  w.Key("mode");
  w.String("server");
  w.Key("resource");
  w.StartArray();
  w.StartObject();
  w.Key("type");
  w.String("Patient");
  w.Key("interaction");
  w.StartArray();
  for (const char* i : {"read", "search-type", "update", "delete"}) Code(w, "code", i);
  w.EndArray();
  w.Key("conditionalUpdate");
  w.Bool(true);
  w.Key("conditionalDelete");
  w.String("single");
  w.Key("searchParam");
  w.StartArray();
  static const std::pair<const char*, const char*> kParams[] = {
      {"_id", "token"},      {"identifier", "token"}, {"family", "string"},
      {"given", "string"},   {"name", "string"},      {"birthdate", "date"},
      {"gender", "token"},   {"address", "string"},   {"telecom", "token"}};
  for (const auto& [name, type] : kParams) {
    w.StartObject();
    w.Key("name");
    w.String(name);
    w.Key("type");
    w.String(type);
    w.EndObject();
  }
  w.EndArray();
  w.Key("operation");
  w.StartArray();
  w.StartObject();
  w.Key("name");
  w.String("ihe-pix");
  w.Key("definition");
  w.String("https://profiles.ihe.net/ITI/PIXm/OperationDefinition/IHE.PIXm.pix");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  // MHD Document Responder (ITI-67 DocumentReference, ITI-66 List).
  static const std::pair<const char*, const char*> kDocumentReferenceParams[] = {
      {"patient", "reference"},     {"patient.identifier", "token"}, {"status", "token"},
      {"identifier", "token"},      {"type", "token"},               {"category", "token"},
      {"setting", "token"},         {"facility", "token"},           {"event", "token"},
      {"security-label", "token"},  {"format", "token"},             {"related", "token"},
      {"author.given", "string"},   {"author.family", "string"},     {"date", "date"},
      {"period", "date"},           {"creation", "date"}};
  static const std::pair<const char*, const char*> kListParams[] = {
      {"patient", "reference"},  {"patient.identifier", "token"}, {"code", "token"},
      {"status", "token"},       {"identifier", "token"},         {"designationType", "token"},
      {"date", "date"},          {"source.given", "string"},      {"source.family", "string"}};
  auto search_resource = [&w](const char* type, const auto& params) {
    w.StartObject();
    w.Key("type");
    w.String(type);
    w.Key("interaction");
    w.StartArray();
    for (const char* i : {"read", "search-type"}) Code(w, "code", i);
    w.EndArray();
    w.Key("searchParam");
    w.StartArray();
    for (const auto& [name, param_type] : params) {
      w.StartObject();
      w.Key("name");
      w.String(name);
      w.Key("type");
      w.String(param_type);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  };
  search_resource("DocumentReference", kDocumentReferenceParams);
  search_resource("List", kListParams);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

HttpHandler MakeMetadataHandler(const std::string& software_version) {
  const std::string json = CapabilityStatementJson(software_version);
  return [json](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    SendFhir(request, response, 200, json);
  };
}

}  // namespace renkei::pix
