// ITI-42 Register Document Set-b: the benchmark loader's rows (registration_rows.h) equal
// the rows the Document Registry stores for the same submission received over the wire
// (SOAP parse, ebRS decode, DocumentRegistry::RegisterDocumentSet, SqliteRegistryStore).
#include "bench/registry/registration_rows.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "bench/registry/soap_requests.h"
#include "bench/registry/synthetic_region.h"
#include "common/patient_id_source.h"
#include "registry/document_registry.h"
#include "registry/sqlite_registry_store.h"
#include "xds/ebrim_codec.h"
#include "xds/soap.h"
#include "xds/xds_constants.h"

namespace renkei::bench {
namespace {

using registry::EntryKind;
using registry::StoredObject;

// Replaces every urn:uuid the registry generated (fresh random ids) by its order of first
// appearance, so two registrations of the same input compare equal. Fixed spec UUIDs
// (classification schemes, object types) get numbers too, in the same order on both sides.
class UuidNormalizer {
 public:
  std::string operator()(const std::string& text) {
    static const std::regex kUuid("urn:uuid:[0-9a-fA-F-]{36}");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), kUuid);
    size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      out.append(text, last, it->position() - last);
      auto [pos, inserted] = seen_.emplace(it->str(), seen_.size());
      out += "uuid#" + std::to_string(pos->second);
      last = it->position() + it->length();
    }
    out.append(text, last, std::string::npos);
    return out;
  }

 private:
  std::map<std::string, size_t> seen_;
};

std::string Describe(const StoredObject& o, UuidNormalizer& n) {
  std::string s = "kind=" + std::to_string(static_cast<int>(o.kind)) + "\nid=" + n(o.id) +
                  "\nlid=" + n(o.lid) + "\nversion=" + std::to_string(o.version) +
                  "\nstatus=" + o.status + "\nobject_type=" + o.object_type +
                  "\nunique_id=" + o.unique_id + "\npatient_id=" + o.patient_id +
                  "\nhome=" + o.home + "\nsubmitter=" + o.submitter + "\nhash=" + o.hash +
                  "\nsize=" + o.size + "\nrepository=" + o.repository_unique_id +
                  "\nsource_id=" + o.source_id + "\nassoc_type=" + o.assoc_type +
                  "\nsource=" + n(o.source) + "\ntarget=" + n(o.target);
  for (const auto& a : o.author_persons) s += "\nauthor=" + a;
  for (const auto& r : o.reference_ids) s += "\nref=" + r;
  for (const auto& c : o.codes) {
    s += "\ncode=" + std::to_string(static_cast<int>(c.attr)) + "|" + c.code + "|" + c.scheme;
  }
  for (const auto& t : o.times) {
    s += "\ntime=" + std::to_string(static_cast<int>(t.attr)) + "|" + t.value;
  }
  s += "\nleaf=" + n(o.leaf_xml);
  return s;
}

// All rows of a store, SubmissionSets, DocumentEntries, Associations (ITI-42's write order).
std::vector<StoredObject> AllRows(registry::RegistryStore& store) {
  std::vector<StoredObject> rows;
  for (EntryKind kind :
       {EntryKind::kSubmissionSet, EntryKind::kDocumentEntry, EntryKind::kAssociation}) {
    if (kind == EntryKind::kAssociation) {
      // Associations are found through their endpoints: the SubmissionSets' members.
      registry::AssociationFilter f;
      for (const StoredObject& r : rows) {
        if (r.kind == EntryKind::kSubmissionSet) f.sources.push_back(r.id);
      }
      auto found = store.FindAssociations(f);
      EXPECT_TRUE(found.ok()) << found.status().message();
      if (found.ok()) rows.insert(rows.end(), found->begin(), found->end());
      continue;
    }
    registry::ObjectFilter f;
    f.kind = kind;
    auto found = store.Find(f);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (found.ok()) rows.insert(rows.end(), found->begin(), found->end());
  }
  return rows;
}

std::unique_ptr<registry::SqliteRegistryStore> OpenMemoryStore() {
  auto store = registry::SqliteRegistryStore::Open(":memory:");
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store.value()) : nullptr;
}

struct Case {
  const char* name;
  int64_t entry;
};

class RegistrationRowsTest : public ::testing::TestWithParam<Case> {};

TEST_P(RegistrationRowsTest, LoaderRowsEqualWhatIti42Stores) {
  RegionOptions region;
  region.entries = 1000;
  const xds::SimpleSubmission submission = SubmissionForEntry(region, GetParam().entry);

  // ITI-42 as the centre runs it: SOAP text -> parse -> decode -> register.
  auto iti42_store = OpenMemoryStore();
  ASSERT_NE(iti42_store, nullptr);
  ConfiguredPatientIds patients({submission.patient_id});
  registry::DocumentRegistry reg(*iti42_store, patients, nullptr, {});
  const std::string wire = RegisterRequest(submission, "http://127.0.0.1/xds/registry");
  auto message = xds::SoapMessage::Parse(wire, xds::SoapLimits());
  ASSERT_TRUE(message.ok()) << message.status().message();
  auto request = xds::DecodeSubmitObjectsRequest(*message);
  ASSERT_TRUE(request.ok()) << request.status().message();
  registry::RequestContext ctx;
  ctx.facility = submission.source_id;
  const xds::RegistryErrorList errors = reg.RegisterDocumentSet(*request, ctx);
  for (const auto& e : errors) ADD_FAILURE() << e.code_context;
  ASSERT_TRUE(errors.empty());

  // The loader: same submission, no HTTP, no XML round trip.
  auto rows = RegistrationRows(xds::BuildSubmitObjectsRequest(submission), submission.source_id);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  auto loader_store = OpenMemoryStore();
  ASSERT_NE(loader_store, nullptr);
  ASSERT_TRUE(loader_store
                  ->Apply([&](registry::RegistryTransaction& tx) {
                    for (const auto& r : *rows) RENKEI_RETURN_IF_ERROR(tx.Put(r));
                    return Status::Ok();
                  })
                  .ok());

  const std::vector<StoredObject> want = AllRows(*iti42_store);
  const std::vector<StoredObject> got = AllRows(*loader_store);
  ASSERT_EQ(want.size(), 3u);
  ASSERT_EQ(got.size(), want.size());
  UuidNormalizer nw, ng, nr;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string w = Describe(want[i], nw);
    EXPECT_EQ(Describe(got[i], ng), w) << "row " << i;
    // What the loader built before the store round trip is the same row too.
    EXPECT_EQ(Describe((*rows)[i], nr), w) << "built row " << i;
  }
  EXPECT_EQ(want[1].unique_id, DocumentUniqueId(region, GetParam().entry));
  EXPECT_EQ(want[1].status, xds::kStatusApproved);
}

INSTANTIATE_TEST_SUITE_P(Entries, RegistrationRowsTest,
                         ::testing::Values(Case{"entry0", 0}, Case{"entry1", 1},
                                           Case{"entry3", 3}, Case{"entry977", 977}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace renkei::bench
