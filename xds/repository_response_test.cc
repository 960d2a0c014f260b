// Answers read and written by the Document Repository codecs: rs:RegistryResponse (ITI-41/42
// answers, SOAP Faults, RegistryErrorList) and the ITI-43 RetrieveDocumentSetResponse
// (ITI TF-2 §3.43.4.2), against the NIST wire samples and in encode → decode round trips.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "xds/internal/codec_test_util.h"
#include "xds/repository_codec.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::AllBytes;
using testing::ExpectInvalid;
using testing::Sample;
using testing::WithoutDeclaration;

const char kRegistryError[] = "XDSRegistryError";

Result<SoapMessage> Response(const std::string& body) {
  return SoapMessage::Parse(EncodeSoapResponse(kActionRetrieveResponse, "urn:uuid:1", body),
                            SoapLimits{});
}

TEST(DecodeRegistryResponse, NistRetrieveResponse) {
  Result<SoapMessage> m =
      SoapMessage::Parse(Sample("nist-validator-samples/soap-ret-resp.xml"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RegistryResponse> r = DecodeRegistryResponse(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->success());
  EXPECT_EQ(r->status, kResponseSuccess);
  EXPECT_TRUE(r->errors.empty());
  ASSERT_EQ(r->documents.size(), 2u);
  for (const RetrievedDocument& d : r->documents) {
    EXPECT_EQ(d.repository_unique_id, "1.3.6.1.4...1000");
    EXPECT_EQ(d.document_unique_id, "1.3.6.1.4...2300");
    EXPECT_EQ(d.mime_type, "text/xml");
    EXPECT_TRUE(d.include_cid.empty());
    EXPECT_EQ(d.inline_bytes, "R0lGODlhcgGSALMAAAQCAEMmCZtuMFQxDS8b");
  }
}

TEST(DecodeRegistryResponse, NistRegistryResponses) {
  for (const char* file :
       {"nist-validator-samples/soap-r-resp.xml", "nist-validator-samples/soap-pnr-resp.xml"}) {
    Result<SoapMessage> m = SoapMessage::Parse(Sample(file), {});
    ASSERT_TRUE(m.ok()) << file << ": " << m.status().ToString();
    Result<RegistryResponse> r = DecodeRegistryResponse(*m);
    ASSERT_TRUE(r.ok()) << file << ": " << r.status().ToString();
    EXPECT_TRUE(r->success()) << file;
    EXPECT_TRUE(r->errors.empty()) << file;
    EXPECT_TRUE(r->documents.empty()) << file;
  }
}

TEST(DecodeRegistryResponse, NistInconsistentResponsesAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"nist-validator-samples/regresp-suc-err.xml", "Success with an error"},
      {"nist-validator-samples/regresp-fail-noerr.xml", "Failure without an error"},
  };
  for (const auto& [file, message] : cases) {
    Result<SoapMessage> m = Response(WithoutDeclaration(Sample(file)));
    ASSERT_TRUE(m.ok()) << file << ": " << m.status().ToString();
    ExpectInvalid(DecodeRegistryResponse(*m).status(), kRegistryError, "", message);
  }
}

TEST(DecodeRegistryResponse, TwoErrorsOneWarning) {
  const std::string body =
      std::string("<rs:RegistryResponse xmlns:rs=\"") + kNsRs + "\" status=\" " + kResponseFailure +
      "\n\"><rs:RegistryErrorList highestSeverity=\"" + kSeverityError +
      "\"><rs:RegistryError errorCode=\"XDSUnknownPatientId\" codeContext=\"patient P1 "
      "unknown\" location=\"Document01\" severity=\"" +
      kSeverityError + "\"/><rs:RegistryError errorCode=\"XDSExtraMetadataNotSaved\" severity=\"" +
      kSeverityWarning +
      "\">extra slot dropped</rs:RegistryError></rs:RegistryErrorList>"
      "</rs:RegistryResponse>";
  Result<SoapMessage> m = Response(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RegistryResponse> r = DecodeRegistryResponse(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->success());
  EXPECT_EQ(r->status, kResponseFailure);
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].error_code, "XDSUnknownPatientId");
  EXPECT_EQ(r->errors[0].code_context, "patient P1 unknown");
  EXPECT_EQ(r->errors[0].location, "Document01");
  EXPECT_EQ(r->errors[0].severity, Severity::kError);
  EXPECT_EQ(r->errors[1].error_code, "XDSExtraMetadataNotSaved");
  EXPECT_EQ(r->errors[1].code_context, "extra slot dropped");
  EXPECT_TRUE(r->errors[1].location.empty());
  EXPECT_EQ(r->errors[1].severity, Severity::kWarning);
}

TEST(DecodeRegistryResponse, UnknownSeverityCountsAsError) {
  const std::string body = std::string("<rs:RegistryResponse xmlns:rs=\"") + kNsRs +
                           "\" status=\"" + kResponseFailure +
                           "\"><rs:RegistryErrorList><rs:RegistryError errorCode=\"X\" "
                           "severity=\"Fatal\"/></rs:RegistryErrorList></rs:RegistryResponse>";
  Result<SoapMessage> m = Response(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RegistryResponse> r = DecodeRegistryResponse(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].severity, Severity::kError);
}

TEST(DecodeRegistryResponse, SoapFaultIsAnError) {
  std::string ours = EncodeSoapFault({kFaultCodeReceiver, "", "registry <down> & out"}, "urn:x");
  std::string theirs = std::string("<env:Envelope xmlns:env=\"") + kNsSoap12 + "\" xmlns:a=\"" +
                       kNsWsa + "\"><env:Header><a:Action>" + kActionSoapFault +
                       "</a:Action></env:Header><env:Body><env:Fault><env:Code><env:Value>"
                       "env:Sender</env:Value></env:Code><env:Reason><env:Text xml:lang=\"en\">"
                       "Unknown action</env:Text></env:Reason></env:Fault></env:Body>"
                       "</env:Envelope>";
  const std::pair<std::string, const char*> cases[] = {
      {ours, "SOAP Fault: registry <down> & out (soap:Receiver)"},
      {theirs, "SOAP Fault: Unknown action (env:Sender)"},
  };
  for (const auto& [envelope, message] : cases) {
    Result<SoapMessage> m = SoapMessage::Parse(envelope, SoapLimits{});
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Result<RegistryResponse> r = DecodeRegistryResponse(*m);
    ExpectInvalid(r.status(), kRegistryError, "", "SOAP Fault");
    EXPECT_EQ(r.status().message(), message);
  }
}

TEST(DecodeRegistryResponse, ErrorCases) {
  const std::string rs = std::string("<rs:RegistryResponse xmlns:rs=\"") + kNsRs + "\" status=\"";
  const std::string ok = rs + kResponseSuccess + "\"/>";
  auto retrieve = [&](const std::string& documents) {
    return std::string("<RetrieveDocumentSetResponse xmlns=\"") + kNsXdsb + "\">" + ok + documents +
           "</RetrieveDocumentSetResponse>";
  };
  const std::string ids =
      "<RepositoryUniqueId>1</RepositoryUniqueId><DocumentUniqueId>2</DocumentUniqueId>";
  struct Case {
    const char* name;
    std::string body;
    const char* location;
    const char* message;
  };
  const Case cases[] = {
      {"other element",
       std::string("<query:AdhocQueryResponse xmlns:query=\"") + kNsQuery + "\" status=\"" +
           kResponseSuccess + "\"/>",
       "", "expected rs:RegistryResponse or xdsb:RetrieveDocumentSetResponse"},
      {"no status", std::string("<rs:RegistryResponse xmlns:rs=\"") + kNsRs + "\"/>", "",
       "no valid status"},
      {"unknown status", rs + "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Done\"/>", "",
       "no valid status"},
      {"unknown child", rs + kResponseSuccess + "\"><rs:Other/></rs:RegistryResponse>", "",
       "unexpected element"},
      {"retrieve without RegistryResponse",
       std::string("<RetrieveDocumentSetResponse xmlns=\"") + kNsXdsb +
           "\"><DocumentResponse/></RetrieveDocumentSetResponse>",
       "", "must start with rs:RegistryResponse"},
      {"no mimeType",
       retrieve("<DocumentResponse>" + ids + "<Document>QQ==</Document></DocumentResponse>"),
       "DocumentResponse[1]", "has no mimeType"},
      {"no Document",
       retrieve("<DocumentResponse>" + ids + "<mimeType>text/plain</mimeType></DocumentResponse>"),
       "DocumentResponse[1]", "has no Document"},
      {"bad base64",
       retrieve("<DocumentResponse>" + ids +
                "<mimeType>text/plain</mimeType><Document>QQ</Document></DocumentResponse>"),
       "DocumentResponse[1]", "not valid base64"},
      {"other element after documents",
       retrieve("<DocumentResponse>" + ids +
                "<mimeType>a/b</mimeType><Document>QQ==</Document></DocumentResponse><Extra/>"),
       "DocumentResponse[2]", "unexpected element"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<SoapMessage> m = Response(c.body);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectInvalid(DecodeRegistryResponse(*m).status(), kRegistryError, c.location, c.message);
  }
}

TEST(DecodeRegistryResponse, OnDemandFieldsAreAccepted) {
  const std::string body =
      std::string("<xdsb:RetrieveDocumentSetResponse xmlns:xdsb=\"") + kNsXdsb +
      "\"><rs:RegistryResponse xmlns:rs=\"" + kNsRs + "\" status=\"" + kResponseSuccess +
      "\"/><xdsb:DocumentResponse><xdsb:HomeCommunityId>urn:oid:1.2</xdsb:HomeCommunityId>"
      "<xdsb:RepositoryUniqueId>1</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>2"
      "</xdsb:DocumentUniqueId><xdsb:NewRepositoryUniqueId>3</xdsb:NewRepositoryUniqueId>"
      "<xdsb:NewDocumentUniqueId>4</xdsb:NewDocumentUniqueId><xdsb:mimeType>text/plain"
      "</xdsb:mimeType><xdsb:Document/></xdsb:DocumentResponse>"
      "</xdsb:RetrieveDocumentSetResponse>";
  Result<SoapMessage> m = Response(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RegistryResponse> r = DecodeRegistryResponse(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->documents.size(), 1u);
  EXPECT_EQ(r->documents[0].home_community_id, "urn:oid:1.2");
  EXPECT_EQ(r->documents[0].document_unique_id, "2");
  EXPECT_TRUE(r->documents[0].inline_bytes.empty());
}

// ITI TF-2 §3.43.4.2.3 response status, then decode of what was encoded.
TEST(RetrieveResponseRoundTrip, StatusAndDocuments) {
  const std::vector<RetrievedDocument> documents = {
      {"urn:oid:1.2.3", "1.2.3.4", "1.2.3.4.5", "application/pdf", "part-1@renkei", ""},
      {"", "1.2.3.4", "1.2.3.4.6", "text/xml; charset=\"utf-8\"", "",
       "<a>&amp;</a>\n" + AllBytes()},
  };
  const RegistryError error{"XDSDocumentUniqueIdError", "no document 1.2.3.4.7 <here>", "1.2.3.4.7",
                            Severity::kError};
  const RegistryError warning{"XDSExtraMetadataNotSaved", "ignored", "", Severity::kWarning};
  struct Case {
    const char* name;
    std::vector<RetrievedDocument> documents;
    RegistryErrorList errors;
    const char* status;
  };
  const Case cases[] = {
      {"all found", documents, {}, kResponseSuccess},
      {"found with a warning", documents, {warning}, kResponseSuccess},
      {"some found", documents, {error, warning}, kResponsePartialSuccess},
      {"none found", {}, {error}, kResponseFailure},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string xml = EncodeRetrieveDocumentSetResponse(c.documents, c.errors);
    Result<SoapMessage> m = Response(xml);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Result<RegistryResponse> r = DecodeRegistryResponse(*m);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << xml;
    EXPECT_EQ(r->status, c.status);
    EXPECT_EQ(r->success(), std::string(c.status) == kResponseSuccess);
    ASSERT_EQ(r->errors.size(), c.errors.size());
    for (size_t i = 0; i < c.errors.size(); ++i) {
      EXPECT_EQ(r->errors[i].error_code, c.errors[i].error_code);
      EXPECT_EQ(r->errors[i].code_context, c.errors[i].code_context);
      EXPECT_EQ(r->errors[i].location, c.errors[i].location);
      EXPECT_EQ(r->errors[i].severity, c.errors[i].severity);
    }
    ASSERT_EQ(r->documents.size(), c.documents.size());
    for (size_t i = 0; i < c.documents.size(); ++i) {
      const RetrievedDocument& want = c.documents[i];
      const RetrievedDocument& got = r->documents[i];
      EXPECT_EQ(got.home_community_id, want.home_community_id);
      EXPECT_EQ(got.repository_unique_id, want.repository_unique_id);
      EXPECT_EQ(got.document_unique_id, want.document_unique_id);
      EXPECT_EQ(got.mime_type, want.mime_type);
      EXPECT_EQ(got.include_cid, want.include_cid);
      EXPECT_EQ(got.inline_bytes, want.inline_bytes);
    }
  }
}

TEST(RetrieveResponseEncoding, DeclaresNamespacesOnTheRoot) {
  std::string xml =
      EncodeRetrieveDocumentSetResponse({{"", "1", "2", "text/plain", "c@d", ""}}, {});
  std::string root = xml.substr(0, xml.find('>'));
  EXPECT_EQ(root.rfind("<xdsb:RetrieveDocumentSetResponse", 0), 0u) << xml;
  EXPECT_NE(root.find(std::string("xmlns:xdsb=\"") + kNsXdsb + "\""), std::string::npos);
  EXPECT_NE(root.find(std::string("xmlns:rs=\"") + kNsRs + "\""), std::string::npos);
  EXPECT_NE(root.find(std::string("xmlns:xop=\"") + kNsXop + "\""), std::string::npos);
  EXPECT_NE(xml.find("<xop:Include href=\"cid:c@d\"/>"), std::string::npos) << xml;
}

TEST(RegistryResponse, SuccessIsOnlySuccess) {
  RegistryResponse r;
  for (const auto& [status, success] :
       std::vector<std::pair<const char*, bool>>{{kResponseSuccess, true},
                                                 {kResponsePartialSuccess, false},
                                                 {kResponseFailure, false},
                                                 {"", false}}) {
    r.status = status;
    EXPECT_EQ(r.success(), success) << status;
  }
}

}  // namespace
}  // namespace renkei::xds
