// DicomStore (dicom_store.h): durable store, index search, files and metadata.
#include "dicomweb/dicom_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "dicomweb/dicom_reader.h"
#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/renkei-dicom-store-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    auto s = DicomStore::Open(dir_ + "/dicom", {});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  void TearDown() override {
    store_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  Result<DicomInstance> Put(const testing::TestInstance& t, const std::string& study = "") {
    const std::string src = dir_ + "/src.dcm";
    if (!testing::WriteTestInstance(t, src)) return Status::Internal("", "write");
    RENKEI_ASSIGN_OR_RETURN(auto in, store_->Begin());
    RENKEI_RETURN_IF_ERROR(in->Write(testing::ReadAll(src)));
    return store_->Store(*in, study);
  }
  std::vector<std::string> Column(const QidoQuery& q, const char* keyword) {
    auto rows = store_->Search(q, 100);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    for (const QidoRow& r : *rows) {
      for (const auto& [a, v] : r.values) {
        if (std::string(a->keyword) == keyword) out.push_back(v);
      }
    }
    return out;
  }
  std::string dir_;
  std::unique_ptr<DicomStore> store_;
};

testing::TestInstance Instance(int study, int series, int n, const std::string& modality = "CT") {
  testing::TestInstance t;
  t.study = "1.2.3." + std::to_string(study);
  t.series = t.study + "." + std::to_string(series);
  t.sop = t.series + "." + std::to_string(n);
  t.instance_number = std::to_string(n);
  t.modality = modality;
  t.patient_id = "P" + std::to_string(study);
  t.study_date = "2026110" + std::to_string(study);
  return t;
}

TEST_F(StoreTest, SearchesEachLevel) {
  ASSERT_TRUE(Put(Instance(1, 1, 1)).ok());
  ASSERT_TRUE(Put(Instance(1, 1, 2)).ok());
  ASSERT_TRUE(Put(Instance(1, 2, 1, "SR")).ok());
  ASSERT_TRUE(Put(Instance(2, 1, 1, "ES")).ok());

  QidoQuery studies;
  EXPECT_EQ(Column(studies, "StudyInstanceUID"), (std::vector<std::string>{"1.2.3.1", "1.2.3.2"}));
  EXPECT_EQ(Column(studies, "NumberOfStudyRelatedInstances"), (std::vector<std::string>{"3", "1"}));
  EXPECT_EQ(Column(studies, "NumberOfStudyRelatedSeries"), (std::vector<std::string>{"2", "1"}));

  QidoQuery by_patient;
  ASSERT_TRUE(ParseQidoParams({{"PatientID", "P2"}}, &by_patient, nullptr).ok());
  EXPECT_EQ(Column(by_patient, "StudyInstanceUID"), std::vector<std::string>{"1.2.3.2"});

  QidoQuery by_modality;
  std::vector<std::string> ignored;
  ASSERT_TRUE(ParseQidoParams({{"ModalitiesInStudy", "SR"}}, &by_modality, &ignored).ok());
  EXPECT_EQ(Column(by_modality, "StudyInstanceUID"), std::vector<std::string>{"1.2.3.1"});

  QidoQuery any_of;
  ASSERT_TRUE(ParseQidoParams({{"ModalitiesInStudy", "ES,SR"}}, &any_of, &ignored).ok());
  EXPECT_EQ(Column(any_of, "StudyInstanceUID"), (std::vector<std::string>{"1.2.3.1", "1.2.3.2"}));

  QidoQuery by_date;
  ASSERT_TRUE(ParseQidoParams({{"StudyDate", "20261102-"}}, &by_date, &ignored).ok());
  EXPECT_EQ(Column(by_date, "StudyInstanceUID"), std::vector<std::string>{"1.2.3.2"});

  QidoQuery series;
  series.level = Level::kSeries;
  series.study_uid = "1.2.3.1";
  EXPECT_EQ(Column(series, "Modality"), (std::vector<std::string>{"CT", "SR"}));
  EXPECT_EQ(Column(series, "NumberOfSeriesRelatedInstances"), (std::vector<std::string>{"2", "1"}));

  QidoQuery instances;
  instances.level = Level::kInstance;
  instances.study_uid = "1.2.3.1";
  instances.series_uid = "1.2.3.1.1";
  EXPECT_EQ(Column(instances, "SOPInstanceUID"),
            (std::vector<std::string>{"1.2.3.1.1.1", "1.2.3.1.1.2"}));
  instances.limit = 1;
  instances.offset = 1;
  EXPECT_EQ(Column(instances, "SOPInstanceUID"), std::vector<std::string>{"1.2.3.1.1.2"});
}

TEST_F(StoreTest, FilesAndMetadataAreTheStoredOnes) {
  testing::TestInstance t = Instance(1, 1, 1);
  ASSERT_TRUE(Put(t).ok());
  auto files = store_->Files("1.2.3.1", "", "");
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/again.dcm"));
  EXPECT_EQ(testing::ReadAll((*files)[0].path), testing::ReadAll(dir_ + "/again.dcm"));
  auto meta = store_->Metadata("1.2.3.1", "1.2.3.1.1", "1.2.3.1.1.1");
  ASSERT_TRUE(meta.ok());
  EXPECT_NE((*meta)[0].second.find("\"00080018\""), std::string::npos);
  EXPECT_EQ(store_->Files("1.2.3.9", "", "").status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, AnInstanceOfAnotherStudyIsRefusedAndNothingKept) {
  auto r = Put(Instance(1, 1, 1), "1.2.3.9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FailureReasonOf(r.status()), kFailureDoesNotMatch);
  EXPECT_FALSE(store_->Search(QidoQuery{}, 10)->size());
  struct stat st;
  EXPECT_NE(stat((dir_ + "/dicom/files/1.2.3.1").c_str(), &st), 0);
  EXPECT_EQ(std::system(("test -z \"$(ls -A " + dir_ + "/dicom/tmp)\"").c_str()), 0);
}

TEST_F(StoreTest, StoringAnInstanceAgainReplacesIt) {
  testing::TestInstance t = Instance(1, 1, 1);
  ASSERT_TRUE(Put(t).ok());
  t.accession = "A2";
  ASSERT_TRUE(Put(t).ok());
  QidoQuery q;
  EXPECT_EQ(Column(q, "AccessionNumber"), std::vector<std::string>{"A2"});
  EXPECT_EQ(Column(q, "NumberOfStudyRelatedInstances"), std::vector<std::string>{"1"});
  // One file for the instance: the replaced copy is gone.
  EXPECT_EQ(std::system(("test $(ls " + dir_ + "/dicom/files/1.2.3.1/1.2.3.1.1 | wc -l) -eq 1")
                            .c_str()),
            0);
}

// A copy that fails to commit leaves the acknowledged one as it was (file and row).
TEST_F(StoreTest, AFailedReplacementKeepsTheStoredInstance) {
  testing::TestInstance t = Instance(1, 1, 1);
  ASSERT_TRUE(Put(t).ok());
  const std::string before = testing::ReadAll(store_->Files(t.study, "", "")->front().path);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/dicom/index.sqlite").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  t.accession = "A2";
  EXPECT_FALSE(Put(t).ok());  // the index is locked: waits out the busy timeout, then fails
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  auto files = store_->Files(t.study, "", "");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(testing::ReadAll(files->front().path), before);
  EXPECT_EQ(std::system(("test $(ls " + dir_ + "/dicom/files/1.2.3.1/1.2.3.1.1 | wc -l) -eq 1")
                            .c_str()),
            0);
}

TEST_F(StoreTest, StudiesAreLinkedToTheRegionalPatientId) {
  store_.reset();
  std::atomic<int> calls{0};
  DicomStore::Options o;
  o.default_issuer = "1.2.392.200.1";
  o.linker = [&](const std::string& issuer, const std::string& id) -> Result<std::string> {
    ++calls;
    if (issuer == "1.2.392.200.1" && id == "P1") return std::string("R0001^^^&1.2.392.9&ISO");
    return Status::NotFound("pixm", "unknown");
  };
  store_ = std::move(DicomStore::Open(dir_ + "/dicom", o).value());
  testing::TestInstance known = Instance(1, 1, 1);  // patient P1, no IssuerOfPatientID
  ASSERT_TRUE(Put(known).ok());
  ASSERT_TRUE(Put(Instance(1, 1, 2)).ok());  // the same patient: linked from the cache
  ASSERT_TRUE(Put(Instance(2, 1, 1)).ok());  // P2: the PIX Manager does not know it
  std::vector<std::string> regional;
  for (int i = 0; i < 300 && (regional.empty() || calls.load() < 2); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    regional = Column(QidoQuery{}, "OtherPatientIDsSequence");
  }
  EXPECT_EQ(regional, std::vector<std::string>{"R0001^^^&1.2.392.9&ISO"});
  ASSERT_TRUE(Put(Instance(2, 1, 2)).ok());  // P2 again, within retry_seconds: not asked again
  // Study 1 corrected and re-sent under a patient the PIX Manager does not know: the link
  // to P1's regional ID goes with the old patient.
  testing::TestInstance corrected = Instance(1, 1, 1);
  corrected.patient_id = "P9";
  ASSERT_TRUE(Put(corrected).ok());
  for (int i = 0; i < 300 && calls.load() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(Column(QidoQuery{}, "OtherPatientIDsSequence").empty());
  store_.reset();
  EXPECT_EQ(calls.load(), 3);  // P1 once (then cached), P2 once, P9 once
}

// XDS-I.b: a study is due for a manifest once linked and quiet, and again when it gains
// instances after its manifest.
TEST_F(StoreTest, StudiesAreDueForAManifestWhenLinkedQuietAndChanged) {
  store_.reset();
  DicomStore::Options o;
  o.default_issuer = "1.2.392.200.1";
  o.linker = [](const std::string&, const std::string& id) -> Result<std::string> {
    return id + "R^^^&1.2.392.9&ISO";
  };
  store_ = std::move(DicomStore::Open(dir_ + "/dicom", o).value());
  ASSERT_TRUE(Put(Instance(1, 1, 1)).ok());
  ASSERT_TRUE(Put(Instance(1, 1, 2)).ok());
  const int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() + 1000;
  std::vector<std::string> due;
  for (int i = 0; i < 300 && due.empty(); ++i) {  // the link is made in the background
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    due = store_->StudiesDueForManifest(later).value();
  }
  EXPECT_EQ(due, std::vector<std::string>{"1.2.3.1"});
  EXPECT_TRUE(store_->StudiesDueForManifest(later - 60000)->empty());  // not quiet yet
  std::string regional;
  auto instances = store_->StudyInstances("1.2.3.1", &regional);
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(instances->size(), 2u);
  EXPECT_EQ(regional, "P1R^^^&1.2.392.9&ISO");
  EXPECT_EQ(instances->front().patient_id, "P1");
  ASSERT_TRUE(store_->RecordManifest("1.2.3.1", 2, "1.2.3.1.99").ok());
  EXPECT_TRUE(store_->StudiesDueForManifest(later)->empty());
  ASSERT_TRUE(Put(Instance(1, 1, 3)).ok());
  EXPECT_EQ(store_->StudiesDueForManifest(later + 1000).value(), std::vector<std::string>{"1.2.3.1"});
}

// Access tickets name manifests: every manifest a study had leads to it, with the patient
// the study is linked to now; an index made before the manifests table learns each study's
// last manifest when it opens.
TEST_F(StoreTest, ManifestsLeadToTheirStudy) {
  store_.reset();
  DicomStore::Options o;
  o.linker = [](const std::string&, const std::string& id) -> Result<std::string> {
    return id + "R^^^&1.2.392.9&ISO";
  };
  o.default_issuer = "1.2.392.200.1";
  store_ = std::move(DicomStore::Open(dir_ + "/dicom", o).value());
  ASSERT_TRUE(Put(Instance(1, 1, 1)).ok());
  ASSERT_TRUE(Put(Instance(2, 1, 1)).ok());
  ASSERT_TRUE(store_->RecordManifest("1.2.3.1", 1, "1.2.3.1.98").ok());
  ASSERT_TRUE(store_->RecordManifest("1.2.3.1", 2, "1.2.3.1.99").ok());  // replaces .98
  ASSERT_TRUE(store_->RecordManifest("1.2.3.2", 1, "1.2.3.2.99").ok());
  std::vector<ManifestStudy> found;
  for (int i = 0; i < 300; ++i) {  // the link is made in the background
    found = store_->StudiesOfManifests({"1.2.3.1.98", "9.9", "1.2.3.1.99", "1.2.3.2.99"}).value();
    if (found.size() == 3 && !found[0].regional_id.empty() && !found[2].regional_id.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].manifest_unique_id, "1.2.3.1.98");
  EXPECT_EQ(found[0].study_uid, "1.2.3.1");
  EXPECT_EQ(found[0].regional_id, "P1R^^^&1.2.392.9&ISO");
  EXPECT_EQ(found[1].study_uid, "1.2.3.1");
  EXPECT_EQ(found[2].study_uid, "1.2.3.2");
  EXPECT_TRUE(store_->StudiesOfManifests({}).value().empty());

  // An instance of another patient filed under study 1.2.3.2 (its last one stored): the
  // study is neither opened nor published until its instances agree again.
  testing::TestInstance misfiled = Instance(2, 1, 2);
  misfiled.patient_id = "P9";
  ASSERT_TRUE(Put(misfiled).ok());
  const int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() + 1000;
  for (int i = 0; i < 300; ++i) {
    found = store_->StudiesOfManifests({"1.2.3.2.99"}).value();
    if (!found.empty() && found[0].regional_id.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].regional_id, "");
  std::vector<std::string> due = store_->StudiesDueForManifest(later).value();
  EXPECT_EQ(std::count(due.begin(), due.end(), "1.2.3.2"), 0);
  testing::TestInstance resent = Instance(2, 1, 1);  // the PACS re-sends the first as P9's
  resent.patient_id = "P9";
  ASSERT_TRUE(Put(resent).ok());
  for (int i = 0; i < 300; ++i) {
    found = store_->StudiesOfManifests({"1.2.3.2.99"}).value();
    if (found[0].regional_id == "P9R^^^&1.2.392.9&ISO") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(found[0].regional_id, "P9R^^^&1.2.392.9&ISO");

  // An older index: no manifests table, no patient per instance.
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/dicom/index.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE manifests", nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE instances SET patient_id = NULL, issuer = NULL", nullptr,
                         nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  store_ = std::move(DicomStore::Open(dir_ + "/dicom", {}).value());
  found = store_->StudiesOfManifests({"1.2.3.1.98", "1.2.3.1.99", "1.2.3.2.99"}).value();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].manifest_unique_id, "1.2.3.1.99");
  EXPECT_EQ(found[0].regional_id, "P1R^^^&1.2.392.9&ISO");  // patients read back from metadata
  EXPECT_EQ(found[1].study_uid, "1.2.3.2");
  EXPECT_EQ(found[1].regional_id, "P9R^^^&1.2.392.9&ISO");
}

TEST_F(StoreTest, AnOversizedInstanceIsRefused) {
  store_.reset();
  DicomStore::Options o;
  o.max_instance_bytes = 100;
  store_ = std::move(DicomStore::Open(dir_ + "/dicom", o).value());
  auto in = store_->Begin();
  ASSERT_TRUE(in.ok());
  Status s = (*in)->Write(std::string(101, 'x'));
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(FailureReasonOf(s), kFailureOutOfResources);
}

}  // namespace
}  // namespace renkei::dicomweb
