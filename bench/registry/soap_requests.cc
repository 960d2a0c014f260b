// ITI-18 / ITI-42 benchmark request bodies (ITI TF-2 §3.18.4.1.2, §3.42.4.1.2).
#include "bench/registry/soap_requests.h"

#include <utility>
#include <vector>

#include "xds/ebrim_codec.h"
#include "xds/xds_constants.h"

namespace renkei::bench {
namespace {

std::string AdhocQuery(const std::string& query_id, const std::string& return_type,
                       std::vector<xds::Slot> params) {
  xds::AdhocQueryRequest q;
  q.query_id = query_id;
  q.return_type = return_type;
  q.return_composed_objects = true;
  q.params = std::move(params);
  return xds::EncodeAdhocQueryRequest(q);
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
  return xds::EncodeSoapRequest(
      xds::kActionStoredQuery, to,
      AdhocQuery(xds::kSqFindDocuments, return_type,
                 {{"$XDSDocumentEntryPatientId", "", {std::string("'") + kValuePlaceholder + "'"}},
                  {"$XDSDocumentEntryStatus", "", {std::string("('") + xds::kStatusApproved + "')"}}}));
}

std::string GetDocumentsTemplate(const std::string& to) {
  return xds::EncodeSoapRequest(
      xds::kActionStoredQuery, to,
      AdhocQuery(xds::kSqGetDocuments, "LeafClass",
                 {{"$XDSDocumentEntryUniqueId", "", {std::string("('") + kValuePlaceholder + "')"}}}));
}

std::string RegisterRequest(const xds::SimpleSubmission& submission, const std::string& to) {
  return xds::EncodeSoapRequest(
      xds::kActionRegister, to,
      xds::EncodeSubmitObjectsRequest(xds::BuildSubmitObjectsRequest(submission)));
}

}  // namespace renkei::bench
