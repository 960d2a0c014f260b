// ITI-57 Update Document Set (ITI TF-2 §3.57.4.1.3): new versions, availability status
// updates, association propagation and the refusals NIST's update tests expect, on a real
// in-memory SqliteRegistryStore.
#include <gtest/gtest.h>

#include "registry/internal/test_submissions.h"

namespace renkei::registry {
namespace {

using testing::kOtherPid;
using testing::kPid;
using testing::NewOid;
using testing::RequestBuilder;
using Iti57Test = testing::RegistryFixture;

constexpr char kApproved[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
constexpr char kDeprecated[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";

// A new version of the DocumentEntry `lid` (uniqueId `uid`), PreviousVersion `previous`.
RequestBuilder DocumentUpdate(const std::string& lid, const std::string& uid,
                              const std::string& previous = "1",
                              RequestBuilder::Slots extra = {},
                              const std::string& pid = kPid) {
  RequestBuilder b;
  RequestBuilder::Slots slots = {{"SubmissionSetStatus", "Original"},
                                 {"PreviousVersion", previous}};
  slots.insert(slots.end(), extra.begin(), extra.end());
  b.SubmissionSet("SubmissionSet01", pid)
      .Document({.uid = uid, .lid = lid, .pid = pid, .title = "Updated title"})
      .Member("hm1", "Document01", slots);
  return b;
}

RequestBuilder StatusUpdate(const std::string& target, const std::string& from,
                            const std::string& to) {
  RequestBuilder b;
  b.SubmissionSet().Association("uas", xds::kAssocUpdateAvailabilityStatus, "SubmissionSet01",
                                target, {{"OriginalStatus", from}, {"NewStatus", to}});
  return b;
}

TEST_F(Iti57Test, DocumentEntryUpdateCreatesVersionTwo) {
  // NIST 15800.
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  xds::RegistryErrorList errors = Update(DocumentUpdate(v1.id, uid));
  ASSERT_TRUE(errors.empty()) << Describe(errors);

  StoredObject old = One(EntryKind::kDocumentEntry, uid, 1);
  StoredObject v2 = One(EntryKind::kDocumentEntry, uid, 2);
  EXPECT_EQ(old.id, v1.id);
  EXPECT_EQ(old.status, kDeprecated);
  EXPECT_EQ(v2.status, kApproved);
  EXPECT_EQ(v2.lid, v1.id);
  EXPECT_NE(v2.id, v1.id);
  auto decoded = xds::DecodeRegistryObjectFragment(v2.leaf_xml);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->version_name, "2");
  EXPECT_EQ(decoded->lid, v1.id);
  EXPECT_NE(v2.leaf_xml.find("Updated title"), std::string::npos);
  // Latest-version lookups see only version 2.
  ObjectFilter latest;
  latest.lids = {v1.id};
  latest.latest_version_only = true;
  auto found = store_->Find(latest);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].id, v2.id);
}

TEST_F(Iti57Test, UpdateWithoutOriginalIsVersionError) {
  // NIST 15800b.
  xds::RegistryErrorList errors =
      Update(DocumentUpdate("urn:uuid:47ab75ca-9e83-4abc-bc01-b342156b07e4", NewOid()));
  EXPECT_TRUE(HasCode(errors, "XDSMetadataVersionError")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 0);
}

TEST_F(Iti57Test, InitialVersionOverIti57IsRefused) {
  // NIST 15800c / 20000b: an object without the lid of a registered one.
  RequestBuilder b;
  b.SubmissionSet().Document({}).Member("hm1", "Document01", {{"PreviousVersion", "1"}});
  xds::RegistryErrorList errors = Update(b);
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateError")) << Describe(errors);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 0);
}

TEST_F(Iti57Test, WrongPreviousVersionIsVersionError) {
  // NIST 20000c.
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  xds::RegistryErrorList errors = Update(DocumentUpdate(v1.id, uid, "2"));
  EXPECT_TRUE(HasCode(errors, "XDSMetadataVersionError")) << Describe(errors);
  EXPECT_EQ(StatusOf(v1.id), kApproved);
  EXPECT_EQ(ByUniqueId(EntryKind::kDocumentEntry, uid).size(), 1u);
}

TEST_F(Iti57Test, UniqueIdMayNotChange) {
  StoredObject v1 = RegisterOneDocument();
  xds::RegistryErrorList errors = Update(DocumentUpdate(v1.id, NewOid()));
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateError")) << Describe(errors);
  EXPECT_EQ(StatusOf(v1.id), kApproved);
}

TEST_F(Iti57Test, SameLogicalIdTwiceIsRefused) {
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  RequestBuilder b = DocumentUpdate(v1.id, uid);
  b.Document({.id = "Document02", .uid = uid, .lid = v1.id})
      .Member("hm2", "Document02", {{"PreviousVersion", "1"}});
  xds::RegistryErrorList errors = Update(b);
  // System-dependent code (IPF / NIST 20007): either is a correct refusal.
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateOperationError") ||
              HasCode(errors, "XDSRegistryDuplicateUniqueIdInMessage"))
      << Describe(errors);
  EXPECT_EQ(StatusOf(v1.id), kApproved);
  EXPECT_EQ(ByUniqueId(EntryKind::kDocumentEntry, uid).size(), 1u);
}

TEST_F(Iti57Test, PatientIdChangeCreatesVersionOfTheOtherPatient) {
  // NIST 21002.
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  xds::RegistryErrorList errors = Update(DocumentUpdate(v1.id, uid, "1", {}, kOtherPid));
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(One(EntryKind::kDocumentEntry, uid, 2).patient_id, kOtherPid);
  EXPECT_EQ(StatusOf(v1.id), kDeprecated);
}

TEST_F(Iti57Test, StatusUpdateDeprecatesAndRestores) {
  // NIST 15802.
  StoredObject doc = RegisterOneDocument();
  xds::RegistryErrorList errors = Update(StatusUpdate(doc.id, kApproved, kDeprecated));
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(StatusOf(doc.id), kDeprecated);
  errors = Update(StatusUpdate(doc.id, kDeprecated, kApproved));
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(StatusOf(doc.id), kApproved);
  // OriginalStatus must be the current one.
  errors = Update(StatusUpdate(doc.id, kDeprecated, kApproved));
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateError")) << Describe(errors);
  EXPECT_EQ(StatusOf(doc.id), kApproved);
}

struct UasSyntaxCase {
  const char* name;
  RequestBuilder::Slots slots;
};

class Iti57UasSyntaxTest : public testing::RegistryFixture,
                           public ::testing::WithParamInterface<UasSyntaxCase> {};

TEST_P(Iti57UasSyntaxTest, RefusedWithUpdateOperationError) {
  // NIST 20002: malformed UpdateAvailabilityStatus slots.
  StoredObject doc = RegisterOneDocument();
  RequestBuilder b;
  b.SubmissionSet().Association("uas", xds::kAssocUpdateAvailabilityStatus, "SubmissionSet01",
                                doc.id, GetParam().slots);
  xds::RegistryErrorList errors = Update(b);
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateOperationError")) << Describe(errors);
  EXPECT_EQ(StatusOf(doc.id), kApproved);
  EXPECT_EQ(Count(EntryKind::kSubmissionSet), 1);
}

INSTANTIATE_TEST_SUITE_P(
    Nist20002, Iti57UasSyntaxTest,
    ::testing::Values(
        UasSyntaxCase{"PreviousVersionSlot",
                      {{"OriginalStatus", kApproved},
                       {"NewStatus", kDeprecated},
                       {"PreviousVersion", "1"}}},
        UasSyntaxCase{"MissingOriginalStatus", {{"NewStatus", kDeprecated}}},
        UasSyntaxCase{"MissingNewStatus", {{"OriginalStatus", kApproved}}},
        UasSyntaxCase{"InvalidNewStatus",
                      {{"OriginalStatus", kApproved},
                       {"NewStatus", "urn:oasis:names:tc:ebxml-regrep:StatusType:Gone"}}},
        UasSyntaxCase{"InvalidOriginalStatus",
                      {{"OriginalStatus", "Approved"}, {"NewStatus", kDeprecated}}},
        UasSyntaxCase{"SameValue", {{"OriginalStatus", kApproved}, {"NewStatus", kApproved}}}),
    [](const auto& info) { return std::string(info.param.name); });

struct MuSyntaxCase {
  const char* name;
  RequestBuilder::Slots slots;
};

class Iti57MuSyntaxTest : public testing::RegistryFixture,
                          public ::testing::WithParamInterface<MuSyntaxCase> {};

TEST_P(Iti57MuSyntaxTest, RefusedAndNothingChanges) {
  // NIST 20002b (error code system-dependent; XDSMetadataUpdateOperationError here).
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  RequestBuilder b;
  b.SubmissionSet()
      .Document({.uid = uid, .lid = v1.id})
      .Association("hm1", xds::kAssocHasMember, "SubmissionSet01", "Document01",
                   GetParam().slots);
  xds::RegistryErrorList errors = Update(b);
  EXPECT_FALSE(errors.empty());
  EXPECT_EQ(StatusOf(v1.id), kApproved);
  EXPECT_EQ(ByUniqueId(EntryKind::kDocumentEntry, uid).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Nist20002b, Iti57MuSyntaxTest,
    ::testing::Values(
        MuSyntaxCase{"OriginalStatusSlot",
                     {{"SubmissionSetStatus", "Original"},
                      {"PreviousVersion", "1"},
                      {"OriginalStatus", kApproved}}},
        MuSyntaxCase{"MissingPreviousVersion", {{"SubmissionSetStatus", "Original"}}},
        MuSyntaxCase{"InvalidPreviousVersion",
                     {{"SubmissionSetStatus", "Original"}, {"PreviousVersion", "one"}}},
        MuSyntaxCase{"InvalidSubmissionSetStatus",
                     {{"SubmissionSetStatus", "Copy"}, {"PreviousVersion", "1"}}},
        MuSyntaxCase{"InvalidAssociationPropagation",
                     {{"SubmissionSetStatus", "Original"},
                      {"PreviousVersion", "1"},
                      {"AssociationPropagation", "maybe"}}},
        MuSyntaxCase{"MissingSubmissionSetStatus", {{"PreviousVersion", "1"}}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(Iti57Test, UpdateAndStatusChangeInOneSubmission) {
  // NIST 20003: the status update applies to the new version; a wrong OriginalStatus
  // fails the whole submission.
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  RequestBuilder bad = DocumentUpdate(v1.id, uid);
  bad.Association("uas", xds::kAssocUpdateAvailabilityStatus, "SubmissionSet01", "Document01",
                  {{"OriginalStatus", kDeprecated}, {"NewStatus", kApproved}});
  xds::RegistryErrorList errors = Update(bad);
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateError")) << Describe(errors);
  EXPECT_EQ(StatusOf(v1.id), kApproved);
  EXPECT_EQ(ByUniqueId(EntryKind::kDocumentEntry, uid).size(), 1u);

  RequestBuilder good = DocumentUpdate(v1.id, uid);
  good.Association("uas", xds::kAssocUpdateAvailabilityStatus, "SubmissionSet01", "Document01",
                   {{"OriginalStatus", kApproved}, {"NewStatus", kDeprecated}});
  errors = Update(good);
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(One(EntryKind::kDocumentEntry, uid, 1).status, kDeprecated);
  EXPECT_EQ(One(EntryKind::kDocumentEntry, uid, 2).status, kDeprecated);
}

TEST_F(Iti57Test, SubmissionSetStatusCannotBeUpdated) {
  // NIST 21001.
  StoredObject doc = RegisterOneDocument();
  std::string ss_id;
  for (const StoredObject& a : AssociationsOf(doc.id)) ss_id = a.source;
  ASSERT_FALSE(ss_id.empty());
  xds::RegistryErrorList errors = Update(StatusUpdate(ss_id, kApproved, kDeprecated));
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateOperationError")) << Describe(errors);
  EXPECT_EQ(StatusOf(ss_id), kApproved);
}

TEST_F(Iti57Test, AssociationStatusCanBeUpdated) {
  // NIST 20001 deprecate_assoc / undeprecate_assoc.
  StoredObject doc = RegisterOneDocument();
  std::string hm;
  for (const StoredObject& a : AssociationsOf(doc.id)) hm = a.id;
  ASSERT_FALSE(hm.empty());
  ASSERT_TRUE(Update(StatusUpdate(hm, kApproved, kDeprecated)).empty());
  EXPECT_EQ(StatusOf(hm), kDeprecated);
  ASSERT_TRUE(Update(StatusUpdate(hm, kDeprecated, kApproved)).empty());
  EXPECT_EQ(StatusOf(hm), kApproved);
}

TEST_F(Iti57Test, FolderUpdatePropagatesMembershipUnlessAskedNotTo) {
  // NIST 20000d (AssociationPropagation default yes) and 20000e (no).
  for (bool propagate : {true, false}) {
    const std::string fuid = NewOid(), d1 = NewOid(), d2 = NewOid();
    RequestBuilder create;
    create.SubmissionSet()
        .Folder({.uid = fuid})
        .Document({.id = "Document01", .uid = d1})
        .Document({.id = "Document02", .uid = d2})
        .Member("hm1", "Folder01")
        .Member("hm2", "Document01")
        .Member("hm3", "Document02")
        .Association("fd1", xds::kAssocHasMember, "Folder01", "Document01")
        .Association("fd2", xds::kAssocHasMember, "Folder01", "Document02")
        .Member("hm4", "fd1")
        .Member("hm5", "fd2");
    ASSERT_TRUE(Register(create).empty());
    StoredObject v1 = One(EntryKind::kFolder, fuid);

    // As NIST 20000d/e: no SubmissionSetStatus on the Folder's HasMember.
    RequestBuilder::Slots slots = {{"PreviousVersion", "1"}};
    if (!propagate) slots.push_back({"AssociationPropagation", "no"});
    RequestBuilder update;
    update.SubmissionSet()
        .Folder({.uid = fuid, .lid = v1.id, .title = "Renamed"})
        .Association("hm1", xds::kAssocHasMember, "SubmissionSet01", "Folder01", slots);
    xds::RegistryErrorList errors = Update(update);
    ASSERT_TRUE(errors.empty()) << Describe(errors);

    StoredObject v2 = One(EntryKind::kFolder, fuid, 2);
    EXPECT_EQ(v2.status, kApproved);
    EXPECT_EQ(One(EntryKind::kFolder, fuid, 1).status, kDeprecated);
    int members = 0;
    for (const StoredObject& a : AssociationsOf(v2.id)) {
      if (a.source == v2.id && a.assoc_type == xds::kAssocHasMember) ++members;
    }
    EXPECT_EQ(members, propagate ? 2 : 0) << "propagate=" << propagate;
  }
}

TEST_F(Iti57Test, NewAssociationBetweenRegisteredDocuments) {
  // NIST 20001 submit_apnd_assoc; the SubmissionSet holds the association through
  // HasMember or the Metadata Update SubmitAssociation type.
  for (const char* link : {xds::kAssocHasMember, xds::kAssocSubmitAssociation}) {
    StoredObject a = RegisterOneDocument();
    StoredObject b = RegisterOneDocument();
    RequestBuilder req;
    req.SubmissionSet()
        .Association("apnd", xds::kAssocApnd, a.id, b.id)
        .Association("hm1", link, "SubmissionSet01", "apnd");
    xds::RegistryErrorList errors = Update(req);
    ASSERT_TRUE(errors.empty()) << link << "\n" << Describe(errors);
    bool found = false;
    for (const StoredObject& x : AssociationsOf(a.id)) {
      found = found || (x.assoc_type == xds::kAssocApnd && x.target == b.id &&
                        x.status == kApproved);
    }
    EXPECT_TRUE(found) << link;
  }
}

TEST_F(Iti57Test, NewAssociationToUnknownOrDeprecatedDocumentIsRefused) {
  StoredObject a = RegisterOneDocument();
  StoredObject b = RegisterOneDocument();
  ASSERT_TRUE(Update(StatusUpdate(b.id, kApproved, kDeprecated)).empty());
  const int64_t before = Count(EntryKind::kAssociation);
  for (const std::string& target :
       {b.id, std::string("urn:uuid:12121212-3434-4565-8787-909090909090")}) {
    RequestBuilder req;
    req.SubmissionSet()
        .Association("apnd", xds::kAssocApnd, a.id, target)
        .Member("hm1", "apnd");
    xds::RegistryErrorList errors = Update(req);
    EXPECT_TRUE(HasCode(errors, "XDSRegistryMetadataError")) << Describe(errors);
  }
  EXPECT_EQ(Count(EntryKind::kAssociation), before);
}

TEST_F(Iti57Test, UpdateWithOwnAssociationNeedsPropagationOff) {
  // NIST 20006.
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  StoredObject other = RegisterOneDocument();
  RequestBuilder with = DocumentUpdate(v1.id, uid);
  with.Association("apnd", xds::kAssocApnd, "Document01", other.id).Member("hm2", "apnd");
  xds::RegistryErrorList errors = Update(with);
  EXPECT_TRUE(HasCode(errors, "XDSMetadataUpdateOperationError")) << Describe(errors);
  EXPECT_EQ(StatusOf(v1.id), kApproved);

  RequestBuilder without = DocumentUpdate(v1.id, uid, "1", {{"AssociationPropagation", "no"}});
  without.Association("apnd", xds::kAssocApnd, "Document01", other.id).Member("hm2", "apnd");
  errors = Update(without);
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  StoredObject v2 = One(EntryKind::kDocumentEntry, uid, 2);
  bool apnd = false;
  for (const StoredObject& x : AssociationsOf(v2.id)) {
    apnd = apnd || (x.assoc_type == xds::kAssocApnd && x.source == v2.id && x.target == other.id);
  }
  EXPECT_TRUE(apnd);
}

TEST_F(Iti57Test, ExistingFolderMembershipCannotBeSubmittedAgain) {
  // NIST 20008: a second FD-DE HasMember for the same pair.
  const std::string fuid = NewOid(), duid = NewOid();
  RequestBuilder create;
  create.SubmissionSet()
      .Folder({.uid = fuid})
      .Document({.uid = duid})
      .Member("hm1", "Folder01")
      .Member("hm2", "Document01")
      .Association("fd", xds::kAssocHasMember, "Folder01", "Document01")
      .Member("hm3", "fd");
  ASSERT_TRUE(Register(create).empty());
  const std::string folder = One(EntryKind::kFolder, fuid).id;
  const std::string doc = One(EntryKind::kDocumentEntry, duid).id;
  const int64_t before = Count(EntryKind::kAssociation);
  RequestBuilder again;
  again.SubmissionSet()
      .Association("fd", xds::kAssocHasMember, folder, doc)
      .Member("hm1", "fd");
  EXPECT_FALSE(Update(again).empty());
  EXPECT_EQ(Count(EntryKind::kAssociation), before);
}

}  // namespace
}  // namespace renkei::registry
