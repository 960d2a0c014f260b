// NIST XDS test engine run-time metadata substitution (patient id, uniqueIds, uuids).
#include "tests/conformance/metadata_rewriter.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

#include <Poco/UUIDGenerator.h>
#include <pugixml.hpp>

namespace renkei::conformance {
namespace {

constexpr const char* kPatientIdSchemes[] = {
    "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427",  // DocumentEntry.patientId
    "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446",  // SubmissionSet.patientId
    "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a"};  // Folder.patientId
constexpr const char* kUniqueIdSchemes[] = {
    "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab",  // DocumentEntry.uniqueId
    "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8",  // SubmissionSet.uniqueId
    "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a"};  // Folder.uniqueId
constexpr char kSourceIdScheme[] = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";

std::string_view Local(const char* qname) {
  const char* c = std::strchr(qname, ':');
  return c ? std::string_view(c + 1) : std::string_view(qname);
}

bool OneOf(std::string_view v, const char* const* list, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (v == list[i]) return true;
  }
  return false;
}

bool IsIdentifiable(std::string_view local) {
  return local == "ExtrinsicObject" || local == "RegistryPackage" || local == "Association" ||
         local == "Classification" || local == "ExternalIdentifier";
}

void CollectObjects(pugi::xml_node n, std::vector<pugi::xml_node>& out) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (IsIdentifiable(Local(c.name()))) out.push_back(c);
    CollectObjects(c, out);
  }
}

}  // namespace

std::string NewUuidUrn() {
  return "urn:uuid:" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

std::string NewUniqueIdOid() {
  static std::atomic<int> counter{0};
  static const long long start = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  return "1.3.6.1.4.1.21367.2026.99." + std::to_string(start) + "." +
         std::to_string(++counter);
}

AssignedIds RewriteSubmission(pugi::xml_node request, const RewriteOptions& options) {
  AssignedIds out;
  std::vector<pugi::xml_node> objects;
  CollectObjects(request, objects);
  // Patient ids, uniqueIds, sourceIds: on the ExternalIdentifiers of SS/DE/Folder.
  for (pugi::xml_node ei : objects) {
    if (Local(ei.name()) != "ExternalIdentifier") continue;
    std::string scheme = ei.attribute("identificationScheme").value();
    pugi::xml_node owner = ei.parent();
    std::string symbol = owner.attribute("id").value();
    if (symbol.empty()) symbol = ei.attribute("registryObject").value();
    pugi::xml_attribute value = ei.attribute("value");
    if (!value) value = ei.append_attribute("value");
    if (OneOf(scheme, kPatientIdSchemes, 3)) {
      if (options.replace_patient_id) value.set_value(options.patient_id.c_str());
      out.patient_ids[symbol] = value.value();
    } else if (OneOf(scheme, kUniqueIdSchemes, 3)) {
      // <NoAssignUids/> keeps DocumentEntry/Folder uniqueIds; the SubmissionSet still gets a
      // fresh one (NIST 20004/success_update expects Success for a SubmissionSet authored with
      // uniqueId "SubmissionSet01_uniqueid" under <NoAssignUids/>), unless named by id=.
      const bool is_ss = scheme == kUniqueIdSchemes[1];
      if ((options.assign_uids || is_ss) && options.keep_uid_symbols.count(symbol) == 0) {
        value.set_value(NewUniqueIdOid().c_str());
      }
      out.uids[symbol] = value.value();
    } else if (scheme == kSourceIdScheme) {
      if (!options.source_id.empty()) value.set_value(options.source_id.c_str());
      out.source_ids[symbol] = value.value();
    }
  }
  if (!options.assign_uuids) return out;
  // Symbolic ids -> urn:uuid, then every reference to them.
  for (pugi::xml_node o : objects) {
    std::string id = o.attribute("id").value();
    if (id.empty() || id.rfind("urn:uuid:", 0) == 0) continue;
    if (out.uuids.count(id) == 0) out.uuids[id] = NewUuidUrn();
  }
  static constexpr const char* kRefAttrs[] = {"id", "lid", "sourceObject", "targetObject",
                                              "classifiedObject", "registryObject"};
  for (pugi::xml_node o : objects) {
    for (const char* name : kRefAttrs) {
      pugi::xml_attribute a = o.attribute(name);
      if (!a) continue;
      auto it = out.uuids.find(a.value());
      if (it != out.uuids.end()) a.set_value(it->second.c_str());
    }
  }
  return out;
}

}  // namespace renkei::conformance
