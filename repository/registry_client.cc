// ITI-42 / ITI-18 towards the centre (repository/registry_client.h).
#include "repository/registry_client.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <mutex>

#include "common/http_client.h"
#include "common/log.h"
#include "common/mime.h"
#include "xds/ebrim_codec.h"
#include "xds/metadata.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::repository {
namespace {

constexpr char kNotAvailable[] = "XDSRegistryNotAvailable";
constexpr size_t kIdsPerQuery = 100;

std::string QuotedList(const std::vector<std::string>& ids, size_t from, size_t to) {
  std::string v = "(";
  for (size_t i = from; i < to; ++i) {
    if (i > from) v += ",";
    v += "'";
    for (char c : ids[i]) {
      if (c == '\'') v += '\'';
      v += c;
    }
    v += "'";
  }
  return v + ")";
}

}  // namespace

struct RegistryClient::Impl {
  RegistryClientOptions options;
  std::string base;  // http://host:port
  std::string path;  // /xds/registry
  std::mutex mu;
  std::vector<std::unique_ptr<HttpClient>> idle;

  // One SOAP exchange on a pooled connection; the reply body's SOAP envelope.
  Result<std::string> Exchange(const char* action, const std::string& body_xml) {
    std::unique_ptr<HttpClient> client;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!idle.empty()) {
        client = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (!client) {
      auto c = HttpClient::Create(base, options.timeout_seconds, options.tls);
      if (!c.ok()) return Status::Unavailable(kNotAvailable, c.status().message());
      client = std::move(c.value());
    }
    const std::string envelope =
        xds::EncodeSoapRequest(action, options.registry_url, body_xml);
    std::map<std::string, std::string> headers;
    if (!options.facility_oid.empty()) headers["X-Renkei-Facility"] = options.facility_oid;
    Result<HttpReply> reply =
        client->Send("POST", path,
                     std::string("application/soap+xml; charset=UTF-8; action=\"") + action + "\"",
                     envelope, headers);
    if (!reply.ok()) {
      return Status::Unavailable(kNotAvailable, "the registry at " + options.registry_url +
                                                    " cannot be reached: " +
                                                    reply.status().message());
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      idle.push_back(std::move(client));
    }
    std::string soap = std::move(reply->body);
    if (MediaType(reply->content_type) == "multipart/related") {
      Result<std::string> root = MultipartRootPart(reply->content_type, soap);
      if (!root.ok()) {
        return Status::Unavailable(kNotAvailable, "the registry's answer is unreadable: " +
                                                      root.status().message());
      }
      soap = std::move(root.value());
    }
    return soap;
  }
};

RegistryClient::RegistryClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegistryClient::~RegistryClient() = default;

const std::string& RegistryClient::url() const { return impl_->options.registry_url; }

Result<std::unique_ptr<RegistryClient>> RegistryClient::Create(RegistryClientOptions options) {
  auto impl = std::make_unique<Impl>();
  try {
    Poco::URI uri(options.registry_url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty() ||
        uri.getPath().empty()) {
      throw Poco::SyntaxException("not an http:// or https:// URL with a path");
    }
    impl->base = uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
    impl->path = uri.getPathEtc();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("config", "config key 'registry.url': '" +
                                                 options.registry_url + "': " + e.displayText(),
                                   "registry.url");
  }
  impl->options = std::move(options);
  return std::unique_ptr<RegistryClient>(new RegistryClient(std::move(impl)));
}

Result<xds::RegistryResponse> RegistryClient::Register(const xds::SubmitObjectsRequest& request) {
  Result<std::string> soap =
      impl_->Exchange(xds::kActionRegister, xds::EncodeSubmitObjectsRequest(request));
  if (!soap.ok()) return soap.status();
  Result<xds::SoapMessage> message = xds::SoapMessage::Parse(*soap, xds::SoapLimits{});
  if (!message.ok()) {
    return Status::Unavailable(kNotAvailable, "the registry's answer is not SOAP: " +
                                                  message.status().message());
  }
  Result<xds::RegistryResponse> response = xds::DecodeRegistryResponse(*message);
  if (!response.ok()) {
    // A SOAP Fault or another element: the registry did not take the submission.
    xds::RegistryResponse failed;
    failed.status = xds::kResponseFailure;
    failed.errors.push_back(xds::ToRegistryError(response.status()));
    return failed;
  }
  return response;
}

Result<std::set<std::string>> RegistryClient::RegisteredUniqueIds(
    const std::vector<std::string>& unique_ids) {
  std::set<std::string> found;
  // One GetDocuments (LeafClass) for ids [from, to): Ok, or the refusal's error code in
  // *refused, or Unavailable.
  auto query = [&](size_t from, size_t to, std::string* refused) -> Status {
    xds::AdhocQueryRequest q;
    q.query_id = xds::kSqGetDocuments;
    q.return_type = "LeafClass";
    q.params.push_back({xds::kSqpDocUniqueId, "", {QuotedList(unique_ids, from, to)}});
    Result<std::string> soap =
        impl_->Exchange(xds::kActionStoredQuery, xds::EncodeAdhocQueryRequest(q));
    if (!soap.ok()) return soap.status();
    Result<xds::SoapMessage> message = xds::SoapMessage::Parse(*soap, xds::SoapLimits{});
    if (!message.ok()) return Status::Unavailable(kNotAvailable, message.status().message());
    xds::RegistryErrorList errors;
    Result<xds::AdhocQueryResponse> answer = xds::DecodeAdhocQueryResponse(*message, &errors);
    if (!answer.ok()) return Status::Unavailable(kNotAvailable, answer.status().message());
    if (answer->status == xds::kResponseFailure) {
      if (!errors.empty()) *refused = errors.front().error_code;
      return Status::Unavailable(kNotAvailable,
                                 "the registry refused GetDocuments: " +
                                     (errors.empty() ? std::string("no error given")
                                                     : errors.front().code_context));
    }
    for (const xds::RegistryObject& o : answer->objects) {
      if (o.kind != xds::ObjectKind::kExtrinsicObject) continue;
      found.insert(xds::ReadDocumentEntry(o).unique_id);
    }
    return Status::Ok();
  };
  for (size_t from = 0; from < unique_ids.size(); from += kIdsPerQuery) {
    const size_t to = std::min(unique_ids.size(), from + kIdsPerQuery);
    std::string refused;
    Status s = query(from, to, &refused);
    if (!s.ok() && refused == xds::XdsErrorCode(xds::XdsError::kResultNotSinglePatient)) {
      // A LeafClass answer may not mix patients (ITI TF-3 Table 4.2.4.1-2): the documents
      // held are of several, so ask for each alone (one uniqueId is one patient).
      s = Status::Ok();
      for (size_t i = from; i < to && s.ok(); ++i) s = query(i, i + 1, &refused);
    }
    if (!s.ok()) return s;
  }
  return found;
}

}  // namespace renkei::repository
