// MIME helpers: media-type parameters and the root part of multipart/related (XOP).
#include "common/mime.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>

#include <sstream>

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
  const std::string boundary = MediaTypeParameter(content_type, "boundary");
  if (boundary.empty()) {
    return Status::InvalidArgument("mime", "multipart body without a boundary parameter");
  }
  std::string start = MediaTypeParameter(content_type, "start");
  if (start.size() > 2 && start.front() == '<' && start.back() == '>') {
    start = start.substr(1, start.size() - 2);
  }
  try {
    std::istringstream in(body);
    Poco::Net::MultipartReader reader(in, boundary);
    std::string first;
    bool have_first = false;
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader header;
      reader.nextPart(header);
      std::stringstream part;
      part << reader.stream().rdbuf();
      std::string id = header.get("Content-ID", "");
      if (id.size() > 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
      if (!start.empty() && id == start) return part.str();
      if (!have_first) {
        first = part.str();
        have_first = true;
        if (start.empty()) return first;
      }
    }
    if (!have_first) return Status::InvalidArgument("mime", "multipart body has no part");
    if (!start.empty()) {
      return Status::InvalidArgument("mime", "no part has the Content-ID <" + start +
                                                 "> named by the start parameter");
    }
    return first;
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("mime", "malformed multipart body: " + e.displayText());
  }
}

}  // namespace renkei
