// MIME helpers: media-type parameters and the root part of multipart/related (XOP).
#include "common/mime.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <sstream>

#include "common/mtom.h"

namespace renkei {

std::string MediaType(const std::string& content_type) {
  std::string value;
  Poco::Net::NameValueCollection params;
  Poco::Net::MessageHeader::splitParameters(content_type, value, params);
  return Poco::toLower(Poco::trim(value));
}

std::string MediaTypeParameter(const std::string& content_type, const std::string& name) {
  std::string value;
  Poco::Net::NameValueCollection params;
  Poco::Net::MessageHeader::splitParameters(content_type, value, params);
  return params.get(name, "");
}

Result<std::string> MultipartRootPart(const std::string& content_type, const std::string& body) {
  // The streaming reader over the bytes at hand: one multipart parser in the project.
  std::istringstream in(body);
  MtomLimits limits;
  limits.max_root_bytes = body.size();
  limits.max_parts = 1 << 20;
  Result<MtomRoot> root = ReadMtom(in, content_type, limits, {});  // other parts dropped
  if (!root.ok()) return Status::InvalidArgument("mime", root.status().message());
  return std::move(root->body);
}

}  // namespace renkei
