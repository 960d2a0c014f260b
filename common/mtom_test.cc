// MTOM/XOP reader and writer helpers: round trips, binary safety, streaming of a large
// attachment, the NIST toolkit captures, and every error ReadMtom promises.
#include "common/mtom.h"

#include <gtest/gtest.h>
#include <strings.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace renkei {
namespace {

struct Part {
  std::string id;
  std::string type;
  std::string data;
};

struct Received {
  MimePartInfo info;
  std::string data;
};

// A body as the writer helpers build it.
std::string WriteBody(const std::string& boundary, const std::vector<Part>& parts) {
  std::string body;
  for (const Part& p : parts) body += MtomPartHeader(boundary, p.id, p.type) + p.data;
  return body + MtomClosing(boundary);
}

// A sink that keeps every part it is given.
MtomPartSink Collect(std::vector<Received>* out) {
  return [out](const MimePartInfo& info, std::istream& data) {
    out->push_back({info, std::string(std::istreambuf_iterator<char>(data), {})});
    return Status::Ok();
  };
}

Result<MtomRoot> Read(const std::string& content_type, const std::string& body,
                      const MtomPartSink& sink = {}, const MtomLimits& limits = {}) {
  std::istringstream in(body);
  return ReadMtom(in, content_type, limits, sink);
}

// $RENKEI_SOURCE_DIR/../shared/conformance/xds/wire-examples/<relative>; fails when unset.
::testing::AssertionResult ReadCorpus(const std::string& relative, std::string* text) {
  const char* src = std::getenv("RENKEI_SOURCE_DIR");
  if (src == nullptr) return ::testing::AssertionFailure() << "RENKEI_SOURCE_DIR is not set";
  std::ifstream in(
      std::filesystem::path(src) / "../shared/conformance/xds/wire-examples" / relative,
      std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  *text = s.str();
  if (text->empty()) return ::testing::AssertionFailure() << "cannot read " << relative;
  return ::testing::AssertionSuccess();
}

TEST(MtomWriterTest, HelpersMatchTheDocumentedFormatAndBoundariesAreRandom) {
  EXPECT_EQ(MtomContentType("B", "root@x"),
            "multipart/related; type=\"application/xop+xml\"; boundary=\"B\"; "
            "start=\"<root@x>\"; start-info=\"application/soap+xml\"");
  EXPECT_EQ(MtomContentType("B", "root@x", "urn:ihe:iti:2007:RetrieveDocumentSet"),
            "multipart/related; type=\"application/xop+xml\"; boundary=\"B\"; "
            "start=\"<root@x>\"; start-info=\"application/soap+xml\"; "
            "action=\"urn:ihe:iti:2007:RetrieveDocumentSet\"");
  EXPECT_EQ(MtomRootPartContentType(),
            "application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"");
  EXPECT_EQ(MtomPartHeader("B", "doc1@x", "application/pdf"),
            "\r\n--B\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\n"
            "Content-ID: <doc1@x>\r\n\r\n");
  EXPECT_EQ(MtomClosing("B"), "\r\n--B--\r\n");
  const std::string a = NewMtomBoundary();
  const std::string b = NewMtomBoundary();
  ASSERT_EQ(a.size(), 13u + 32u) << a;
  EXPECT_EQ(a.substr(0, 13), "MIMEBoundary_");
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef", 13), std::string::npos) << a;
  EXPECT_NE(a, b);
}

// Writer -> reader with the root first, then last (found through `start`).
TEST(MtomReadTest, RoundTripRootFirstAndRootLast) {
  const std::string boundary = NewMtomBoundary();
  const Part root{"root@renkei", MtomRootPartContentType(), "<Envelope>x</Envelope>"};
  const Part doc1{"doc1@renkei", "application/pdf", "%PDF-1.7 ..."};
  const Part empty{"empty@renkei", "text/plain", ""};
  for (bool root_last : {false, true}) {
    SCOPED_TRACE(root_last ? "root last" : "root first");
    const std::vector<Part> parts =
        root_last ? std::vector<Part>{doc1, empty, root} : std::vector<Part>{root, doc1, empty};
    std::vector<Received> got;
    Result<MtomRoot> r = Read(MtomContentType(boundary, root.id, "urn:a"),
                              WriteBody(boundary, parts), Collect(&got));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->body, root.data);
    EXPECT_EQ(r->info.content_id, root.id);
    EXPECT_EQ(r->info.content_type, root.type);
    EXPECT_EQ(r->info.content_transfer_encoding, "binary");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].info.content_id, doc1.id);
    EXPECT_EQ(got[0].info.content_type, doc1.type);
    EXPECT_EQ(got[0].data, doc1.data);
    EXPECT_EQ(got[1].info.content_id, empty.id);
    EXPECT_EQ(got[1].data, "");
  }
}

TEST(MtomReadTest, RootIsTheFirstPartWithoutStartAndStartMayLackBrackets) {
  const std::string body = WriteBody("B", {{"a", "text/xml", "<A/>"}, {"b", "text/xml", "<B/>"}});
  std::vector<Received> got;
  Result<MtomRoot> first = Read("multipart/related; boundary=B", body, Collect(&got));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->body, "<A/>");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, "<B/>");
  Result<MtomRoot> second = Read("multipart/related; boundary=B; start=b", body);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "<B/>");
}

TEST(MtomReadTest, BinaryAttachmentIsByteIdentical) {
  const std::string boundary = NewMtomBoundary();
  std::string bin;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 256; ++i) bin += static_cast<char>(i);
  }
  // Line ends, dashes and delimiter prefixes that must stay data.
  bin += "\r\n--\r\n--x\n--\r\r\n\r\n--" + boundary.substr(0, boundary.size() - 1) + "\r\n";
  bin += "--" + boundary + "x\r\n" + std::string("\0\r\0\n", 4) + "\r\n-";
  // A last line "--" (or "--" and a prefix of the boundary) right before the delimiter: Poco's
  // MultipartStreamBuf kept the delimiter's CR as data there.
  for (const std::string& tail :
       {std::string(), std::string("\r"), std::string("\n"), std::string("\r\n--"),
        std::string("\n--"), "\r\n--" + boundary.substr(0, 5), std::string("--")}) {
    SCOPED_TRACE("tail \"" + tail + "\"");
    const std::string sent = bin + tail;
    std::vector<Received> got;
    Result<MtomRoot> r = Read(MtomContentType(boundary, "root"),
                              WriteBody(boundary, {{"root", MtomRootPartContentType(), "<E/>"},
                                                   {"bin", "application/octet-stream", sent}}),
                              Collect(&got));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].data.size(), sent.size());
    EXPECT_TRUE(got[0].data == sent) << "attachment bytes differ";
  }
}

// A body made on the fly: `head`, then `size` bytes of a binary pattern, then `tail`;
// produced() is how much ReadMtom has pulled so far.
class GeneratedBody : public std::streambuf {
 public:
  GeneratedBody(std::string head, size_t size, std::string tail)
      : head_(std::move(head)), tail_(std::move(tail)), left_(size) {
    for (size_t i = 0; i < (64 << 10); ++i) pattern_ += static_cast<char>(i % 251);
  }
  size_t produced() const { return produced_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (phase_ == 0) {
      chunk_ = head_, phase_ = 1;
    } else if (left_ > 0) {
      chunk_.assign(pattern_, 0, std::min(left_, pattern_.size()));
      left_ -= chunk_.size();
    } else if (phase_ == 1) {
      chunk_ = tail_, phase_ = 2;
    } else {
      return traits_type::eof();
    }
    produced_ += chunk_.size();
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string head_, tail_, pattern_, chunk_;
  size_t left_;
  int phase_ = 0;
  size_t produced_ = 0;
};

TEST(MtomReadTest, LargeAttachmentIsStreamedNotBuffered) {
  const size_t kSize = 20'000'000;
  const std::string boundary = NewMtomBoundary();
  const std::string head = MtomPartHeader(boundary, "root", MtomRootPartContentType()) +
                           "<Envelope/>" +
                           MtomPartHeader(boundary, "big", "application/octet-stream");
  GeneratedBody source(head, kSize, MtomClosing(boundary));
  std::istream in(&source);
  size_t counted = 0;
  size_t max_lag = 0;  // bytes read from the body but not yet given to the sink
  auto sink = [&](const MimePartInfo& info, std::istream& data) {
    std::vector<char> buf(64 << 10);
    while (data.read(buf.data(), static_cast<std::streamsize>(buf.size())) || data.gcount()) {
      counted += static_cast<size_t>(data.gcount());
      max_lag = std::max(max_lag, source.produced() - head.size() - counted);
    }
    return Status::Ok();
  };
  const auto t0 = std::chrono::steady_clock::now();
  Result<MtomRoot> r = ReadMtom(in, MtomContentType(boundary, "root"), MtomLimits{}, sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "<Envelope/>");
  EXPECT_EQ(counted, kSize);
  EXPECT_LT(max_lag, size_t{1} << 20) << "ReadMtom buffered the attachment";
  std::cout << "ReadMtom: " << kSize / 1e6 << " MB attachment in " << seconds * 1e3
            << " ms = " << kSize / 1e6 / seconds << " MB/s\n";
}

// Splits an HTTP message capture into its Content-Type header and its body.
void SplitHttp(const std::string& text, std::string* content_type, std::string* body) {
  size_t end = text.find("\r\n\r\n");
  size_t skip = 4;
  if (end == std::string::npos) end = text.find("\n\n"), skip = 2;
  ASSERT_NE(end, std::string::npos) << "no end of the HTTP headers";
  std::istringstream head(text.substr(0, end));
  for (std::string line; std::getline(head, line);) {
    if (line.size() > 13 && strncasecmp(line.c_str(), "Content-Type:", 13) == 0) {
      *content_type = line.substr(13);
    }
  }
  *body = text.substr(end + skip);
}

// Axis2 via the NIST toolkit: LF line ends (Poco's reader accepts bare LF) and a blank
// before the line end of every boundary line, which is RFC 2046 transport padding.
TEST(MtomReadTest, NistHttpMtomPnrCapture) {
  std::string text, content_type, body;
  ASSERT_TRUE(ReadCorpus("nist-validator-samples/http-mtom-pnr.txt", &text));
  ASSERT_NO_FATAL_FAILURE(SplitHttp(text, &content_type, &body));
  std::vector<Received> got;
  Result<MtomRoot> r = Read(content_type, body, Collect(&got));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->info.content_id, "0.urn:uuid:3D4B161591CD1DEC0C1286850962203@apache.org");
  EXPECT_EQ(r->info.content_transfer_encoding, "binary");
  EXPECT_EQ(r->body.rfind("<?xml", 0), 0u);
  EXPECT_TRUE(r->body.ends_with("</soapenv:Envelope>")) << r->body.substr(r->body.size() - 40);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].info.content_id, "1.urn:uuid:3D4B161591CD1DEC0C1286850962319@apache.org");
  EXPECT_NE(r->body.find("cid:" + got[0].info.content_id), std::string::npos);
  EXPECT_EQ(got[0].info.content_type, "text/plain");
  EXPECT_EQ(got[0].data.rfind("Four score and seven years ago", 0), 0u);
  EXPECT_TRUE(got[0].data.ends_with("shall not perish from the earth."));
}

// A body only (no HTTP headers), LF line ends: the boundary is the first line, no start.
TEST(MtomReadTest, NistSampleMtomMessage) {
  std::string body;
  ASSERT_TRUE(ReadCorpus("nist-misc/sample_mtom_message.txt", &body));
  const std::string boundary = body.substr(2, body.find('\n') - 2);
  std::vector<Received> got;
  Result<MtomRoot> r = Read("multipart/related; type=\"application/xop+xml\"; boundary=\"" +
                                boundary + "\"; start-info=\"application/soap+xml\"",
                            body, Collect(&got));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->info.content_id, "1.694859fac46e21a68c012f8f4fe208a370fc32b6e07ae79f");
  EXPECT_TRUE(r->body.ends_with("</soapenv:Envelope>")) << r->body.substr(r->body.size() - 40);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].info.content_id, "2.694859fac46e21a68c012f8f4fe208a370fc32b6e07ae79f");
  EXPECT_EQ(got[0].data, "This is my document.\n\nIt is great!\n\n");
}

TEST(MtomReadTest, TransportPaddingAfterBoundariesIsIgnored) {
  const std::string body =
      "--B \t\r\nContent-ID: <r>\r\n\r\n<E/>\r\n--B  \nContent-ID: <a>\n\nA\n--B\t\r\n"
      "Content-ID: <b>\r\n\r\n--B x\r\n--B--  \r\n";
  std::vector<Received> got;
  Result<MtomRoot> r = Read("multipart/related; boundary=B", body, Collect(&got));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "<E/>");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].data, "A");
  EXPECT_EQ(got[1].data, "--B x");  // not a boundary line: the blanks are data
}

TEST(MtomReadTest, ContentTransferEncodingIsLowerCasedNotDecoded) {
  const std::string body =
      "--B\r\nContent-ID: <r>\r\nContent-Transfer-Encoding: 8BIT\r\n\r\n<E/>\r\n"
      "--B\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: Base64\r\n\r\nQUJD\r\n"
      "--B\r\nContent-ID: <c>\r\n\r\nC\r\n--B--\r\n";
  std::vector<Received> got;
  Result<MtomRoot> r = Read("multipart/related; boundary=B", body, Collect(&got));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->info.content_transfer_encoding, "8bit");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].info.content_transfer_encoding, "base64");
  EXPECT_EQ(got[0].data, "QUJD");
  EXPECT_EQ(got[1].info.content_transfer_encoding, "");
}

const char kThreeParts[] =
    "--B\r\nContent-ID: <r>\r\n\r\n<E/>\r\n--B\r\nContent-ID: <a>\r\n\r\nfirst attachment\r\n"
    "--B\r\nContent-ID: <b>\r\n\r\nsecond\r\n--B--\r\n";

// What a sink leaves unread is skipped, however it stopped reading.
TEST(MtomReadTest, SinkMayStopEarlyOrCopyThroughRdbuf) {
  std::vector<std::string> got;
  auto sink = [&](const MimePartInfo& info, std::istream& data) {
    if (info.content_id == "a") {
      char three[3];
      data.read(three, 3);
      got.emplace_back(three, 3);
    } else {
      std::ostringstream copy;
      copy << data.rdbuf();  // sets no eofbit on `data`
      got.push_back(copy.str());
    }
    return Status::Ok();
  };
  Result<MtomRoot> r = Read("multipart/related; boundary=B", kThreeParts, sink);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(got, (std::vector<std::string>{"fir", "second"}));
  got.clear();
  auto copy_all = [&](const MimePartInfo&, std::istream& data) {
    std::ostringstream copy;
    copy << data.rdbuf();
    got.push_back(copy.str());
    return Status::Ok();
  };
  ASSERT_TRUE(Read("multipart/related; boundary=B", kThreeParts, copy_all).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"first attachment", "second"}));
  EXPECT_TRUE(Read("multipart/related; boundary=B", kThreeParts).ok()) << "no sink: skip";
}

TEST(MtomReadTest, SinkErrorsComeBackUnchangedAndThrowsBecomeInternal) {
  auto refuse = [](const MimePartInfo&, std::istream&) {
    return Status::Conflict("XDSDuplicateUniqueIdInRegistry", "no");
  };
  Result<MtomRoot> r = Read("multipart/related; boundary=B", kThreeParts, refuse);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsConflict());
  EXPECT_EQ(r.status().detail(), "XDSDuplicateUniqueIdInRegistry");
  auto thrower = [](const MimePartInfo&, std::istream&) -> Status {
    throw std::runtime_error("disk full");
  };
  r = Read("multipart/related; boundary=B", kThreeParts, thrower);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
  EXPECT_NE(r.status().message().find("disk full"), std::string::npos);
}

struct ErrorCase {
  const char* name;
  std::string content_type;
  std::string body;
  StatusCode code;
  std::string message_part;
  MtomLimits limits = {};
};

TEST(MtomReadTest, ErrorsAreStatusesWithUsefulMessages) {
  const std::string ct = "multipart/related; boundary=B; start=\"<r>\"";
  const std::string root = "--B\r\nContent-ID: <r>\r\n\r\n<E/>\r\n";
  const std::string att = root + "--B\r\nContent-ID: <a>\r\n\r\nattachment";
  const std::string trunc = "MTOM body truncated: no closing delimiter --B--";
  const auto inv = StatusCode::kInvalidArgument;
  const std::vector<ErrorCase> cases = {
      {"cut in an attachment", ct, att.substr(0, att.size() - 4), inv, trunc},
      {"cut right after part data", ct, att, inv, trunc},
      {"cut after part data and CRLF", ct, att + "\r\n", inv, trunc},
      {"cut in the root", ct, root.substr(0, root.size() - 4), inv, trunc},
      {"no closing --", ct, att + "\r\n--B\r\n", inv, trunc},
      {"no closing -- nor CRLF", ct, att + "\r\n--B", inv, trunc},
      {"boundary line only", ct, "--B\r\n", inv, trunc},
      {"wrong boundary", "multipart/related; boundary=C", att + "\r\n--B--\r\n", inv,
       "no boundary line --C in the MTOM body"},
      {"empty body", ct, "", inv, "no boundary line --B"},
      {"header name without colon", ct, "--B\r\n" + std::string(300, 'X') + "\r\n\r\nd\r\n--B--",
       inv, "malformed headers of MTOM part 1"},
      {"header value too long", ct, root + "--B\r\nX: " + std::string(10000, 'v') + "\r\n\r\n", inv,
       "malformed headers of MTOM part 2"},
      {"headers cut", ct, root + "--B\r\nContent-I", inv, "malformed headers of MTOM part 2"},
      {"duplicate Content-ID", ct, att + "\r\n--B\r\nContent-ID: <a>\r\n\r\nx\r\n--B--\r\n", inv,
       "two MTOM parts have the Content-ID <a>"},
      {"duplicate root", ct, root + root + "--B--\r\n", inv,
       "two MTOM parts have the Content-ID <r>"},
      {"no boundary parameter", "multipart/related; start=\"<r>\"", root + "--B--", inv,
       "without a usable boundary"},
      {"multipart/mixed", "multipart/mixed; boundary=B", root + "--B--", inv, "multipart/related"},
      {"SOAP without MTOM", "application/soap+xml; charset=UTF-8", "<E/>", inv,
       "multipart/related"},
      {"start names no part", "multipart/related; boundary=B; start=\"<x>\"", root + "--B--", inv,
       "no MTOM part has the Content-ID <x> named by the start parameter"},
      {"root over max_root_bytes",
       ct,
       root + "--B--",
       StatusCode::kResourceExhausted,
       "root part is over the limit of 3 bytes",
       {.max_root_bytes = 3}},
      {"more than max_parts",
       ct,
       att + "\r\n--B--",
       StatusCode::kResourceExhausted,
       "more than 1 parts",
       {.max_parts = 1}},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<Received> got;
    Result<MtomRoot> r = Read(c.content_type, c.body, Collect(&got), c.limits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), c.code) << r.status().ToString();
    EXPECT_EQ(r.status().detail(), "");
    EXPECT_NE(r.status().message().find(c.message_part), std::string::npos) << r.status().message();
  }
  MtomLimits two;
  two.max_parts = 2;
  EXPECT_TRUE(Read(ct, att + "\r\n--B--", {}, two).ok()) << "exactly max_parts is fine";
}

}  // namespace
}  // namespace renkei

namespace renkei {
namespace {

// STOW-RS bodies: no root, every part (the first included) goes to the sink.
TEST(MultipartRelatedTest, EveryPartGoesToTheSink) {
  std::istringstream body(
      "--B\r\nContent-Type: application/dicom\r\n\r\nfirst\r\n"
      "--B\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--B--\r\n");
  std::vector<std::string> parts;
  Status s = ReadMultipartRelated(
      body, "multipart/related; type=\"application/dicom\"; boundary=B", 10,
      [&](const MimePartInfo& info, std::istream& data) {
        std::ostringstream out;
        out << data.rdbuf();
        parts.push_back(info.content_type + "|" + out.str());
        return Status::Ok();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(parts, (std::vector<std::string>{"application/dicom|first", "application/dicom|second"}));

  std::istringstream cut("--B\r\nContent-Type: application/dicom\r\n\r\nfirst");
  EXPECT_EQ(ReadMultipartRelated(cut, "multipart/related; boundary=B", 10, nullptr).code(),
            StatusCode::kInvalidArgument);
  std::istringstream many("--B\r\n\r\na\r\n--B\r\n\r\nb\r\n--B--\r\n");
  EXPECT_EQ(ReadMultipartRelated(many, "multipart/related; boundary=B", 1, nullptr).code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace renkei
