// ITI-42 / ITI-57 storage mapping: index columns of SubmissionSet, Folder and Association
// rows (the DocumentEntry row is checked end to end in register_document_set_test.cc).
#include "registry/stored_object_builder.h"

#include <gtest/gtest.h>

#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

xds::Classification Coded(const std::string& scheme, const std::string& code,
                          const std::string& coding_scheme) {
  xds::Classification c;
  c.id = "urn:uuid:00000000-0000-4000-8000-00000000000" + std::to_string(code.size() % 10);
  c.classification_scheme = scheme;
  c.node_representation = code;
  c.slots.push_back({xds::kSlotCodingScheme, "", {coding_scheme}});
  return c;
}

xds::ExternalIdentifier ExtId(const std::string& scheme, const std::string& value) {
  xds::ExternalIdentifier e;
  e.identification_scheme = scheme;
  e.value = value;
  return e;
}

TEST(StoredObjectBuilderTest, SubmissionSetColumns) {
  xds::RegistryObject rim;
  rim.kind = xds::ObjectKind::kRegistryPackage;
  rim.id = "urn:uuid:6b0f1c3e-1d2a-4c55-9e77-1a2b3c4d5e6f";
  rim.lid = rim.id;
  rim.version_name = "1";
  rim.slots.push_back({xds::kSlotSubmissionTime, "", {"20240301102000"}});
  rim.classifications.push_back(
      Coded(xds::kSubmissionSetContentTypeCode, "Referral", "Connect-a-thon contentTypeCodes"));
  xds::Classification node;
  node.classification_node = xds::kSubmissionSetNode;
  rim.classifications.push_back(node);
  rim.external_identifiers.push_back(ExtId(xds::kSubmissionSetSourceId, "1.2.3.4"));
  rim.external_identifiers.push_back(ExtId(xds::kSubmissionSetUniqueId, "1.2.3.4.5"));
  rim.external_identifiers.push_back(ExtId(xds::kSubmissionSetPatientId, "P^^^&1.2&ISO"));

  StoredObject row = BuildStoredObject(rim, /*is_submission_set=*/true,
                                       StoredObjectContext{xds::kStatusApproved, "1.9"});
  EXPECT_EQ(row.kind, EntryKind::kSubmissionSet);
  EXPECT_EQ(row.id, rim.id);
  EXPECT_EQ(row.lid, rim.id);
  EXPECT_EQ(row.version, 1);
  EXPECT_EQ(row.status, xds::kStatusApproved);
  EXPECT_EQ(row.submitter, "1.9");
  EXPECT_EQ(row.source_id, "1.2.3.4");
  EXPECT_EQ(row.unique_id, "1.2.3.4.5");
  EXPECT_EQ(row.patient_id, "P^^^&1.2&ISO");
  ASSERT_EQ(row.codes.size(), 1u);
  EXPECT_EQ(row.codes[0].attr, CodeAttr::kContentType);
  EXPECT_EQ(row.codes[0].code, "Referral");
  ASSERT_EQ(row.times.size(), 1u);
  EXPECT_EQ(row.times[0].attr, TimeAttr::kSubmission);
  EXPECT_EQ(row.times[0].value, "20240301102000");
  EXPECT_FALSE(row.leaf_xml.empty());
  EXPECT_EQ(row.leaf_xml.find("status="), std::string::npos);
}

TEST(StoredObjectBuilderTest, FolderColumnsAndVersion) {
  xds::RegistryObject rim;
  rim.kind = xds::ObjectKind::kRegistryPackage;
  rim.id = "urn:uuid:7c1f2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  rim.lid = "urn:uuid:1c1f2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  rim.version_name = "3";
  rim.slots.push_back({xds::kSlotLastUpdateTime, "", {"20240302000000"}});
  rim.classifications.push_back(Coded(xds::kFolderCodeList, "A", "s1"));
  rim.classifications.push_back(Coded(xds::kFolderCodeList, "BB", "s2"));
  xds::Classification node;
  node.classification_node = xds::kFolderNode;
  rim.classifications.push_back(node);
  rim.external_identifiers.push_back(ExtId(xds::kFolderUniqueId, "1.2.3.6"));
  rim.external_identifiers.push_back(ExtId(xds::kFolderPatientId, "P^^^&1.2&ISO"));

  StoredObject row = BuildStoredObject(rim, /*is_submission_set=*/false,
                                       StoredObjectContext{xds::kStatusDeprecated, ""});
  EXPECT_EQ(row.kind, EntryKind::kFolder);
  EXPECT_EQ(row.lid, rim.lid);
  EXPECT_EQ(row.version, 3);
  EXPECT_EQ(row.status, xds::kStatusDeprecated);
  EXPECT_EQ(row.unique_id, "1.2.3.6");
  ASSERT_EQ(row.codes.size(), 2u);
  EXPECT_EQ(row.codes[1].attr, CodeAttr::kFolderCode);
  EXPECT_EQ(row.codes[1].code, "BB");
  EXPECT_EQ(row.codes[1].scheme, "s2");
  ASSERT_EQ(row.times.size(), 1u);
  EXPECT_EQ(row.times[0].attr, TimeAttr::kLastUpdate);
}

TEST(StoredObjectBuilderTest, AssociationColumnsUseFullTypeUrn) {
  xds::RegistryObject rim;
  rim.kind = xds::ObjectKind::kAssociation;
  rim.id = "urn:uuid:8d1f2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  rim.association_type = xds::kAssocRplc;
  rim.source_object = "urn:uuid:9d1f2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  rim.target_object = "urn:uuid:ad1f2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
  StoredObject row = BuildStoredObject(rim, false, StoredObjectContext{xds::kStatusApproved, ""});
  EXPECT_EQ(row.kind, EntryKind::kAssociation);
  EXPECT_EQ(row.assoc_type, xds::kAssocRplc);
  EXPECT_EQ(row.source, rim.source_object);
  EXPECT_EQ(row.target, rim.target_object);
  EXPECT_TRUE(row.unique_id.empty());
  EXPECT_TRUE(row.patient_id.empty());
  EXPECT_EQ(row.lid, rim.id);  // no lid given: same as id
}

TEST(StoredObjectBuilderTest, VersionNameParsing) {
  EXPECT_EQ(ParseVersionName("1"), 1);
  EXPECT_EQ(ParseVersionName("12"), 12);
  EXPECT_EQ(ParseVersionName(""), 1);
  EXPECT_EQ(ParseVersionName("1.1"), 1);
  EXPECT_EQ(ParseVersionName("0"), 1);
}

}  // namespace
}  // namespace renkei::registry
