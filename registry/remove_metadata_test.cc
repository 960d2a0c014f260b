// ITI-62 Remove Metadata (ITI TF-2 §3.62.4.1.3): all-or-nothing removal with reference
// checks, on a real in-memory SqliteRegistryStore.
#include <gtest/gtest.h>

#include "registry/internal/test_submissions.h"

namespace renkei::registry {
namespace {

using testing::NewOid;
using testing::RequestBuilder;

struct Registered {
  std::string ss, doc, hm;
};

class RemoveFixture : public testing::RegistryFixture {
 protected:
  Registered RegisterDoc() {
    StoredObject doc = RegisterOneDocument();
    Registered r;
    r.doc = doc.id;
    for (const StoredObject& a : AssociationsOf(doc.id)) {
      r.hm = a.id;
      r.ss = a.source;
    }
    EXPECT_FALSE(r.hm.empty());
    return r;
  }
  xds::RegistryErrorList Remove(std::vector<std::string> ids) {
    xds::RemoveObjectsRequest req;
    req.object_refs = std::move(ids);
    return registry_->RemoveMetadata(req, ctx_);
  }
};

TEST_F(RemoveFixture, RemovesWholeSubmission) {
  Registered r = RegisterDoc();
  Registered keep = RegisterDoc();
  xds::RegistryErrorList errors = Remove({r.hm, r.doc, r.ss});
  ASSERT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(StatusOf(r.doc), "(absent)");
  EXPECT_EQ(StatusOf(r.hm), "(absent)");
  EXPECT_EQ(StatusOf(r.ss), "(absent)");
  EXPECT_EQ(StatusOf(keep.doc), xds::kStatusApproved);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 1);
}

TEST_F(RemoveFixture, RemovesDocumentWithItsMembershipButKeepsSubmissionSet) {
  Registered r = RegisterDoc();
  ASSERT_TRUE(Remove({r.doc, r.hm}).empty());
  EXPECT_EQ(StatusOf(r.ss), xds::kStatusApproved);
  EXPECT_EQ(Count(EntryKind::kDocumentEntry), 0);
}

TEST_F(RemoveFixture, UnknownIdIsUnresolvedAndNothingIsRemoved) {
  Registered r = RegisterDoc();
  xds::RegistryErrorList errors =
      Remove({r.doc, r.hm, "urn:uuid:99999999-8888-4777-8666-555555555555"});
  EXPECT_TRUE(HasCode(errors, "UnresolvedReferenceException")) << Describe(errors);
  EXPECT_EQ(StatusOf(r.doc), xds::kStatusApproved);
  EXPECT_EQ(StatusOf(r.hm), xds::kStatusApproved);
}

TEST_F(RemoveFixture, DanglingAssociationIsReferencesExist) {
  Registered r = RegisterDoc();
  xds::RegistryErrorList errors = Remove({r.doc});
  EXPECT_TRUE(HasCode(errors, "ReferencesExistException")) << Describe(errors);
  EXPECT_EQ(StatusOf(r.doc), xds::kStatusApproved);

  errors = Remove({r.ss, r.hm});  // the document would stay outside every SubmissionSet
  EXPECT_TRUE(HasCode(errors, "UnreferencedObjectException")) << Describe(errors);
  EXPECT_EQ(StatusOf(r.ss), xds::kStatusApproved);
}

TEST_F(RemoveFixture, RelationshipMustBeRemovedWithItsEnds) {
  StoredObject original = RegisterOneDocument();
  const std::string uid = NewOid();
  RequestBuilder b;
  b.SubmissionSet()
      .Document({.uid = uid})
      .Member("hm1", "Document01")
      .Association("apnd", xds::kAssocApnd, "Document01", original.id);
  ASSERT_TRUE(Register(b).empty());
  StoredObject addendum = One(EntryKind::kDocumentEntry, uid);
  std::vector<std::string> ids = {addendum.id};
  for (const StoredObject& a : AssociationsOf(addendum.id)) {
    if (a.assoc_type == xds::kAssocHasMember) ids.push_back(a.id);
  }
  EXPECT_TRUE(HasCode(Remove(ids), "ReferencesExistException"));
  for (const StoredObject& a : AssociationsOf(addendum.id)) {
    if (a.assoc_type == xds::kAssocApnd) ids.push_back(a.id);
  }
  xds::RegistryErrorList errors = Remove(ids);
  EXPECT_TRUE(errors.empty()) << Describe(errors);
  EXPECT_EQ(StatusOf(original.id), xds::kStatusApproved);
  EXPECT_EQ(StatusOf(addendum.id), "(absent)");
}

TEST_F(RemoveFixture, EmptyRequestIsInvalid) {
  EXPECT_TRUE(HasCode(Remove({}), "InvalidRequestException"));
}

}  // namespace
}  // namespace renkei::registry
