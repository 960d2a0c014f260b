// Test-only: ITI-42 / ITI-57 request bodies (ebRS 3.0) assembled from the fixtures in
// registry/testdata and decoded with the production decoder, plus a registry on an
// in-memory SqliteRegistryStore. Used by the registry transaction tests only.
#ifndef RENKEI_REGISTRY_INTERNAL_TEST_SUBMISSIONS_H_
#define RENKEI_REGISTRY_INTERNAL_TEST_SUBMISSIONS_H_

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/patient_id_source.h"
#include "registry/document_registry.h"
#include "registry/sqlite_registry_store.h"
#include "xds/ebrim_codec.h"
#include "xds/xds_constants.h"

#ifndef RENKEI_REGISTRY_TESTDATA
#error "RENKEI_REGISTRY_TESTDATA must name registry/testdata"
#endif

namespace renkei::registry::testing {

inline constexpr char kPid[] = "P-1001^^^&1.2.392.200119.6.1&ISO";
inline constexpr char kOtherPid[] = "P-2002^^^&1.2.392.200119.6.1&ISO";
inline constexpr char kHashA[] = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
inline constexpr char kHashB[] = "a9993e364706816aba3e25717850c26c9cd0d89d";

inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(RENKEI_REGISTRY_TESTDATA) + "/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string Fill(std::string text,
                        const std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [key, value] : vars) {
    for (size_t p = text.find(key); p != std::string::npos; p = text.find(key, p + value.size())) {
      text.replace(p, key.size(), value);
    }
  }
  return text;
}

// A fresh OID for uniqueIds.
inline std::string NewOid() {
  static std::atomic<int> counter{0};
  return "1.2.392.200119.6.102.7." + std::to_string(++counter);
}

// Assembles one lcm:SubmitObjectsRequest.
class RequestBuilder {
 public:
  struct Doc {
    std::string id = "Document01";
    std::string uid{};  // fresh when empty
    std::string lid{};  // no lid attribute when empty
    std::string pid = kPid;
    std::string hash = kHashA;
    std::string title = "Discharge summary";
  };
  struct Fol {
    std::string id = "Folder01";
    std::string uid{};
    std::string lid{};
    std::string pid = kPid;
    std::string title = "Referral folder";
  };
  using Slots = std::vector<std::pair<std::string, std::string>>;

  RequestBuilder& SubmissionSet(std::string id = "SubmissionSet01", std::string pid = kPid) {
    ss_id_ = id;
    body_ += Fill(ReadTestdata("submission_set.xml"),
                  {{"$SS_ID$", id}, {"$SS_UID$", NewOid()}, {"$PID$", pid}});
    return *this;
  }
  RequestBuilder& Document(Doc d) {
    if (d.uid.empty()) d.uid = NewOid();
    body_ += Fill(ReadTestdata("document_entry.xml"),
                  {{"$DOC_ID$", d.id},
                   {"$LID_ATTR$", d.lid.empty() ? std::string() : "lid=\"" + d.lid + "\""},
                   {"$DOC_UID$", d.uid},
                   {"$PID$", d.pid},
                   {"$HASH$", d.hash},
                   {"$TITLE$", d.title}});
    return *this;
  }
  RequestBuilder& Folder(Fol f) {
    if (f.uid.empty()) f.uid = NewOid();
    body_ += Fill(ReadTestdata("folder.xml"),
                  {{"$FOL_ID$", f.id},
                   {"$LID_ATTR$", f.lid.empty() ? std::string() : "lid=\"" + f.lid + "\""},
                   {"$FOL_UID$", f.uid},
                   {"$PID$", f.pid},
                   {"$TITLE$", f.title}});
    return *this;
  }
  RequestBuilder& Association(const std::string& id, const std::string& type,
                              const std::string& source, const std::string& target,
                              const Slots& slots = {}) {
    body_ += "<rim:Association id=\"" + id + "\" associationType=\"" + type +
             "\" sourceObject=\"" + source + "\" targetObject=\"" + target + "\">";
    for (const auto& [name, value] : slots) {
      body_ += "<rim:Slot name=\"" + name + "\"><rim:ValueList><rim:Value>" + value +
               "</rim:Value></rim:ValueList></rim:Slot>";
    }
    body_ += "</rim:Association>";
    return *this;
  }
  // SubmissionSet HasMember with SubmissionSetStatus (Original by default).
  RequestBuilder& Member(const std::string& id, const std::string& target, Slots slots = {}) {
    bool has_status = false;
    for (const auto& s : slots) has_status = has_status || s.first == "SubmissionSetStatus";
    if (!has_status) slots.insert(slots.begin(), {"SubmissionSetStatus", "Original"});
    return Association(id, xds::kAssocHasMember, ss_id_, target, slots);
  }
  RequestBuilder& Raw(const std::string& xml) {
    body_ += xml;
    return *this;
  }

  std::string Xml() const {
    return std::string("<lcm:SubmitObjectsRequest xmlns:lcm=\"") + xds::kNsLcm +
           "\" xmlns:rim=\"" + xds::kNsRim + "\"><rim:RegistryObjectList>" + body_ +
           "</rim:RegistryObjectList></lcm:SubmitObjectsRequest>";
  }
  xds::SubmitObjectsRequest Request() const {
    Result<xds::SubmitObjectsRequest> r = xds::DecodeSubmitObjectsRequestXml(Xml());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : xds::SubmitObjectsRequest();
  }

 private:
  std::string ss_id_ = "SubmissionSet01";
  std::string body_;
};

// A DocumentRegistry over a fresh in-memory SqliteRegistryStore.
class RegistryFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteRegistryStore::Open(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    registry_ = std::make_unique<DocumentRegistry>(*store_, patients_, nullptr, RegistryOptions());
  }

  xds::RegistryErrorList Register(const RequestBuilder& b) {
    return registry_->RegisterDocumentSet(b.Request(), ctx_);
  }
  xds::RegistryErrorList Update(const RequestBuilder& b) {
    return registry_->UpdateDocumentSet(b.Request(), ctx_);
  }

  // The stored objects of `kind` with this uniqueId (all versions).
  std::vector<StoredObject> ByUniqueId(EntryKind kind, const std::string& uid) {
    ObjectFilter f;
    f.kind = kind;
    f.unique_ids = {uid};
    auto r = store_->Find(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<StoredObject>();
  }
  // The one stored object of `kind` with this uniqueId and version.
  StoredObject One(EntryKind kind, const std::string& uid, int64_t version = 1) {
    for (StoredObject& o : ByUniqueId(kind, uid)) {
      if (o.version == version) return o;
    }
    ADD_FAILURE() << "no object with uniqueId " << uid << " version " << version;
    return StoredObject();
  }
  std::vector<StoredObject> AssociationsOf(const std::string& id) {
    AssociationFilter f;
    f.sources = {id};
    f.targets = {id};
    f.source_or_target = true;
    auto r = store_->FindAssociations(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<StoredObject>();
  }
  int64_t Count(EntryKind kind) {
    auto r = store_->Count(kind);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -1;
  }
  std::string StatusOf(const std::string& id) {
    auto r = store_->Get(id);
    return r.ok() ? r->status : "(absent)";
  }

  // Registers one document for kPid in its own submission; returns its stored row.
  StoredObject RegisterOneDocument(RequestBuilder::Doc d = {}) {
    if (d.uid.empty()) d.uid = NewOid();
    RequestBuilder b;
    b.SubmissionSet().Document(d).Member("hm1", d.id);
    xds::RegistryErrorList errors = Register(b);
    EXPECT_TRUE(errors.empty()) << Describe(errors);
    return One(EntryKind::kDocumentEntry, d.uid);
  }

  static std::string Describe(const xds::RegistryErrorList& errors) {
    std::string out;
    for (const auto& e : errors) out += e.error_code + ": " + e.code_context + " [" + e.location + "]\n";
    return out;
  }
  static bool HasCode(const xds::RegistryErrorList& errors, const std::string& code) {
    for (const auto& e : errors) {
      if (e.error_code == code) return true;
    }
    return false;
  }

  ConfiguredPatientIds patients_{{kPid, kOtherPid}};
  std::unique_ptr<SqliteRegistryStore> store_;
  std::unique_ptr<DocumentRegistry> registry_;
  RequestContext ctx_{"1.2.392.200119.6.102"};
};

}  // namespace renkei::registry::testing

#endif  // RENKEI_REGISTRY_INTERNAL_TEST_SUBMISSIONS_H_
