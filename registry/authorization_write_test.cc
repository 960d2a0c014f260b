// Architecture §5 / issue 5, write side (docs/authorization.md): ITI-42 records the
// requesting facility as submitter and accepts a repositoryUniqueId only from the facility
// the directory lists it for; ITI-42 replacements, ITI-57 and ITI-62 change or remove only
// what the requesting facility registered. Every refusal writes nothing.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "directory/disclosure_policy.h"
#include "registry/internal/test_submissions.h"

namespace renkei::registry {
namespace {

using testing::NewOid;
using testing::RequestBuilder;

constexpr char kOwner[] = "1.2.392.200119.6.102";  // RegistryFixture's ctx_
constexpr char kOther[] = "1.2.392.200119.6.777";
constexpr char kRepository[] = "1.2.392.200119.6.102.1";  // testdata/document_entry.xml

// repositoryUniqueId -> facility; unknown ids are refused.
class FakeRepositories : public directory::RepositoryDirectory {
 public:
  Status ClaimRepository(const std::string& repository_unique_id,
                         const std::string& facility) override {
    ++calls;
    if (unavailable) return Status::Unavailable("directory", "directory store locked");
    auto it = owners.find(repository_unique_id);
    if (it != owners.end() && it->second == facility) return Status::Ok();
    return Status::PermissionDenied("directory", "repository of another facility");
  }
  std::map<std::string, std::string> owners{{kRepository, kOwner}};
  int calls = 0;
  bool unavailable = false;
};

class AuthorizationWriteTest : public testing::RegistryFixture {
 protected:
  void UseRepositories() {
    RegistryAuthorization auth;
    auth.repositories = &repositories_;
    registry_ = std::make_unique<DocumentRegistry>(*store_, patients_, nullptr,
                                                   RegistryOptions(), auth);
  }
  int64_t Objects() {
    int64_t n = 0;
    for (EntryKind k : {EntryKind::kDocumentEntry, EntryKind::kSubmissionSet, EntryKind::kFolder,
                        EntryKind::kAssociation}) {
      n += Count(k);
    }
    return n;
  }
  RequestContext other_{kOther};
  FakeRepositories repositories_;
};

TEST_F(AuthorizationWriteTest, RegistrationRecordsTheRequestingFacility) {
  StoredObject doc = RegisterOneDocument();
  EXPECT_EQ(doc.submitter, kOwner);
  for (const StoredObject& a : AssociationsOf(doc.id)) {
    EXPECT_EQ(a.submitter, kOwner);
    auto ss = store_->Get(a.source);
    ASSERT_TRUE(ss.ok());
    EXPECT_EQ(ss->submitter, kOwner);
  }
}

TEST_F(AuthorizationWriteTest, RepositoryOfTheFacilityIsAccepted) {
  UseRepositories();
  RegisterOneDocument();
  EXPECT_EQ(repositories_.calls, 1);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);
}

TEST_F(AuthorizationWriteTest, RepositoryClaimRefusedWritesNothing) {
  UseRepositories();
  struct Row {
    const char* name;
    bool unavailable;
    const char* code;
  };
  for (const Row& row : {Row{"another facility's repository", false, "XDSRegistryMetadataError"},
                         Row{"directory unavailable", true, "XDSRegistryError"}}) {
    repositories_.unavailable = row.unavailable;
    RequestBuilder b;
    b.SubmissionSet().Document({}).Member("hm1", "Document01");
    xds::RegistryErrorList errors = registry_->RegisterDocumentSet(b.Request(), other_);
    ASSERT_EQ(errors.size(), 1u) << row.name << "\n" << Describe(errors);
    EXPECT_EQ(errors[0].error_code, row.code) << row.name;
    EXPECT_NE(errors[0].code_context.find(kRepository), std::string::npos) << row.name;
    EXPECT_NE(errors[0].code_context.find(kOther), std::string::npos) << row.name;
    EXPECT_EQ(errors[0].location, kRepository) << row.name;
    EXPECT_EQ(Objects(), 0) << row.name;
  }
}

TEST_F(AuthorizationWriteTest, Iti57RepositoryClaimRefusedWritesNothing) {
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  const int64_t before = Objects();
  UseRepositories();
  repositories_.owners[kRepository] = kOther;  // the repository now belongs to another
  RequestBuilder b;
  b.SubmissionSet()
      .Document({.uid = uid, .lid = v1.id})
      .Member("hm1", "Document01", {{"PreviousVersion", "1"}});
  xds::RegistryErrorList errors = Update(b);
  EXPECT_TRUE(HasCode(errors, "XDSRegistryMetadataError")) << Describe(errors);
  EXPECT_EQ(Objects(), before);
}

TEST_F(AuthorizationWriteTest, ReplacementOfAnotherFacilitysDocumentIsRefused) {
  StoredObject original = RegisterOneDocument();
  const int64_t before = Objects();
  for (const char* type : {xds::kAssocRplc, xds::kAssocXfrmRplc}) {
    RequestBuilder b;
    b.SubmissionSet()
        .Document({})
        .Member("hm1", "Document01")
        .Association("rplc", type, "Document01", original.id);
    xds::RegistryErrorList errors = registry_->RegisterDocumentSet(b.Request(), other_);
    EXPECT_TRUE(HasCode(errors, "AuthorizationException")) << type << "\n" << Describe(errors);
    EXPECT_EQ(Objects(), before) << type;
    EXPECT_EQ(StatusOf(original.id), xds::kStatusApproved) << type;
  }
  // Appending to it (which changes nothing of it) stays possible.
  RequestBuilder apnd;
  apnd.SubmissionSet()
      .Document({})
      .Member("hm1", "Document01")
      .Association("apnd", xds::kAssocApnd, "Document01", original.id);
  EXPECT_TRUE(registry_->RegisterDocumentSet(apnd.Request(), other_).empty());
}

TEST_F(AuthorizationWriteTest, AddingToAnotherFacilitysFolderIsRefused) {
  RequestBuilder folder;
  folder.SubmissionSet().Folder({}).Member("hmf", "Folder01");
  ASSERT_TRUE(Register(folder).empty());
  std::string folder_id;
  {
    ObjectFilter f;
    f.kind = EntryKind::kFolder;
    auto found = store_->Find(f);
    ASSERT_TRUE(found.ok() && found->size() == 1u);
    folder_id = (*found)[0].id;
  }
  const int64_t before = Objects();
  RequestBuilder b;
  b.SubmissionSet()
      .Document({})
      .Member("hm1", "Document01")
      .Association("fhm", xds::kAssocHasMember, folder_id, "Document01");
  xds::RegistryErrorList errors = registry_->RegisterDocumentSet(b.Request(), other_);
  EXPECT_TRUE(HasCode(errors, "AuthorizationException")) << Describe(errors);
  EXPECT_EQ(Objects(), before);
}

TEST_F(AuthorizationWriteTest, Iti57ByAnotherFacilityIsRefused) {
  const std::string uid = NewOid();
  StoredObject v1 = RegisterOneDocument({.uid = uid});
  const int64_t before = Objects();
  // A new version.
  RequestBuilder version;
  version.SubmissionSet()
      .Document({.uid = uid, .lid = v1.id})
      .Member("hm1", "Document01", {{"PreviousVersion", "1"}});
  xds::RegistryErrorList errors = registry_->UpdateDocumentSet(version.Request(), other_);
  EXPECT_TRUE(HasCode(errors, "AuthorizationException")) << Describe(errors);
  // An availability status change.
  RequestBuilder status;
  status.SubmissionSet().Association(
      "uas", xds::kAssocUpdateAvailabilityStatus, "SubmissionSet01", v1.id,
      {{"OriginalStatus", xds::kStatusApproved}, {"NewStatus", xds::kStatusDeprecated}});
  errors = registry_->UpdateDocumentSet(status.Request(), other_);
  EXPECT_TRUE(HasCode(errors, "AuthorizationException")) << Describe(errors);
  EXPECT_EQ(Objects(), before);
  EXPECT_EQ(StatusOf(v1.id), xds::kStatusApproved);
  // The owner may.
  EXPECT_TRUE(Update(status).empty());
  EXPECT_EQ(StatusOf(v1.id), xds::kStatusDeprecated);
}

TEST_F(AuthorizationWriteTest, Iti62ByAnotherFacilityIsRefused) {
  StoredObject doc = RegisterOneDocument();
  std::vector<std::string> ids = {doc.id};
  for (const StoredObject& a : AssociationsOf(doc.id)) ids.push_back(a.id);
  const int64_t before = Objects();
  xds::RemoveObjectsRequest req;
  req.object_refs = ids;
  xds::RegistryErrorList errors = registry_->RemoveMetadata(req, other_);
  EXPECT_TRUE(HasCode(errors, "AuthorizationException")) << Describe(errors);
  for (const auto& e : errors) EXPECT_EQ(e.code_context.find(kOwner), std::string::npos);
  EXPECT_EQ(Objects(), before);
  EXPECT_TRUE(registry_->RemoveMetadata(req, ctx_).empty());
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 0);
}

}  // namespace
}  // namespace renkei::registry
