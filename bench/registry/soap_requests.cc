// ITI-18 / ITI-42 benchmark request bodies (ITI TF-2 §3.18.4.1.2, §3.42.4.1.2).
#include "bench/registry/soap_requests.h"

#include "xds/xds_constants.h"

namespace renkei::bench {
namespace {

std::string AdhocQuery(const std::string& query_id, const std::string& return_type,
                       const std::string& slots) {
  std::string q = "<query:AdhocQueryRequest xmlns:query=\"";
  q += xds::kNsQuery;
  q += "\" xmlns:rim=\"";
  q += xds::kNsRim;
  q += "\"><query:ResponseOption returnComposedObjects=\"true\" returnType=\"" + return_type +
       "\"/><rim:AdhocQuery id=\"" + query_id + "\">" + slots +
       "</rim:AdhocQuery></query:AdhocQueryRequest>";
  return q;
}

std::string Slot(const std::string& name, const std::string& value) {
  return "<rim:Slot name=\"" + name + "\"><rim:ValueList><rim:Value>" + value +
         "</rim:Value></rim:ValueList></rim:Slot>";
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string FindDocumentsTemplate(const std::string& return_type, const std::string& to) {
  const std::string slots =
      Slot("$XDSDocumentEntryPatientId", std::string("'") + kValuePlaceholder + "'") +
      Slot("$XDSDocumentEntryStatus", std::string("('") + xds::kStatusApproved + "')");
  return xds::EncodeSoapRequest(xds::kActionStoredQuery, to,
                                AdhocQuery(xds::kSqFindDocuments, return_type, slots));
}

std::string GetDocumentsTemplate(const std::string& to) {
  const std::string slots =
      Slot("$XDSDocumentEntryUniqueId", std::string("('") + kValuePlaceholder + "')");
  return xds::EncodeSoapRequest(xds::kActionStoredQuery, to,
                                AdhocQuery(xds::kSqGetDocuments, "LeafClass", slots));
}

std::string RegisterRequest(const xds::SimpleSubmission& submission, const std::string& to) {
  return xds::EncodeSoapRequest(
      xds::kActionRegister, to,
      xds::EncodeSubmitObjectsRequest(xds::BuildSubmitObjectsRequest(submission)));
}

}  // namespace renkei::bench
