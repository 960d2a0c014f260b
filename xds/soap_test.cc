// SOAP 1.2 / WS-Addressing envelope parsing and encoding (W3C SOAP 1.2 Part 1 §5, ITI TF-2
// Appendix V), against the NIST validator wire samples.
#include "xds/soap.h"

#include <gtest/gtest.h>

#include <string>

#include "xds/internal/test_vectors.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::ReadFile;
using testing::WireExample;

const SoapLimits kLimits;

std::string Envelope(const std::string& header, const std::string& body) {
  return std::string("<s:Envelope xmlns:s=\"") + kNsSoap12 + "\" xmlns:a=\"" + kNsWsa + "\">" +
         header + "<s:Body>" + body + "</s:Body></s:Envelope>";
}

std::string ActionHeader(const std::string& action) {
  return "<s:Header><a:Action s:mustUnderstand=\"1\">" + action +
         "</a:Action><a:MessageID>urn:uuid:1</a:MessageID></s:Header>";
}

TEST(SoapParse, NistSoapPnr) {
  std::string xml = ReadFile(WireExample("nist-validator-samples/soap-pnr.xml"));
  ASSERT_FALSE(xml.empty());
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->action(), "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b");
  EXPECT_EQ(m->message_id(), "");
  EXPECT_EQ(m->body_namespace(), kNsXdsb);
  EXPECT_EQ(m->body_local_name(), "ProvideAndRegisterDocumentSetRequest");
}

TEST(SoapParse, NistSoapStoredQuery) {
  std::string xml = ReadFile(WireExample("nist-validator-samples/soap-sq-req.xml"));
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->action(), kActionStoredQuery);
  EXPECT_EQ(m->body_namespace(), kNsQuery);
  EXPECT_EQ(m->body_local_name(), "AdhocQueryRequest");
}

struct BadVector {
  const char* file;
  StatusCode code;
  const char* detail;  // expected Status detail == Fault subcode
};

class SoapBadVectorTest : public ::testing::TestWithParam<BadVector> {};

TEST_P(SoapBadVectorTest, RejectedWithSenderFault) {
  const BadVector& v = GetParam();
  std::string xml = ReadFile(WireExample(std::string("nist-validator-samples/") + v.file));
  ASSERT_FALSE(xml.empty()) << v.file;
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok()) << v.file;
  EXPECT_EQ(m.status().code(), v.code) << m.status().ToString();
  EXPECT_EQ(m.status().detail(), v.detail) << m.status().ToString();
  SoapFault fault = ToSoapFault(m.status());
  EXPECT_EQ(fault.code, kFaultCodeSender);
  EXPECT_EQ(fault.subcode, v.detail);
  EXPECT_FALSE(fault.reason.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Nist, SoapBadVectorTest,
    ::testing::Values(BadVector{"empty-soap-wrapper.xml", StatusCode::kInvalidArgument, ""},
                      BadVector{"soap-noaction-pnr.xml", StatusCode::kInvalidArgument,
                                kFaultSubcodeHeaderRequired},
                      BadVector{"soap-pnr-soap-order.xml", StatusCode::kInvalidArgument, ""},
                      BadVector{"xml-parse-error.xml", StatusCode::kInvalidArgument, ""}));

TEST(SoapParse, HeaderAfterBodyMessageNamesTheProblem) {
  std::string xml = ReadFile(WireExample("nist-validator-samples/soap-pnr-soap-order.xml"));
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("Header"), std::string::npos) << m.status().message();
}

TEST(SoapParse, Soap11EnvelopeIsVersionMismatch) {
  std::string xml =
      std::string("<e:Envelope xmlns:e=\"") + kNsSoap11 + "\"><e:Body><x/></e:Body></e:Envelope>";
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().detail(), kFaultCodeVersionMismatch);
  SoapFault fault = ToSoapFault(m.status());
  EXPECT_EQ(fault.code, kFaultCodeVersionMismatch);
  EXPECT_EQ(fault.subcode, "");
}

TEST(SoapParse, PrefixesAreArbitraryAndDefaultNamespacesWork) {
  std::string xml = std::string("<Envelope xmlns=\"") + kNsSoap12 + "\"><Header><Action xmlns=\"" +
                    kNsWsa + "\"> " + kActionRegister + " </Action><w:MessageID xmlns:w=\"" +
                    kNsWsa +
                    "\">urn:uuid:42</w:MessageID></Header><Body><lcm:SubmitObjectsRequest "
                    "xmlns:lcm=\"" +
                    kNsLcm + "\"/></Body></Envelope>";
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->action(), kActionRegister);  // trimmed
  EXPECT_EQ(m->message_id(), "urn:uuid:42");
  EXPECT_EQ(m->body_namespace(), kNsLcm);
  EXPECT_EQ(m->body_local_name(), "SubmitObjectsRequest");
}

TEST(SoapParse, ActionInAnotherNamespaceIsNotAnAction) {
  std::string xml = Envelope(
      "<s:Header><o:Action xmlns:o=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">x"
      "</o:Action></s:Header>",
      "<x/>");
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().detail(), kFaultSubcodeHeaderRequired);
}

TEST(SoapParse, PrefixBoundToWrongNamespaceIsNotAnEnvelope) {
  std::string xml = "<s:Envelope xmlns:s=\"urn:other\"><s:Body><x/></s:Body></s:Envelope>";
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(ToSoapFault(m.status()).code, kFaultCodeVersionMismatch);
  m = SoapMessage::Parse("<s:Other xmlns:s=\"urn:other\"/>", kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(ToSoapFault(m.status()).code, kFaultCodeSender);
}

struct StructureCase {
  const char* name;
  std::string xml;
  StatusCode code;
};

class SoapStructureTest : public ::testing::TestWithParam<StructureCase> {};

TEST_P(SoapStructureTest, Rejected) {
  Result<SoapMessage> m = SoapMessage::Parse(GetParam().xml, kLimits);
  ASSERT_FALSE(m.ok()) << GetParam().name;
  EXPECT_EQ(m.status().code(), GetParam().code) << m.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Envelope, SoapStructureTest,
    ::testing::Values(
        StructureCase{"two_body_children", Envelope(ActionHeader("a"), "<x/><y/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"text_in_body", Envelope(ActionHeader("a"), "text<x/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"empty_body", Envelope(ActionHeader("a"), ""), StatusCode::kInvalidArgument},
        StructureCase{"no_body", std::string("<s:Envelope xmlns:s=\"") + kNsSoap12 + "\"/>",
                      StatusCode::kInvalidArgument},
        StructureCase{"two_headers", Envelope(ActionHeader("a") + ActionHeader("a"), "<x/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"no_header", Envelope("", "<x/>"), StatusCode::kInvalidArgument},
        StructureCase{"two_actions",
                      Envelope("<s:Header><a:Action>x</a:Action><a:Action>y</a:Action>"
                               "</s:Header>",
                               "<x/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"empty_action", Envelope(ActionHeader(" "), "<x/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"doctype",
                      "<!DOCTYPE x [<!ENTITY a \"b\">]>" + Envelope(ActionHeader("a"), "<x/>"),
                      StatusCode::kInvalidArgument},
        StructureCase{"extra_envelope_child",
                      std::string("<s:Envelope xmlns:s=\"") + kNsSoap12 +
                          "\"><s:Body><x/></s:Body><s:Trailer/></s:Envelope>",
                      StatusCode::kInvalidArgument},
        StructureCase{"not_xml", "this is not XML", StatusCode::kInvalidArgument},
        StructureCase{"empty", "", StatusCode::kInvalidArgument}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SoapParse, SizeLimitIsCheckedBeforeParsing) {
  std::string xml = Envelope(ActionHeader("a"), "<x/>");
  SoapLimits limits;
  limits.max_bytes = xml.size();
  EXPECT_TRUE(SoapMessage::Parse(xml, limits).ok());
  limits.max_bytes = xml.size() - 1;
  Result<SoapMessage> m = SoapMessage::Parse(xml, limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kResourceExhausted);
  // Even garbage over the limit is refused for its size, not its syntax.
  m = SoapMessage::Parse(std::string(100, '<'), SoapLimits{.max_bytes = 10});
  EXPECT_EQ(m.status().code(), StatusCode::kResourceExhausted);
}

std::string Nested(int depth) {
  std::string s;
  s.reserve(depth * 7);
  for (int i = 0; i < depth; ++i) s += "<d>";
  for (int i = 0; i < depth; ++i) s += "</d>";
  return s;
}

TEST(SoapParse, DepthLimitCountsEveryElement) {
  // Envelope(1) > Body(2) > 62 nested <d> = depth 64.
  SoapLimits limits;
  limits.max_depth = 64;
  EXPECT_TRUE(SoapMessage::Parse(Envelope(ActionHeader("a"), Nested(62)), limits).ok());
  Result<SoapMessage> m = SoapMessage::Parse(Envelope(ActionHeader("a"), Nested(63)), limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ToSoapFault(m.status()).code, kFaultCodeSender);
}

TEST(SoapParse, HundredThousandDeepDocumentIsRejectedWithoutCrashing) {
  std::string xml = Envelope(ActionHeader("a"), Nested(100000));
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  // Unclosed, also deep: malformed, still no crash.
  std::string open(3 * 100000, ' ');
  for (size_t i = 0; i < open.size(); i += 3) open.replace(i, 3, "<d>");
  m = SoapMessage::Parse(Envelope(ActionHeader("a"), open), kLimits);
  EXPECT_FALSE(m.ok());
}

TEST(SoapParse, IllFormedUtf8IsRejected) {
  const std::string good = Envelope(ActionHeader("a"), "<t>\xe5\xb1\xb1\xe7\x94\xb0 \xf0\x9f\x98\x80</t>");
  EXPECT_TRUE(SoapMessage::Parse(good, kLimits).ok());
  const char* bad[] = {
      "\xff\xfe",          // never valid
      "\xc3\x28",          // bad continuation
      "\xc0\xaf",          // overlong '/'
      "\xed\xa0\x80",      // UTF-16 surrogate
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\xe5\xb1",          // truncated
  };
  for (const char* b : bad) {
    Result<SoapMessage> m =
        SoapMessage::Parse(Envelope(ActionHeader("a"), std::string("<t>") + b + "</t>"), kLimits);
    ASSERT_FALSE(m.ok()) << b;
    EXPECT_EQ(ToSoapFault(m.status()).code, kFaultCodeSender);
    EXPECT_NE(m.status().message().find("UTF-8"), std::string::npos);
  }
}

TEST(SoapParse, MessageOutlivesInputAndMoves) {
  std::string xml = Envelope(ActionHeader(kActionStoredQuery), "<q:x xmlns:q=\"urn:q\"/>");
  Result<SoapMessage> m = SoapMessage::Parse(xml, kLimits);
  ASSERT_TRUE(m.ok());
  xml.assign(xml.size(), 'x');  // the message keeps its own copy
  SoapMessage moved = std::move(m.value());
  EXPECT_EQ(moved.action(), kActionStoredQuery);
  EXPECT_EQ(moved.body_namespace(), "urn:q");
  EXPECT_EQ(moved.body_local_name(), "x");
}

TEST(SoapEncode, ResponseParsesBackWithRelatesTo) {
  std::string out =
      EncodeSoapResponse(kActionRegisterResponse, "urn:uuid:abc&1", "<r:Resp xmlns:r=\"urn:r\"/>");
  Result<SoapMessage> m = SoapMessage::Parse(out, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString() << "\n" << out;
  EXPECT_EQ(m->action(), kActionRegisterResponse);
  EXPECT_EQ(m->body_namespace(), "urn:r");
  EXPECT_EQ(m->body_local_name(), "Resp");
  EXPECT_NE(out.find("mustUnderstand=\"1\""), std::string::npos);
  EXPECT_NE(out.find("<wsa:RelatesTo>urn:uuid:abc&amp;1</wsa:RelatesTo>"), std::string::npos);
  EXPECT_EQ(EncodeSoapResponse("a", "", "<x/>").find("RelatesTo"), std::string::npos);
}

TEST(SoapEncode, FaultHasCodeSubcodeReasonAndFaultAction) {
  SoapFault fault{kFaultCodeSender, kFaultSubcodeHeaderRequired, "missing <Action> & more"};
  std::string out = EncodeSoapFault(fault, "urn:uuid:7");
  Result<SoapMessage> m = SoapMessage::Parse(out, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString() << "\n" << out;
  EXPECT_EQ(m->action(), kActionSoapFault);
  EXPECT_EQ(m->body_namespace(), kNsSoap12);
  EXPECT_EQ(m->body_local_name(), "Fault");
  EXPECT_NE(out.find("<soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>"
                     "wsa:MessageAddressingHeaderRequired</soap:Value></soap:Subcode></soap:Code>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<soap:Text xml:lang=\"en\">missing &lt;Action&gt; &amp; more</soap:Text>"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<wsa:RelatesTo>urn:uuid:7</wsa:RelatesTo>"), std::string::npos);

  std::string no_subcode = EncodeSoapFault(SoapFault{kFaultCodeReceiver, "", "boom"}, "");
  EXPECT_EQ(no_subcode.find("Subcode"), std::string::npos);
  EXPECT_NE(no_subcode.find("soap:Receiver"), std::string::npos);
}

struct FaultMapping {
  Status status;
  const char* code;
  const char* subcode;
};

TEST(SoapFaultMapping, StatusCodesMapToSenderOrReceiver) {
  const FaultMapping cases[] = {
      {Status::InvalidArgument(kFaultSubcodeActionNotSupported, "m"), kFaultCodeSender,
       kFaultSubcodeActionNotSupported},
      {Status::InvalidArgument("XDSRegistryError", "m"), kFaultCodeSender, ""},
      {Status::NotFound("", "m"), kFaultCodeSender, ""},
      {Status::ResourceExhausted("", "m"), kFaultCodeSender, ""},
      {Status::PermissionDenied("", "m"), kFaultCodeSender, ""},
      {Status::Internal("", "m"), kFaultCodeReceiver, ""},
      {Status::Unavailable("wsa:EndpointUnavailable", "m"), kFaultCodeReceiver,
       "wsa:EndpointUnavailable"},
  };
  for (const FaultMapping& c : cases) {
    SoapFault f = ToSoapFault(c.status);
    EXPECT_EQ(f.code, c.code) << c.status.ToString();
    EXPECT_EQ(f.subcode, c.subcode) << c.status.ToString();
    EXPECT_EQ(f.reason, "m");
  }
  EXPECT_FALSE(ToSoapFault(Status::Internal("", "")).reason.empty());
}

}  // namespace
}  // namespace renkei::xds
