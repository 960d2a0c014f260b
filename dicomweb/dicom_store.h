// The node's DICOM store (architecture §6): instances as Part 10 files under
// `<dir>/files/<study>/<series>/<sop>.dcm`, written first to `<dir>/tmp/`, fsynced and
// renamed (directories fsynced); an index (SQLite, WAL, synchronous=FULL) of the patient /
// study / series / instance attributes QIDO-RS matches on (dicomweb/qido_query.h) and each
// instance's metadata as DICOM JSON, made once at ingest — a study list or a study's
// metadata is read from the index, never from the files.
//
// An instance is acknowledged only after its file and its index row are durable. Storing
// an instance whose SOP Instance UID is stored already replaces it (file and row).
// Temp files left by a crash are removed when the store opens.
//
// Thread-safety: DicomStore is thread-safe; an Incoming belongs to one thread.
#ifndef RENKEI_DICOMWEB_DICOM_STORE_H_
#define RENKEI_DICOMWEB_DICOM_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "dicomweb/dicom_instance.h"
#include "dicomweb/qido_query.h"

namespace renkei::dicomweb {

class DicomStore;

// An instance being received: a temp file. Destroying an Incoming that was not stored
// removes its file.
class Incoming {
 public:
  ~Incoming();
  Incoming(const Incoming&) = delete;
  Incoming& operator=(const Incoming&) = delete;
  // ResourceExhausted (detail "dicom.0xA700") past the store's max_instance_bytes.
  Status Write(std::string_view bytes);
  uint64_t size() const { return size_; }
  // The temp file, for a writer that opens it by name (DCMTK's C-STORE receiver); then
  // TakeWrittenFile() counts what it wrote (ResourceExhausted past max_instance_bytes).
  const std::string& path() const { return path_; }
  Status TakeWrittenFile();

 private:
  friend class DicomStore;
  Incoming(std::string path, int fd, uint64_t max_bytes)
      : path_(std::move(path)), fd_(fd), max_bytes_(max_bytes) {}
  std::string path_;
  int fd_;
  uint64_t max_bytes_;
  uint64_t size_ = 0;
};

// One stored instance's file.
struct StoredFile {
  std::string study_uid;
  std::string series_uid;
  std::string sop_instance_uid;
  std::string transfer_syntax_uid;
  std::string path;  // absolute
  uint64_t size = 0;
  // Pixel geometry for frame retrieval (dicom_instance.h).
  int64_t rows = 0;
  int64_t columns = 0;
  int64_t frames = 0;
  int64_t samples_per_pixel = 0;
  int64_t bits_allocated = 0;
  int64_t pixel_offset = -1;
};

// One QIDO-RS answer: the attributes of its level and above, in tag order, with their
// values (computed ones included; RetrieveURL is the endpoint's).
// A manifest this node published (XDS-I.b) and its study, with the study's regional patient
// ID now (empty when not linked, or while the study's instances name different patients).
struct ManifestStudy {
  std::string manifest_unique_id;
  std::string study_uid;
  std::string regional_id;
};

struct QidoRow {
  std::vector<std::pair<const AttrDef*, std::string>> values;
};

class DicomStore {
 public:
  // The regional patient ID (CX "id^^^&oid&ISO") of a local one, from the PIX Manager;
  // NotFound when it knows none (dicomweb/dicom_store.cc links in the background).
  using PatientLinker =
      std::function<Result<std::string>(const std::string& issuer_oid, const std::string& id)>;
  struct Options {
    uint64_t max_instance_bytes = uint64_t{8} << 30;
    // PIX linking (architecture §1): each stored study's patient (PatientID, of its
    // IssuerOfPatientID or else `default_issuer`) is linked to the regional ID by `linker`,
    // on a thread of the store's, never holding up an acknowledgment; a failed link is
    // tried again with the next instance of that patient, at most once a `retry_seconds`.
    PatientLinker linker;
    std::string default_issuer;
    int retry_seconds = 30;
  };
  static Result<std::unique_ptr<DicomStore>> Open(const std::string& dir, const Options& options);
  ~DicomStore();

  Result<std::unique_ptr<Incoming>> Begin();
  // Decodes, checks and stores a received instance. `study_uid` (from a STOW URL) non-empty:
  // an instance of another study is refused (PS3.18 §10.5.3: failure 0xA900). Errors carry
  // a failure reason (dicomweb/dicom_reader.h FailureReasonOf); nothing is kept for them.
  Result<DicomInstance> Store(Incoming& incoming, const std::string& study_uid);
  // Store in two steps, for a request carrying many instances (STOW-RS): Decode each, then
  // Commit them together (one round of fsyncs and one index commit for all). Commit's
  // statuses are per instance, in order; a failed one keeps nothing.
  Result<DicomInstance> Decode(const Incoming& incoming, const std::string& study_uid);
  struct Decoded {
    Incoming* incoming;
    const DicomInstance* instance;
  };
  std::vector<Status> Commit(const std::vector<Decoded>& instances);

  // QIDO-RS: the rows matching `q`, at most `max_rows` (q.limit when smaller).
  Result<std::vector<QidoRow>> Search(const QidoQuery& q, int64_t max_rows);
  // WADO-RS: the files of a study, a series of it, or one instance (empty UIDs: all), in
  // series then instance-number order. NotFound when there is none.
  Result<std::vector<StoredFile>> Files(const std::string& study_uid,
                                        const std::string& series_uid,
                                        const std::string& sop_instance_uid);
  // The DICOM JSON metadata objects of those instances (BulkDataURIs still relative to
  // kBulkBase), with each one's file for the caller's URLs.
  Result<std::vector<std::pair<StoredFile, std::string>>> Metadata(
      const std::string& study_uid, const std::string& series_uid,
      const std::string& sop_instance_uid);

  // XDS-I.b (dicomweb/kos_manifest.h): the studies linked to a regional patient ID whose
  // last instance was stored before `quiet_before_ms` (Unix ms) and whose instance count
  // differs from that of their last manifest (none yet: 0) — not while their instances name
  // different patients.
  Result<std::vector<std::string>> StudiesDueForManifest(int64_t quiet_before_ms);
  // A study for its manifest: each instance's attributes (patient and study from the
  // index's study row), and the regional patient ID. NotFound for an unknown study.
  // `manifest_entry` (may be null) gets the entryUUID of the study's last manifest (empty
  // when it has none).
  Result<std::vector<DicomInstance>> StudyInstances(const std::string& study_uid,
                                                    std::string* regional_id,
                                                    std::string* manifest_entry = nullptr);
  // The study's manifest `manifest_unique_id` (DocumentEntry `manifest_entry`) was queued
  // for registration, covering `instance_count` instances.
  Status RecordManifest(const std::string& study_uid, int64_t instance_count,
                        const std::string& manifest_unique_id,
                        const std::string& manifest_entry = "");

  // Access tickets name manifests (XDS DocumentEntry.uniqueId = the KOS SOP Instance UID):
  // the studies of those among `manifest_unique_ids` that this store published (any
  // manifest of a study, the replaced ones too), in the order asked; unknown ones are left
  // out.
  Result<std::vector<ManifestStudy>> StudiesOfManifests(
      const std::vector<std::string>& manifest_unique_ids);

  struct Impl;

 private:
  explicit DicomStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOM_STORE_H_
