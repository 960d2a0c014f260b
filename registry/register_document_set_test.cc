// ITI-42 Register Document Set-b (ITI TF-2 §3.42.4.1.3): registry-side rules on a real
// in-memory SqliteRegistryStore, with requests decoded from ebRS 3.0 bodies.
#include <gtest/gtest.h>

#include "registry/internal/submission_ids.h"
#include "registry/internal/test_submissions.h"

namespace renkei::registry {
namespace {

using testing::kHashA;
using testing::kHashB;
using testing::kOtherPid;
using testing::kPid;
using testing::NewOid;
using testing::RequestBuilder;
using Iti42Test = testing::RegistryFixture;

bool HasTime(const StoredObject& o, TimeAttr attr, const std::string& value = "") {
  for (const StoredTime& t : o.times) {
    if (t.attr == attr && (value.empty() || t.value == value)) return true;
  }
  return false;
}

std::string TimeOf(const StoredObject& o, TimeAttr attr) {
  for (const StoredTime& t : o.times) {
    if (t.attr == attr) return t.value;
  }
  return "";
}

TEST_F(Iti42Test, RegistersDocumentWithIndexColumnsAndFreshIds) {
  const std::string uid = NewOid();
  RequestBuilder b;
  b.SubmissionSet().Document({.uid = uid}).Member("hm1", "Document01");
  xds::RegistryErrorList errors = Register(b);
  ASSERT_TRUE(errors.empty()) << Describe(errors);

  StoredObject doc = One(EntryKind::kDocumentEntry, uid);
  EXPECT_TRUE(internal::IsUuidUrn(doc.id)) << doc.id;
  EXPECT_EQ(doc.lid, doc.id);
  EXPECT_EQ(doc.version, 1);
  EXPECT_EQ(doc.status, xds::kStatusApproved);
  EXPECT_EQ(doc.patient_id, kPid);
  EXPECT_EQ(doc.hash, kHashA);
  EXPECT_EQ(doc.size, "1024");
  EXPECT_EQ(doc.repository_unique_id, "1.2.392.200119.6.102.1");
  EXPECT_EQ(doc.submitter, "1.2.392.200119.6.102");
  EXPECT_EQ(doc.object_type, xds::kObjectTypeStableDocument);
  ASSERT_EQ(doc.author_persons.size(), 1u);
  EXPECT_EQ(doc.author_persons[0], "^Yamada^Taro^^^");
  EXPECT_TRUE(HasTime(doc, TimeAttr::kCreation, "20240301101500"));
  EXPECT_TRUE(HasTime(doc, TimeAttr::kServiceStart, "20240301090000"));
  int class_codes = 0, event_codes = 0;
  for (const StoredCode& c : doc.codes) {
    if (c.attr == CodeAttr::kClass && c.code == "REPORTS") ++class_codes;
    if (c.attr == CodeAttr::kEvent && c.code == "T-D4909" && c.scheme == "SNM3") ++event_codes;
  }
  EXPECT_EQ(class_codes, 1);
  EXPECT_EQ(event_codes, 1);
  // The fragment carries the final ids and no status (registry/registry_store.h).
  EXPECT_NE(doc.leaf_xml.find(doc.id), std::string::npos);
  EXPECT_EQ(doc.leaf_xml.find("Document01"), std::string::npos);
  EXPECT_EQ(doc.leaf_xml.find("status="), std::string::npos);
  auto decoded = xds::DecodeRegistryObjectFragment(doc.leaf_xml);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->version_name, "1");
  for (const auto& c : decoded->classifications) {
    EXPECT_TRUE(internal::IsUuidUrn(c.id)) << c.id;
    EXPECT_EQ(c.classified_object, doc.id);
  }

  auto assocs = AssociationsOf(doc.id);
  ASSERT_EQ(assocs.size(), 1u);
  EXPECT_EQ(assocs[0].assoc_type, xds::kAssocHasMember);
  EXPECT_EQ(assocs[0].target, doc.id);
  auto ss = store_->Get(assocs[0].source);
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(ss->kind, EntryKind::kSubmissionSet);
  EXPECT_EQ(ss->source_id, "1.2.392.200119.6.102");
  EXPECT_EQ(ss->status, xds::kStatusApproved);
  // The standalone SubmissionSet classification is stored inside the package.
  EXPECT_NE(ss->leaf_xml.find(xds::kSubmissionSetNode), std::string::npos);
}

TEST_F(Iti42Test, KeepsSubmitterChosenUuidsAndRejectsTheirResubmission) {
  // NIST 15806: the same entryUUID submitted twice is refused; the first stays.
  const std::string id = "urn:uuid:0f3c1a52-6a4e-4c1e-9a55-0c1d2e3f4a5b";
  RequestBuilder first;
  first.SubmissionSet().Document({.id = id, .title = "Physical"}).Member("hm1", id);
  ASSERT_TRUE(Register(first).empty());
  EXPECT_EQ(StatusOf(id), xds::kStatusApproved);

  RequestBuilder again;
  again.SubmissionSet().Document({.id = id, .title = "Replacement Physical"}).Member("hm1", id);
  xds::RegistryErrorList errors = Register(again);
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(HasCode(errors, "XDSRegistryMetadataError")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 1);
  auto stored = store_->Get(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(stored->leaf_xml.find("\"Physical\""), std::string::npos);
}

struct UniqueIdCase {
  const char* name;
  const char* second_hash;
  const char* code;
};

class Iti42UniqueIdTest : public testing::RegistryFixture,
                          public ::testing::WithParamInterface<UniqueIdCase> {};

TEST_P(Iti42UniqueIdTest, DocumentUniqueIdAlreadyRegistered) {
  // ITI TF-3 Table 4.2.4.1-2: XDSDuplicateUniqueIdInRegistry / XDSNonIdenticalHash.
  const std::string uid = NewOid();
  RegisterOneDocument({.uid = uid, .hash = kHashA});
  RequestBuilder b;
  b.SubmissionSet().Document({.uid = uid, .hash = GetParam().second_hash}).Member("hm1",
                                                                                 "Document01");
  xds::RegistryErrorList errors = Register(b);
  EXPECT_TRUE(HasCode(errors, GetParam().code)) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Iti42UniqueIdTest,
    ::testing::Values(UniqueIdCase{"SameHash", kHashA, "XDSDuplicateUniqueIdInRegistry"},
                      UniqueIdCase{"OtherHash", kHashB, "XDSNonIdenticalHash"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(Iti42Test, FolderUniqueIdAlreadyRegistered) {
  const std::string uid = NewOid();
  RequestBuilder first;
  first.SubmissionSet().Folder({.uid = uid}).Member("hm1", "Folder01");
  ASSERT_TRUE(Register(first).empty());
  RequestBuilder second;
  second.SubmissionSet().Folder({.uid = uid}).Member("hm1", "Folder01");
  EXPECT_TRUE(HasCode(Register(second), "XDSDuplicateUniqueIdInRegistry"));
  EXPECT_EQ(Count(EntryKind::kFolder), 1);
}

TEST_F(Iti42Test, ReplaceDeprecatesOriginal) {
  // NIST 11992 (RPLC) and 11995 (XFRM_RPLC).
  for (const char* type : {xds::kAssocRplc, xds::kAssocXfrmRplc}) {
    StoredObject original = RegisterOneDocument();
    const std::string uid = NewOid();
    RequestBuilder b;
    b.SubmissionSet()
        .Document({.uid = uid})
        .Member("hm1", "Document01")
        .Association("rplc", type, "Document01", original.id);
    xds::RegistryErrorList errors = Register(b);
    ASSERT_TRUE(errors.empty()) << type << "\n" << Describe(errors);
    EXPECT_EQ(StatusOf(original.id), xds::kStatusDeprecated) << type;
    EXPECT_EQ(One(EntryKind::kDocumentEntry, uid).status, xds::kStatusApproved) << type;
  }
}

TEST_F(Iti42Test, AppendAndTransformKeepOriginalApproved) {
  for (const char* type : {xds::kAssocApnd, xds::kAssocXfrm, xds::kAssocSigns}) {
    StoredObject original = RegisterOneDocument();
    RequestBuilder b;
    b.SubmissionSet()
        .Document({})
        .Member("hm1", "Document01")
        .Association("rel", type, "Document01", original.id);
    xds::RegistryErrorList errors = Register(b);
    ASSERT_TRUE(errors.empty()) << type << "\n" << Describe(errors);
    EXPECT_EQ(StatusOf(original.id), xds::kStatusApproved) << type;
  }
}

TEST_F(Iti42Test, RelationshipToDeprecatedDocumentIsRefused) {
  // NIST 11993 apnd_rplc / 11994 xfrm_rplc: the replaced document is Deprecated.
  StoredObject original = RegisterOneDocument();
  RequestBuilder rplc;
  rplc.SubmissionSet()
      .Document({})
      .Member("hm1", "Document01")
      .Association("rplc", xds::kAssocRplc, "Document01", original.id);
  ASSERT_TRUE(Register(rplc).empty());
  for (const char* type : {xds::kAssocApnd, xds::kAssocXfrm, xds::kAssocRplc}) {
    const int64_t before = Count(EntryKind::kDocumentEntry);
    RequestBuilder b;
    b.SubmissionSet()
        .Document({})
        .Member("hm1", "Document01")
        .Association("rel", type, "Document01", original.id);
    xds::RegistryErrorList errors = Register(b);
    EXPECT_TRUE(HasCode(errors, "XDSRegistryDeprecatedDocumentError"))
        << type << "\n" << Describe(errors);
    EXPECT_EQ(Count(EntryKind::kDocumentEntry), before) << type;
  }
}

TEST_F(Iti42Test, ReplacementOfAnotherPatientsDocumentIsRefused) {
  // NIST 11998: patientId of the replacement differs from the original's.
  StoredObject original = RegisterOneDocument();
  RequestBuilder b;
  b.SubmissionSet("SubmissionSet01", kOtherPid)
      .Document({.pid = kOtherPid})
      .Member("hm1", "Document01")
      .Association("rplc", xds::kAssocRplc, "Document01", original.id);
  xds::RegistryErrorList errors = Register(b);
  EXPECT_TRUE(HasCode(errors, "XDSPatientIdDoesNotMatch")) << Describe(errors);
  EXPECT_EQ(StatusOf(original.id), xds::kStatusApproved);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);
}

TEST_F(Iti42Test, ReferenceToUnknownObjectIsRefusedAndNothingIsWritten) {
  RequestBuilder b;
  b.SubmissionSet()
      .Document({})
      .Member("hm1", "Document01")
      .Association("apnd", xds::kAssocApnd, "Document01",
                   "urn:uuid:11111111-2222-4333-8444-555555555555");
  xds::RegistryErrorList errors = Register(b);
  EXPECT_TRUE(HasCode(errors, "XDSRegistryMetadataError")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 0);
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 0);
  EXPECT_EQ(Count(EntryKind::kAssociation), 0);
}

TEST_F(Iti42Test, NewFolderGetsLastUpdateTime) {
  // NIST 11999 / 12000; ITI TF-3 §4.2.3.4 lastUpdateTime is set by the registry.
  const std::string uid = NewOid();
  RequestBuilder b;
  b.SubmissionSet()
      .Folder({.uid = uid})
      .Document({})
      .Member("hm1", "Folder01")
      .Member("hm2", "Document01")
      .Association("fd", xds::kAssocHasMember, "Folder01", "Document01")
      .Member("hm3", "fd", {{"SubmissionSetStatus", "Original"}});
  xds::RegistryErrorList errors = Register(b);
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  StoredObject folder = One(EntryKind::kFolder, uid);
  EXPECT_EQ(TimeOf(folder, TimeAttr::kLastUpdate).size(), 14u);
  EXPECT_NE(folder.leaf_xml.find(xds::kSlotLastUpdateTime), std::string::npos);
  EXPECT_EQ(folder.status, xds::kStatusApproved);
}

// Makes a registered Folder look old so that a later membership change is visible.
void AgeFolder(RegistryStore& store, const std::string& id) {
  Status st = store.Apply([&](RegistryTransaction& tx) {
    auto row = tx.Get(id);
    if (!row.ok()) return row.status();
    StoredObject old = *row;
    std::string now;
    for (StoredTime& t : old.times) {
      if (t.attr == TimeAttr::kLastUpdate) {
        now = t.value;
        t.value = "20000101000000";
      }
    }
    size_t p = old.leaf_xml.find(now);
    if (p != std::string::npos) old.leaf_xml.replace(p, now.size(), "20000101000000");
    return tx.Replace(old);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
}

TEST_F(Iti42Test, ExistingDocumentJoinsExistingFolder) {
  // NIST 12326: HasMember from a registered Folder to a registered DocumentEntry.
  const std::string fuid = NewOid();
  RequestBuilder create;
  create.SubmissionSet().Folder({.uid = fuid}).Member("hm1", "Folder01");
  ASSERT_TRUE(Register(create).empty());
  StoredObject folder = One(EntryKind::kFolder, fuid);
  StoredObject doc = RegisterOneDocument();
  AgeFolder(*store_, folder.id);

  RequestBuilder add;
  add.SubmissionSet()
      .Association("fd", xds::kAssocHasMember, folder.id, doc.id)
      .Member("hm1", "fd");
  xds::RegistryErrorList errors = Register(add);
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  bool member = false;
  for (const StoredObject& a : AssociationsOf(folder.id)) {
    member = member || (a.source == folder.id && a.target == doc.id &&
                        a.status == xds::kStatusApproved);
  }
  EXPECT_TRUE(member);
  StoredObject touched = One(EntryKind::kFolder, fuid);
  EXPECT_NE(TimeOf(touched, TimeAttr::kLastUpdate), "20000101000000");
  EXPECT_EQ(touched.leaf_xml.find("20000101000000"), std::string::npos);
  EXPECT_EQ(touched.status, xds::kStatusApproved);

  // Adding it twice is refused.
  RequestBuilder again;
  again.SubmissionSet()
      .Association("fd", xds::kAssocHasMember, folder.id, doc.id)
      .Member("hm1", "fd");
  EXPECT_TRUE(HasCode(Register(again), "XDSRegistryMetadataError"));
}

TEST_F(Iti42Test, FolderOfAnotherPatientIsRefused) {
  // NIST 12002.
  const std::string fuid = NewOid();
  RequestBuilder create;
  create.SubmissionSet().Folder({.uid = fuid}).Member("hm1", "Folder01");
  ASSERT_TRUE(Register(create).empty());
  StoredObject folder = One(EntryKind::kFolder, fuid);

  RequestBuilder add;
  add.SubmissionSet("SubmissionSet01", kOtherPid)
      .Document({.pid = kOtherPid})
      .Member("hm1", "Document01")
      .Association("fd", xds::kAssocHasMember, folder.id, "Document01")
      .Member("hm2", "fd");
  xds::RegistryErrorList errors = Register(add);
  EXPECT_TRUE(HasCode(errors, "XDSPatientIdDoesNotMatch")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 0);
}

TEST_F(Iti42Test, ReplacementJoinsTheFoldersOfTheOriginal) {
  const std::string fuid = NewOid();
  const std::string duid = NewOid();
  RequestBuilder create;
  create.SubmissionSet()
      .Folder({.uid = fuid})
      .Document({.uid = duid})
      .Member("hm1", "Folder01")
      .Member("hm2", "Document01")
      .Association("fd", xds::kAssocHasMember, "Folder01", "Document01")
      .Member("hm3", "fd");
  ASSERT_TRUE(Register(create).empty());
  StoredObject folder = One(EntryKind::kFolder, fuid);
  StoredObject original = One(EntryKind::kDocumentEntry, duid);

  const std::string ruid = NewOid();
  RequestBuilder rplc;
  rplc.SubmissionSet()
      .Document({.uid = ruid})
      .Member("hm1", "Document01")
      .Association("rplc", xds::kAssocRplc, "Document01", original.id);
  xds::RegistryErrorList errors = Register(rplc);
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  StoredObject replacement = One(EntryKind::kDocumentEntry, ruid);
  bool joined = false;
  for (const StoredObject& a : AssociationsOf(folder.id)) {
    joined = joined || (a.assoc_type == xds::kAssocHasMember && a.target == replacement.id);
  }
  EXPECT_TRUE(joined);
}

TEST_F(Iti42Test, MetadataUpdateSemanticsAreRefused) {
  // NIST 21000: an ITI-42 carrying ITI-57 semantics fails with XDSRegistryMetadataError.
  StoredObject original = RegisterOneDocument();
  RequestBuilder b;
  b.SubmissionSet()
      .Document({.lid = original.id})
      .Member("hm1", "Document01", {{"PreviousVersion", "1"}});
  xds::RegistryErrorList errors = Register(b);
  EXPECT_TRUE(HasCode(errors, "XDSRegistryMetadataError")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);

  RequestBuilder self;
  self.SubmissionSet().Member("hm1", "SubmissionSet01", {{"PreviousVersion", "1"}});
  EXPECT_TRUE(HasCode(Register(self), "XDSRegistryMetadataError"));
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 1);
}

TEST_F(Iti42Test, SubmissionSetMayReferenceRegisteredDocument) {
  StoredObject doc = RegisterOneDocument();
  RequestBuilder b;
  b.SubmissionSet().Document({}).Member("hm1", "Document01").Member(
      "hm2", doc.id, {{"SubmissionSetStatus", "Reference"}});
  xds::RegistryErrorList errors = Register(b);
  EXPECT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(AssociationsOf(doc.id).size(), 2u);
}

}  // namespace
}  // namespace renkei::registry
