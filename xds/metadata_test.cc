// XDS.b metadata views (ITI TF-3 §4.2.3) read from the IPF and NIST ebRS 3.0 examples.
#include "xds/metadata.h"

#include <gtest/gtest.h>

#include <string>

#include "xds/ebrim_codec.h"
#include "xds/internal/test_vectors.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::ReadFile;
using testing::WireExample;

Submission ReadVector(const std::string& file) {
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(ReadFile(WireExample(file)));
  EXPECT_TRUE(r.ok()) << file << ": " << r.status().ToString();
  return r.ok() ? ReadSubmission(*r) : Submission{};
}

TEST(ReadSubmission, IpfDocumentEntry) {
  Submission s = ReadVector("ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml");
  ASSERT_EQ(s.documents.size(), 1u);
  const DocumentEntry& d = s.documents[0];
  EXPECT_EQ(d.entry_uuid, "Document01");
  EXPECT_EQ(d.logical_id, "Document01");  // no lid: same as the id
  EXPECT_EQ(d.object_type, kObjectTypeStableDocument);
  EXPECT_FALSE(d.on_demand());
  EXPECT_EQ(d.mime_type, "text/xml");
  EXPECT_EQ(d.unique_id, "1.3.6.1.4.1.21367.2005.3.9999.32");
  EXPECT_EQ(d.patient_id, "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO");
  EXPECT_EQ(d.source_patient_id, "ST-1000^^^&1.3.6.1.4.1.21367.2003.3.9&ISO");
  ASSERT_EQ(d.source_patient_info.size(), 5u);
  EXPECT_EQ(d.source_patient_info[1], "PID-5|Doe^John^^^");
  EXPECT_EQ(d.creation_time, "20051224");
  EXPECT_EQ(d.service_start_time, "200412230800");
  EXPECT_EQ(d.service_stop_time, "200412230801");
  EXPECT_EQ(d.language_code, "en-us");
  EXPECT_EQ(d.title, "Physical");
  EXPECT_EQ(d.comments, "");
  EXPECT_EQ(d.class_code,
            (Code{"History and Physical", "Connect-a-thon classCodes", "History and Physical"}));
  ASSERT_EQ(d.confidentiality_codes.size(), 1u);
  EXPECT_EQ(d.confidentiality_codes[0].code, "1.3.6.1.4.1.21367.2006.7.101");
  EXPECT_EQ(d.format_code.code, "CDAR2/IHE 1.0");
  EXPECT_EQ(d.healthcare_facility_type_code.code, "Outpatient");
  EXPECT_EQ(d.practice_setting_code.code, "General Medicine");
  EXPECT_FALSE(d.type_code.empty());
  EXPECT_TRUE(d.event_codes.empty());
  ASSERT_EQ(d.authors.size(), 1u);
  EXPECT_EQ(d.authors[0].person, "Gerald Smitty");
  EXPECT_EQ(d.authors[0].institutions,
            (std::vector<std::string>{"Cleveland Clinic", "Parma Community"}));
  EXPECT_EQ(d.authors[0].roles, (std::vector<std::string>{"Attending"}));
  // The vector spells the slot "authorSpeciality": not the IHE name, so not read.
  EXPECT_TRUE(d.authors[0].specialties.empty());
  EXPECT_FALSE(d.limited_metadata);
}

TEST(ReadSubmission, BothSubmissionSetClassificationPlacementsReadTheSame) {
  Submission a = ReadVector("ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml");
  Submission b = ReadVector("ipf-ebrs30/SubmitObjectsRequest_ebrs30_2.xml");
  ASSERT_EQ(a.submission_sets.size(), 1u);
  ASSERT_EQ(b.submission_sets.size(), 1u);
  EXPECT_TRUE(a.unclassified_packages.empty());
  EXPECT_TRUE(a.unmatched_classifications.empty());
  const SubmissionSet& sa = a.submission_sets[0];
  const SubmissionSet& sb = b.submission_sets[0];
  EXPECT_EQ(sa.entry_uuid, "SubmissionSet01");
  EXPECT_EQ(sa.unique_id, "1.3.6.1.4.1.21367.2005.3.9999.33");
  EXPECT_EQ(sa.source_id, "3670984664");
  EXPECT_EQ(sa.patient_id, "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO");
  EXPECT_EQ(sa.submission_time, "20041225235050");
  EXPECT_EQ(sa.title, "Physical");
  EXPECT_EQ(sa.comments, "Annual physical");
  EXPECT_EQ(sa.content_type_code.code, "History and Physical");
  EXPECT_EQ(sa.content_type_code.scheme, "Connect-a-thon contentTypeCodes");
  ASSERT_EQ(sa.authors.size(), 1u);
  EXPECT_EQ(sa.authors[0].person, "Sherry Dopplemeyer");
  // The standalone classification was folded into the package: identical views.
  EXPECT_TRUE(sa.rim == sb.rim);
  EXPECT_EQ(sa.unique_id, sb.unique_id);
  EXPECT_EQ(a.associations.size(), 2u);
}

TEST(ReadSubmission, Associations) {
  Submission s = ReadVector("ipf-ebrs30/SubmitObjectsRequest_ebrs30_update.xml");
  ASSERT_EQ(s.associations.size(), 2u);
  const Association& member = s.associations[0];
  EXPECT_EQ(member.type, AssociationType::kHasMember);
  EXPECT_EQ(member.type_urn, kAssocHasMember);
  EXPECT_EQ(member.source, "SubmissionSet");
  EXPECT_EQ(member.target, "Document01");
  EXPECT_EQ(member.submission_set_status, "Original");
  EXPECT_EQ(member.previous_version, "1");
  const Association& uas = s.associations[1];
  EXPECT_EQ(uas.type, AssociationType::kUpdateAvailabilityStatus);
  EXPECT_EQ(uas.original_status, kStatusApproved);
  EXPECT_EQ(uas.new_status, kStatusDeprecated);
  ASSERT_EQ(s.documents.size(), 1u);
  EXPECT_EQ(s.documents[0].logical_id, "urn:uuid:20744602-ba65-44e9-87ee-a52303a5183e");
  EXPECT_EQ(s.documents[0].version, "1");
  EXPECT_EQ(s.documents[0].availability_status, kStatusApproved);
  // Nested SubmissionSet classification (its classifiedObject differs from the id).
  EXPECT_EQ(s.submission_sets.size(), 1u);

  Submission odd =
      ReadVector("ipf-ebrs30/SubmitObjectsRequest_ebrs30_update_nonstandard_association.xml");
  bool other = false;
  for (const Association& a : odd.associations) other = other || a.type == AssociationType::kOther;
  EXPECT_TRUE(other);
}

TEST(ReadSubmission, NistPnrTwoDocumentsAndLimitedMetadata) {
  Submission s = ReadVector("nist-validator-samples/pnr.xml");
  EXPECT_EQ(s.documents.size(), 2u);
  EXPECT_EQ(s.submission_sets.size(), 1u);
  ASSERT_FALSE(s.documents.empty());
  EXPECT_EQ(s.documents[0].authors.size(), 2u);
  EXPECT_EQ(s.documents[0].authors[1].person, "^Dopplemeyer^Sherry^^^");
  EXPECT_EQ(s.documents[0].authors[1].specialties, (std::vector<std::string>{"Orthopedic"}));

  Submission limited = ReadVector("nist-validator-samples/pnr-limited.xml");
  ASSERT_EQ(limited.documents.size(), 1u);
  ASSERT_EQ(limited.submission_sets.size(), 1u);
  EXPECT_TRUE(limited.documents[0].limited_metadata);
  EXPECT_TRUE(limited.submission_sets[0].limited_metadata);
}

RegistryObject Package(const std::string& id) {
  RegistryObject p;
  p.kind = ObjectKind::kRegistryPackage;
  p.id = id;
  return p;
}

Classification NodeClassification(const std::string& node, const std::string& object) {
  Classification c;
  c.classification_node = node;
  c.classified_object = object;
  return c;
}

TEST(ReadSubmission, FoldersUnclassifiedAndUnmatched) {
  SubmitObjectsRequest r;
  r.objects.push_back(Package("F1"));
  r.objects.push_back(Package("F2"));
  r.objects[1].classifications.push_back(NodeClassification(kFolderNode, "F2"));
  r.objects.push_back(Package("P3"));
  r.objects.push_back(Package("SS"));
  r.objects[0].slots.push_back({kSlotLastUpdateTime, "", {"20200101"}});
  r.objects[0].lid = "urn:uuid:l";
  r.objects[0].version_name = "3";
  Classification code;
  code.classification_scheme = kFolderCodeList;
  code.classified_object = "F1";
  code.node_representation = "c1";
  code.slots = {{kSlotCodingScheme, "", {"s1"}}};
  r.objects[0].classifications.push_back(code);
  r.objects[0].external_identifiers.push_back({"", kFolderUniqueId, "F1", "1.2.3", {}});
  r.classifications.push_back(NodeClassification(kFolderNode, "F1"));
  r.classifications.push_back(NodeClassification(kSubmissionSetNode, "SS"));
  r.classifications.push_back(NodeClassification(kFolderNode, "Nowhere"));
  r.object_refs = {"urn:uuid:ref"};

  Submission s = ReadSubmission(r);
  ASSERT_EQ(s.folders.size(), 2u);
  EXPECT_EQ(s.folders[0].entry_uuid, "F1");
  EXPECT_EQ(s.folders[0].logical_id, "urn:uuid:l");
  EXPECT_EQ(s.folders[0].version, "3");
  EXPECT_EQ(s.folders[0].last_update_time, "20200101");
  EXPECT_EQ(s.folders[0].unique_id, "1.2.3");
  EXPECT_EQ(s.folders[0].codes, (std::vector<Code>{{"c1", "s1", ""}}));
  EXPECT_EQ(s.folders[0].rim.classifications.size(), 2u);  // code + folded folder node
  EXPECT_EQ(s.folders[1].entry_uuid, "F2");
  ASSERT_EQ(s.submission_sets.size(), 1u);
  EXPECT_EQ(s.submission_sets[0].entry_uuid, "SS");
  ASSERT_EQ(s.unclassified_packages.size(), 1u);
  EXPECT_EQ(s.unclassified_packages[0].id, "P3");
  ASSERT_EQ(s.unmatched_classifications.size(), 1u);
  EXPECT_EQ(s.unmatched_classifications[0].classified_object, "Nowhere");
  EXPECT_EQ(s.object_refs, r.object_refs);
}

TEST(ReadSubmission, StandaloneDuplicateOfNestedIsNotAddedTwice) {
  SubmitObjectsRequest r;
  r.objects.push_back(Package("SS"));
  Classification c = NodeClassification(kSubmissionSetNode, "SS");
  c.id = "cl10";
  r.objects[0].classifications.push_back(c);
  r.classifications.push_back(c);
  Submission s = ReadSubmission(r);
  ASSERT_EQ(s.submission_sets.size(), 1u);
  EXPECT_EQ(s.submission_sets[0].rim.classifications.size(), 1u);
}

TEST(ReadDocumentEntry, OnDemandUriPartsReferenceIdsLegalAuthenticator) {
  RegistryObject o;
  o.id = "urn:uuid:d";
  o.object_type = kObjectTypeOnDemandDocument;
  o.slots = {{kSlotUri, "", {"2|/part/two", "1|http://host"}},
             {kSlotReferenceIdList, "", {"a^^^&1.2&ISO^urn:ihe:iti:xds:2013:order", "b"}},
             {kSlotLegalAuthenticator, "", {"^Welby^Marcus"}},
             {kSlotHash, "", {"da39a3ee5e6b4b0d3255bfef95601890afd80709"}},
             {kSlotSize, "", {"0"}},
             {kSlotRepositoryUniqueId, "", {"1.2.3"}}};
  DocumentEntry d = ReadDocumentEntry(o);
  EXPECT_TRUE(d.on_demand());
  EXPECT_EQ(d.uri, "http://host/part/two");
  EXPECT_EQ(d.reference_ids.size(), 2u);
  EXPECT_EQ(d.legal_authenticator, "^Welby^Marcus");
  EXPECT_EQ(d.hash, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(d.size, "0");
  EXPECT_EQ(d.repository_unique_id, "1.2.3");
  EXPECT_TRUE(d.rim == o);

  o.slots = {{kSlotUri, "", {"http://a|b", "c"}}};  // not split parts: first value
  EXPECT_EQ(ReadDocumentEntry(o).uri, "http://a|b");
  o.slots = {{kSlotUri, "", {"http://single"}}};
  EXPECT_EQ(ReadDocumentEntry(o).uri, "http://single");
}

TEST(ReadCodes, AuthorsAndCodesByScheme) {
  RegistryObject o;
  Classification a1, a2, code;
  a1.classification_scheme = a2.classification_scheme = kSubmissionSetAuthor;
  a1.slots = {{kSlotAuthorPerson, "", {"p1", "ignored second"}},
              {kSlotAuthorTelecommunication, "", {"^^Internet^a@b"}}};
  a2.slots = {{kSlotAuthorInstitution, "", {"Org^^^^^^^^^1.2"}}};
  code.classification_scheme = kSubmissionSetContentTypeCode;
  code.node_representation = "n";
  code.name.strings = {{"disp", "", ""}};
  o.classifications = {a1, code, a2};
  std::vector<Author> authors = ReadAuthors(o, kSubmissionSetAuthor);
  ASSERT_EQ(authors.size(), 2u);
  EXPECT_EQ(authors[0].person, "p1");
  EXPECT_EQ(authors[0].telecoms, (std::vector<std::string>{"^^Internet^a@b"}));
  EXPECT_EQ(authors[1].person, "");
  EXPECT_EQ(authors[1].institutions.size(), 1u);
  EXPECT_EQ(ReadCode(o, kSubmissionSetContentTypeCode), (Code{"n", "", "disp"}));
  EXPECT_TRUE(ReadCode(o, kDocEntryClassCode).empty());
  EXPECT_EQ(ReadCodes(o, kSubmissionSetContentTypeCode).size(), 1u);
  EXPECT_TRUE(ReadCodes(o, kDocEntryEventCodeList).empty());
}

TEST(AssociationTypes, UrnsRoundTrip) {
  const AssociationType all[] = {
      AssociationType::kHasMember,    AssociationType::kRplc,
      AssociationType::kApnd,         AssociationType::kXfrm,
      AssociationType::kXfrmRplc,     AssociationType::kSigns,
      AssociationType::kIsSnapshotOf, AssociationType::kUpdateAvailabilityStatus};
  for (AssociationType t : all) {
    std::string urn = AssociationTypeUrn(t);
    EXPECT_FALSE(urn.empty());
    EXPECT_EQ(ParseAssociationType(urn), t) << urn;
  }
  EXPECT_EQ(ParseAssociationType(kAssocRplc), AssociationType::kRplc);
  EXPECT_EQ(ParseAssociationType("urn:ihe:iti:2007:AssociationType:rplc"), AssociationType::kOther);
  EXPECT_EQ(ParseAssociationType(""), AssociationType::kOther);
  EXPECT_STREQ(AssociationTypeUrn(AssociationType::kOther), "");
}

}  // namespace
}  // namespace renkei::xds
