// GoogleTest helpers shared by the repository codec tests. Test-only; internal to xds/.
#ifndef RENKEI_XDS_INTERNAL_CODEC_TEST_UTIL_H_
#define RENKEI_XDS_INTERNAL_CODEC_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "common/status.h"
#include "xds/internal/test_vectors.h"

namespace renkei::xds::testing {

// A wire example (conformance/xds/wire-examples/`relative`). Fails the calling test, never
// skips it, when RENKEI_SOURCE_DIR is unset or the file cannot be read.
inline std::string Sample(const std::string& relative) {
  EXPECT_NE(std::getenv("RENKEI_SOURCE_DIR"), nullptr)
      << "RENKEI_SOURCE_DIR must name the source tree (the corpus is ../shared/conformance)";
  std::string text = ReadFile(WireExample(relative));
  EXPECT_FALSE(text.empty()) << "cannot read " << WireExample(relative);
  return text;
}

// `xml` without its XML declaration, so that it can go into a SOAP Body.
inline std::string WithoutDeclaration(const std::string& xml) {
  if (xml.rfind("<?xml", 0) != 0) return xml;
  return xml.substr(xml.find("?>") + 2);
}

// Every byte value, then some text: content no encoding may alter.
inline std::string AllBytes() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes + "tail";
}

// `status` is kInvalidArgument with this detail and location, its message containing
// `message_part`.
inline void ExpectInvalid(const Status& status, const std::string& detail,
                          const std::string& location, const std::string& message_part) {
  EXPECT_TRUE(status.IsInvalidArgument()) << status.ToString();
  EXPECT_EQ(status.detail(), detail) << status.ToString();
  EXPECT_EQ(status.location(), location) << status.ToString();
  EXPECT_NE(status.message().find(message_part), std::string::npos) << status.ToString();
}

}  // namespace renkei::xds::testing

#endif  // RENKEI_XDS_INTERNAL_CODEC_TEST_UTIL_H_
