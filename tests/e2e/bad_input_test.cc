// Bad input at the Document Registry's SOAP endpoint (architecture §5 "Bad input", ITI TF-2
// Appendix V, W3C SOAP 1.2 Part 1 §5 / Part 2 §7.5.2.2, WS-Addressing 1.0 SOAP Binding §6.4,
// ITI TF-2 §3.18.4.1.3 stored-query errors): each case checks the exact answer, that nothing
// was written (the same queries answer byte-for-byte the same before and after), and that
// the process is still alive.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using std::chrono::seconds;

std::string Vector(const std::string& name) {
  return ReadFileOrDie(ConformanceDir() + "/xds/wire-examples/nist-validator-samples/" + name);
}

// The NIST vectors' patient, as it appears (escaped) in their XML.
constexpr char kNistPatientXml[] = "c4d77e21d0dd487^^^&amp;1.3.6.1.4.1.21367.2005.3.7&amp;ISO";

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

std::string XmlEscaped(const std::string& s) { return ReplaceAll(s, "&", "&amp;"); }

// RFC 3629 well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned c = *p++;
    if (c < 0x80) continue;
    int n;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < n) return false;
    for (int i = 0; i < n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    p += n;
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
  }
  return true;
}

// SOAP 1.2 HTTP binding (Part 2 §7.5.2.2 Table 20): Sender → 400; VersionMismatch,
// MustUnderstand and Receiver → 500. An oversized body is 413 (the centre's contract).
void ExpectFault(const HttpAnswer& a, int http, const char* code, const std::string& subcode = "") {
  SCOPED_TRACE("HTTP " + std::to_string(a.status) + " " + a.error + "\n" + a.body);
  EXPECT_EQ(a.status, http);
  EXPECT_EQ(a.content_type.rfind("application/soap+xml", 0), 0u) << a.content_type;
  SoapAnswer r = ReadSoap(a.body);
  ASSERT_TRUE(r.well_formed);
  ASSERT_TRUE(r.soap12);
  ASSERT_TRUE(r.fault) << r.body_element;
  EXPECT_EQ(r.action, wire::kActionFault);
  EXPECT_EQ(r.fault_code, Qn(wire::kSoap12, code));
  if (subcode.empty()) {
    EXPECT_EQ(r.fault_subcode, "");
  } else {
    EXPECT_EQ(r.fault_subcode, Qn(wire::kWsa, subcode.c_str()));
  }
  EXPECT_FALSE(r.fault_reason.empty()) << "a Fault needs a human-readable Reason";
}

// An ebRS answer with status Failure, HTTP 200, carrying `code` (if non-empty) with severity
// Error, and no Success hidden elsewhere.
void ExpectFailure(const HttpAnswer& a, const char* body_local, const std::string& code) {
  SCOPED_TRACE("HTTP " + std::to_string(a.status) + " " + a.error + "\n" + a.body);
  EXPECT_EQ(a.status, 200);
  SoapAnswer r = ReadSoap(a.body);
  ASSERT_TRUE(r.soap12);
  ASSERT_FALSE(r.fault);
  EXPECT_EQ(r.status, wire::kFailure);
  ASSERT_FALSE(r.error_codes.empty()) << "Failure needs a RegistryErrorList";
  bool error_severity = false;
  for (const auto& s : r.error_severities) error_severity |= s == wire::kSeverityError;
  EXPECT_TRUE(error_severity);
  if (!code.empty()) {
    EXPECT_NE(std::find(r.error_codes.begin(), r.error_codes.end(), code), r.error_codes.end())
        << "expected " << code;
  }
  EXPECT_TRUE(r.extrinsic_ids.empty() && r.object_refs.empty()) << "a Failure returns no objects";
  if (std::string(body_local) == "AdhocQueryResponse") {
    EXPECT_EQ(r.body_element, Qn(wire::kQuery, body_local));
  } else {
    EXPECT_EQ(r.body_element, Qn(wire::kRs, body_local));
  }
}

class BadInput : public ::testing::Test {
 protected:
  void StartCentre(std::vector<std::string> overrides = {}) {
    CentreOptions o;
    o.overrides = std::move(overrides);
    std::string error;
    centre_ = CentreProcess::Start(o, &error);
    ASSERT_NE(centre_, nullptr) << error;
    // Something registered, so that a bad request that wrote anything would show.
    baseline_ = NewSubmission(PatientId(1), 2);
    HttpAnswer a = Register(baseline_);
    ASSERT_EQ(a.status, 200) << a.error << a.body;
    ASSERT_EQ(ReadSoap(a.body).status, wire::kSuccess) << a.body;
    before_ = Snapshot();
    ASSERT_NE(before_.find(baseline_.document_unique_ids[0]), std::string::npos) << before_;
  }

  void SetUp() override {
    if (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())
            .rfind("Limit", 0) != 0) {
      ASSERT_NO_FATAL_FAILURE(StartCentre());
    }
  }

  void TearDown() override {
    if (!centre_) return;
    EXPECT_TRUE(centre_->alive()) << "the centre died: " << centre_->process().err();
    if (centre_->alive()) ExpectNothingWritten();
  }

  HttpAnswer Register(const TestSubmission& s) {
    return PostSoap(
        url(), wire::kActionRegister,
        Soap12(wire::kActionRegister, centre_->registry_url(), SubmitObjectsRequestXml(s)));
  }

  HttpAnswer Query(const std::string& body) {
    return PostSoap(url(), wire::kActionQuery,
                    Soap12(wire::kActionQuery, centre_->registry_url(), body));
  }

  // Everything the registry holds for the test patients, as the registry answers it.
  std::string Snapshot() {
    std::string s;
    for (int p : {1, 2}) {
      for (const std::string& q :
           {FindDocumentsXml(PatientId(p)), FindDocumentsXml(PatientId(p), true),
            FindSubmissionSetsXml(PatientId(p))}) {
        HttpAnswer a = Query(q);
        EXPECT_EQ(a.status, 200) << a.error << a.body;
        SoapAnswer r = ReadSoap(a.body);
        EXPECT_EQ(r.status, wire::kSuccess) << a.body;
        EXPECT_TRUE(IsUtf8(a.body))
            << "the registry answers ill-formed XML (not UTF-8): " << a.body;
        s += r.body_xml + "\n";
      }
    }
    return s;
  }

  void ExpectNothingWritten() { EXPECT_EQ(Snapshot(), before_) << "a refused request wrote"; }

  // A valid ITI-42 for patient 1 that a careless endpoint might still store.
  std::string RegisterBody() { return SubmitObjectsRequestXml(NewSubmission(PatientId(1), 1)); }

  const std::string& url() const { return centre_->base_url(); }

  std::unique_ptr<CentreProcess> centre_;
  TestSubmission baseline_;
  std::string before_;
};

constexpr char kSoapType[] = "application/soap+xml; charset=UTF-8";

TEST_F(BadInput, MalformedXml) {
  // NIST vector: </soapenv:Body unterminated.
  ExpectFault(Post(url(), "/xds/registry", kSoapType, Vector("xml-parse-error.xml")), 400,
              "Sender");
  // Our own: a valid ITI-42 cut in the middle, and one with a mismatched end tag.
  std::string full = Soap12(wire::kActionRegister, centre_->registry_url(), RegisterBody());
  ExpectFault(PostSoap(url(), wire::kActionRegister, full.substr(0, full.size() / 2)), 400,
              "Sender");
  ExpectFault(PostSoap(url(), wire::kActionRegister,
                       ReplaceAll(full, "</rim:RegistryObjectList>", "</rim:RegistryObjects>")),
              400, "Sender");
}

TEST_F(BadInput, InvalidUtf8) {
  // XML 1.0 §4.3.3: bytes that are not legal in the (default UTF-8) encoding are a fatal
  // error. Stored, they would make every later answer that carries them ill-formed.
  ExpectFault(
      PostSoap(url(), wire::kActionQuery,
               Soap12(wire::kActionQuery, centre_->registry_url(),
                      ReplaceAll(FindDocumentsXml(PatientId(1)), "E2E0001", "E2E\xff\xfe"))),
      400, "Sender");
  ExpectFault(PostSoap(url(), wire::kActionRegister,
                       Soap12(wire::kActionRegister, centre_->registry_url(),
                              ReplaceAll(RegisterBody(), "e2e progress note",
                                         "e2e \xc3\x28 note \xed\xa0\x80"))),
              400, "Sender");
}

TEST_F(BadInput, NonSoapBodies) {
  // Plain ebRS XML without an envelope (NIST sq-req.xml; and our own ITI-42 body).
  ExpectFault(Post(url(), "/xds/registry", "text/xml", Vector("sq-req.xml")), 400, "Sender");
  ExpectFault(Post(url(), "/xds/registry", kSoapType, RegisterBody()), 400, "Sender");
  ExpectFault(Post(url(), "/xds/registry", "application/json",
                   R"({"resourceType":"Bundle","type":"transaction","entry":[]})"),
              400, "Sender");
  ExpectFault(Post(url(), "/xds/registry", kSoapType, ""), 400, "Sender");
  ExpectFault(Post(url(), "/xds/registry", "", "   \r\n "), 400, "Sender");
}

TEST_F(BadInput, Soap11EnvelopeIsVersionMismatch) {
  std::string soap11 = std::string("<s:Envelope xmlns:s=\"") + wire::kSoap11 + "\" xmlns:wsa=\"" +
                       wire::kWsa + "\"><s:Header><wsa:Action>" + wire::kActionRegister +
                       "</wsa:Action></s:Header><s:Body>" + RegisterBody() +
                       "</s:Body></s:Envelope>";
  ExpectFault(Post(url(), "/xds/registry", "text/xml; charset=UTF-8", soap11,
                   {{"SOAPAction", std::string("\"") + wire::kActionRegister + "\""}}),
              500, "VersionMismatch");
}

TEST_F(BadInput, EmptyBody) {
  ExpectFault(Post(url(), "/xds/registry", kSoapType, Vector("empty-soap-wrapper.xml")), 400,
              "Sender");
  ExpectFault(
      PostSoap(url(), wire::kActionQuery, Soap12(wire::kActionQuery, centre_->registry_url(), "")),
      400, "Sender");
}

TEST_F(BadInput, HeaderAfterBody) {
  ExpectFault(Post(url(), "/xds/registry", kSoapType, Vector("soap-pnr-soap-order.xml")), 400,
              "Sender");
  // Our own, with a valid ITI-42 for a known patient inside.
  std::string ok = Soap12(wire::kActionRegister, centre_->registry_url(), RegisterBody());
  size_t h0 = ok.find("<soap:Header>");
  size_t h1 = ok.find("</soap:Header>") + std::string("</soap:Header>").size();
  std::string header = ok.substr(h0, h1 - h0);
  std::string swapped = ok.substr(0, h0) + ok.substr(h1);
  swapped.insert(swapped.find("</soap:Envelope>"), header);
  ExpectFault(PostSoap(url(), wire::kActionRegister, swapped), 400, "Sender");
}

TEST_F(BadInput, MissingWsaAction) {
  ExpectFault(Post(url(), "/xds/registry", kSoapType, Vector("soap-noaction-pnr.xml")), 400,
              "Sender", "MessageAddressingHeaderRequired");
  std::string ok = Soap12(wire::kActionRegister, centre_->registry_url(), RegisterBody());
  size_t a0 = ok.find("<wsa:Action");
  size_t a1 = ok.find("</wsa:Action>") + std::string("</wsa:Action>").size();
  // The HTTP action parameter alone does not make up for the missing header.
  ExpectFault(PostSoap(url(), wire::kActionRegister, ok.substr(0, a0) + ok.substr(a1)), 400,
              "Sender", "MessageAddressingHeaderRequired");
  // No Header at all.
  std::string no_header = std::string("<soap:Envelope xmlns:soap=\"") + wire::kSoap12 +
                          "\"><soap:Body>" + RegisterBody() + "</soap:Body></soap:Envelope>";
  ExpectFault(PostSoap(url(), wire::kActionRegister, no_header), 400, "Sender",
              "MessageAddressingHeaderRequired");
}

TEST_F(BadInput, UnknownAction) {
  for (const char* action :
       {"urn:ihe:iti:2007:NoSuchTransaction", "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
        "urn:ihe:iti:2007:RegisterDocumentSet-bResponse"}) {
    SCOPED_TRACE(action);
    ExpectFault(PostSoap(url(), action, Soap12(action, centre_->registry_url(), RegisterBody())),
                400, "Sender", "ActionNotSupported");
  }
}

TEST_F(BadInput, ActionBodyMismatch) {
  // Register action, query body; query action, register body (with a storable submission).
  ExpectFault(PostSoap(url(), wire::kActionRegister,
                       Soap12(wire::kActionRegister, centre_->registry_url(),
                              FindDocumentsXml(PatientId(1)))),
              400, "Sender", "ActionNotSupported");
  ExpectFault(PostSoap(url(), wire::kActionQuery,
                       Soap12(wire::kActionQuery, centre_->registry_url(), RegisterBody())),
              400, "Sender", "ActionNotSupported");
}

TEST_F(BadInput, DeeplyNestedXml) {
  constexpr int kLevels = 100000;
  std::string deep;
  deep.reserve(kLevels * 8 + 64);
  for (int i = 0; i < kLevels; ++i) deep += "<rim:a>";
  for (int i = 0; i < kLevels; ++i) deep += "</rim:a>";
  std::string body = std::string("<query:AdhocQueryRequest xmlns:query=\"") + wire::kQuery +
                     "\" xmlns:rim=\"" + wire::kRim + "\">" + deep + "</query:AdhocQueryRequest>";
  // Below the size limit, above the depth limit: a Sender fault (Part 2 Table 20: 400).
  ExpectFault(PostSoap(url(), wire::kActionQuery,
                       Soap12(wire::kActionQuery, centre_->registry_url(), body)),
              400, "Sender");
}

TEST_F(BadInput, EntityExpansionIsNotPerformed) {
  // "Billion laughs": 10 levels of 10x expansion. SOAP 1.2 Part 1 §5 forbids a DTD anyway.
  std::string dtd = "<!DOCTYPE soap:Envelope [<!ENTITY lol0 \"lollollollollollollollollol\">";
  for (int i = 1; i <= 10; ++i) {
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) dtd += "&lol" + std::to_string(i - 1) + ";";
    dtd += "\">";
  }
  dtd += "]>";
  std::string q = ReplaceAll(FindDocumentsXml(PatientId(1)), "E2E0001", "&lol10;");
  std::string msg = dtd + Soap12(wire::kActionQuery, centre_->registry_url(), q);
  long rss_before = centre_->process().VmRssKb();
  ExpectFault(PostSoap(url(), wire::kActionQuery, msg), 400, "Sender");
  long rss_after = centre_->process().VmRssKb();
  ASSERT_GT(rss_before, 0);
  EXPECT_LT(rss_after - rss_before, 64 * 1024)
      << "RSS grew from " << rss_before << " to " << rss_after << " KiB";
  // The same with an external entity (XXE): never fetched, never expanded.
  std::string xxe = "<!DOCTYPE soap:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
                    Soap12(wire::kActionQuery, centre_->registry_url(),
                           ReplaceAll(FindDocumentsXml(PatientId(1)), "E2E0001", "&x;"));
  HttpAnswer a = PostSoap(url(), wire::kActionQuery, xxe);
  ExpectFault(a, 400, "Sender");
  EXPECT_EQ(a.body.find("root:"), std::string::npos) << a.body;
}

TEST_F(BadInput, UnknownStoredQuery) {
  ExpectFailure(Query(AdhocQueryXml("urn:uuid:00000000-0000-4000-8000-000000000000",
                                    {{"$XDSDocumentEntryPatientId", "'" + PatientId(1) + "'"}})),
                "AdhocQueryResponse", "XDSUnknownStoredQuery");
  ExpectFailure(Query(AdhocQueryXml("FindDocuments",
                                    {{"$XDSDocumentEntryPatientId", "'" + PatientId(1) + "'"}})),
                "AdhocQueryResponse", "XDSUnknownStoredQuery");
}

TEST_F(BadInput, MissingRequiredParameter) {
  // NIST sq-req-missing-stat.xml: FindDocuments without $XDSDocumentEntryStatus (ITI TF-2
  // Table 3.18.4.1.2.3.7.1-1: R). Sent as is, and with our patient so that a lenient
  // registry would have something to return.
  std::string v = WithoutXmlDeclaration(Vector("sq-req-missing-stat.xml"));
  ExpectFailure(Query(v), "AdhocQueryResponse", "XDSStoredQueryMissingParam");
  ExpectFailure(Query(ReplaceAll(v, kNistPatientXml, XmlEscaped(PatientId(1)))),
                "AdhocQueryResponse", "XDSStoredQueryMissingParam");
  // FindDocuments without the patient.
  ExpectFailure(
      Query(AdhocQueryXml(wire::kSqFindDocuments, {{"$XDSDocumentEntryStatus",
                                                    std::string("('") + wire::kApproved + "')"}})),
      "AdhocQueryResponse", "XDSStoredQueryMissingParam");
}

TEST_F(BadInput, BadParameterSyntax) {
  for (const char* name : {"sq-req-bad-code.xml", "sq-req-bad-pid-format.xml",
                           "sq-req-bad-stat-format1.xml", "sq-req-bad-stat-format2.xml"}) {
    SCOPED_TRACE(name);
    std::string v = WithoutXmlDeclaration(Vector(name));
    ExpectFailure(Query(v), "AdhocQueryResponse", "");
    // With our patient (who has two approved entries): still a Failure, not entries.
    ExpectFailure(Query(ReplaceAll(v, kNistPatientXml, XmlEscaped(PatientId(1)))),
                  "AdhocQueryResponse", "");
  }
}

TEST_F(BadInput, LimitOversizedWithContentLength) {
  ASSERT_NO_FATAL_FAILURE(StartCentre({"soap.max_request_bytes=32768"}));
  TestSubmission big = NewSubmission(PatientId(1), 16);  // ~90 KB
  std::string msg =
      Soap12(wire::kActionRegister, centre_->registry_url(), SubmitObjectsRequestXml(big));
  ASSERT_GT(msg.size(), 32768u);
  // A client that watches for an early answer, as curl does, must get the 413 Fault.
  ExpectFault(PostEarlyAnswer(url(), "/xds/registry", kSoapType, msg), 413, "Sender");
  // A request under the limit still works afterwards (on a new connection).
  HttpAnswer q = Query(FindDocumentsXml(PatientId(1)));
  EXPECT_EQ(ReadSoap(q.body).status, wire::kSuccess) << q.body;
}

TEST_F(BadInput, LimitOversizedChunkedWithoutContentLength) {
  ASSERT_NO_FATAL_FAILURE(StartCentre({"soap.max_request_bytes=65536"}));
  size_t sent = 0;
  HttpAnswer a = PostChunkedFiller(url(), "/xds/registry", kSoapType, 4u << 20, 16384, &sent);
  ExpectFault(a, 413, "Sender");
}

TEST_F(BadInput, LimitHugeChunkedBodyKeepsMemoryFlat) {
  ASSERT_NO_FATAL_FAILURE(StartCentre({"soap.max_request_bytes=1048576"}));
  const long rss_before = centre_->process().VmRssKb();
  ASSERT_GT(rss_before, 0);
  size_t sent = 0;
  HttpAnswer a = PostChunkedFiller(url(), "/xds/registry", kSoapType, 200u << 20, 1u << 20, &sent);
  const long rss_after = centre_->process().VmRssKb();
  ExpectFault(a, 413, "Sender");
  RecordProperty("body_bytes_sent", std::to_string(sent));
  RecordProperty("rss_growth_kib", std::to_string(rss_after - rss_before));
  std::printf("chunked body: %zu bytes sent before the answer; VmRSS %ld -> %ld KiB\n", sent,
              rss_before, rss_after);
  EXPECT_LT(rss_after - rss_before, 48 * 1024)
      << "RSS grew from " << rss_before << " to " << rss_after << " KiB after " << sent
      << " body bytes against a 1 MiB limit";
}

TEST_F(BadInput, ConcurrentGarbageWhileValidRequestsSucceed) {
  const std::string to = centre_->registry_url();
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<a>";
  for (int i = 0; i < 5000; ++i) deep += "</a>";
  // {content type, body}: each kind's exact answer is checked by its own test above; here
  // every one must get a SOAP Fault with an HTTP error status while valid traffic goes on.
  const std::vector<std::pair<std::string, std::string>> garbage = {
      {kSoapType, Vector("xml-parse-error.xml")},
      {"application/json", "{\"a\":[1,2,3]}"},
      {kSoapType, ""},
      {kSoapType, Vector("empty-soap-wrapper.xml")},
      {kSoapType, Vector("soap-noaction-pnr.xml")},
      {kSoapType, Vector("soap-pnr-soap-order.xml")},
      {kSoapType, Soap12("urn:x:unknown", to, RegisterBody())},
      {kSoapType, Soap12(wire::kActionQuery, to, deep)},
      {kSoapType, Soap12(wire::kActionQuery, to, RegisterBody())},
  };
  std::atomic<int> garbage_ok{0}, garbage_bad{0}, valid_ok{0}, valid_bad{0};
  std::mutex mu;
  std::vector<std::string> problems;
  std::vector<std::string> registered;
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      const auto& [type, body] = garbage[i % garbage.size()];
      HttpAnswer a = Post(url(), "/xds/registry", type, body);
      SoapAnswer r = ReadSoap(a.body);
      if (a.status >= 400 && a.status <= 599 && r.fault) {
        ++garbage_ok;
      } else {
        ++garbage_bad;
        std::lock_guard<std::mutex> lock(mu);
        problems.push_back("garbage " + std::to_string(i) + ": HTTP " + std::to_string(a.status) +
                           " " + a.error + " " + a.body.substr(0, 300));
      }
    });
  }
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 5; ++k) {
        TestSubmission s = NewSubmission(PatientId(2), 1);
        HttpAnswer a = Register(s);
        HttpAnswer q = Query(FindDocumentsXml(PatientId(1)));
        bool ok = ReadSoap(a.body).status == wire::kSuccess &&
                  ReadSoap(q.body).status == wire::kSuccess &&
                  ReadSoap(q.body).extrinsic_unique_ids.size() == 2;
        std::lock_guard<std::mutex> lock(mu);
        if (ok) {
          ++valid_ok;
          registered.push_back(s.document_unique_ids[0]);
        } else {
          ++valid_bad;
          problems.push_back("valid: " + a.error + a.body.substr(0, 300) + " / " +
                             q.body.substr(0, 300));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& p : problems) ADD_FAILURE() << p;
  EXPECT_EQ(garbage_ok, 50);
  EXPECT_EQ(valid_ok, 20);
  // Exactly what the valid requests registered is there for patient 2; then patient 2's
  // part of the snapshot is the new baseline.
  SoapAnswer r = ReadSoap(Query(FindDocumentsXml(PatientId(2))).body);
  std::sort(r.extrinsic_unique_ids.begin(), r.extrinsic_unique_ids.end());
  std::sort(registered.begin(), registered.end());
  EXPECT_EQ(r.extrinsic_unique_ids, registered);
  before_ = Snapshot();
}

}  // namespace
}  // namespace renkei::e2e
