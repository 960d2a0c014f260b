#include "common/mime.h"

#include <gtest/gtest.h>

namespace renkei {
namespace {

TEST(MimeTest, MediaTypeAndParameters) {
  const std::string ct =
      "multipart/related; boundary=MIMEBoundary_1; type=\"application/xop+xml\"; "
      "start=\"<0.root@apache.org>\"; start-info=\"application/soap+xml\"";
  EXPECT_EQ(MediaType(ct), "multipart/related");
  EXPECT_EQ(MediaTypeParameter(ct, "boundary"), "MIMEBoundary_1");
  EXPECT_EQ(MediaTypeParameter(ct, "start"), "<0.root@apache.org>");
  EXPECT_EQ(MediaTypeParameter(ct, "missing"), "");
}

TEST(MimeTest, RootPartByStartOrFirst) {
  const std::string body =
      "--b1\r\nContent-Type: text/plain\r\nContent-ID: <att@x>\r\n\r\nattachment\r\n"
      "--b1\r\nContent-Type: application/xop+xml\r\nContent-ID: <root@x>\r\n\r\n<Envelope/>\r\n"
      "--b1--\r\n";
  auto root = MultipartRootPart("multipart/related; boundary=b1; start=\"<root@x>\"", body);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, "<Envelope/>");
  auto first = MultipartRootPart("multipart/related; boundary=b1", body);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "attachment");
  EXPECT_FALSE(MultipartRootPart("multipart/related", body).ok());
  EXPECT_FALSE(MultipartRootPart("multipart/related; boundary=b1; start=\"<nope>\"", body).ok());
}

}  // namespace
}  // namespace renkei
