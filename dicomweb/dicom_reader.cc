// DICOM Part 10 → DicomInstance with DCMTK (dcmdata): the attributes the index needs and the
// data set as DICOM JSON (DcmJsonFormat, bulk data as BulkDataURI).
#include "dicomweb/dicom_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcjson.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <sys/stat.h>


#include <algorithm>
#include <mutex>

#include <cstdio>
#include <set>
#include <sstream>

#include "dicomweb/part10_bytes.h"

namespace renkei::dicomweb {
namespace {

// Values over this many bytes stay in the file until asked for.
constexpr Uint32 kMaxLoadedValue = 4096;
// Top-level binary values over this many bytes are bulk data in the metadata.
constexpr Uint32 kMaxInlineBinary = 1024;

std::string Reason(int reason) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "dicom.0x%04X", reason);
  return buf;
}

Status Failed(int reason, const std::string& message) {
  return Status::InvalidArgument(Reason(reason), message);
}

std::string Get(DcmItem& item, const DcmTagKey& tag) {
  OFString v;
  if (item.findAndGetOFStringArray(tag, v).bad()) return {};
  std::string s(v.c_str(), v.length());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

int64_t GetInt(DcmItem& item, const DcmTagKey& tag) {
  const std::string s = Get(item, tag);
  if (s.empty()) return 0;
  try {
    return std::stoll(s);
  } catch (...) {
    return 0;
  }
}

std::string TagHex(const DcmTagKey& tag) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X%04X", tag.getGroup(), tag.getElement());
  return buf;
}

// DICOM JSON with the bulk data of the top level as BulkDataURIs under kBulkBase.
class BulkDataJsonFormat : public DcmJsonFormatCompact {
 public:
  explicit BulkDataJsonFormat(std::set<DcmTagKey> bulk)
      : DcmJsonFormatCompact(OFFalse), bulk_(std::move(bulk)) {}
  OFBool asBulkDataURI(const DcmTagKey& tag, OFString& uri) override {
    if (bulk_.count(tag) == 0) return OFFalse;
    uri = (std::string(kBulkBase) + "/bulkdata/" + TagHex(tag)).c_str();
    return OFTrue;
  }

 private:
  std::set<DcmTagKey> bulk_;
};

bool IsBinaryVr(DcmEVR vr) {
  switch (vr) {
    case EVR_OB: case EVR_OW: case EVR_OF: case EVR_OD: case EVR_OL: case EVR_OV:
    case EVR_UN: case EVR_ox: case EVR_px: case EVR_pixelItem: case EVR_pixelSQ:
      return true;
    default:
      return false;
  }
}

std::set<DcmTagKey> BulkTags(DcmDataset& ds) {
  std::set<DcmTagKey> bulk;
  for (unsigned long i = 0; i < ds.card(); ++i) {
    DcmElement* e = ds.getElement(i);
    if (e == nullptr) continue;
    const DcmTagKey key = e->getTag();
    if (key == DCM_PixelData || key == DCM_FloatPixelData || key == DCM_DoubleFloatPixelData ||
        (IsBinaryVr(e->getTag().getEVR()) && e->getLength() > kMaxInlineBinary)) {
      bulk.insert(key);
    }
  }
  return bulk;
}

// The file offset of the native pixel data when it is the file's last element in a little
// endian transfer syntax (the usual layout): checked against the element header before it.
int64_t NativePixelOffset(const std::string& path, DcmDataset& ds, const std::string& ts) {
  const bool explicit_vr = ts == UID_LittleEndianExplicitTransferSyntax;
  if (!explicit_vr && ts != UID_LittleEndianImplicitTransferSyntax) return -1;
  DcmElement* px = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, px).bad() || px == nullptr) return -1;
  const uint64_t length = px->getLength();
  if (length == 0 || length == DCM_UndefinedLength) return -1;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) < length + 12) return -1;
  const int64_t offset = static_cast<int64_t>(st.st_size - length);
  unsigned char head[12];
  const int header = explicit_vr ? 12 : 8;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return -1;
  const bool read = std::fseek(f, offset - header, SEEK_SET) == 0 &&
                    std::fread(head, 1, static_cast<size_t>(header), f) == static_cast<size_t>(header);
  std::fclose(f);
  if (!read || head[0] != 0xE0 || head[1] != 0x7F || head[2] != 0x10 || head[3] != 0x00) return -1;
  const unsigned char* len = head + (explicit_vr ? 8 : 4);
  const uint64_t declared = uint64_t{len[0]} | uint64_t{len[1]} << 8 | uint64_t{len[2]} << 16 |
                            uint64_t{len[3]} << 24;
  return declared == length ? offset : -1;
}

std::string FrameMediaType(const std::string& ts) {
  const std::pair<const char*, const char*> types[] = {
      {UID_JPEGProcess1TransferSyntax, "image/jpeg"},
      {UID_JPEGProcess2_4TransferSyntax, "image/jpeg"},
      {UID_JPEGProcess14TransferSyntax, "image/jpeg"},
      {UID_JPEGProcess14SV1TransferSyntax, "image/jpeg"},
      {UID_JPEGLSLosslessTransferSyntax, "image/jls"},
      {UID_JPEGLSLossyTransferSyntax, "image/jls"},
      {UID_JPEG2000LosslessOnlyTransferSyntax, "image/jp2"},
      {UID_JPEG2000TransferSyntax, "image/jp2"},
      {UID_RLELosslessTransferSyntax, "image/dicom-rle"}};
  for (const auto& [uid, type] : types) {
    if (ts == uid) return type;
  }
  return "application/octet-stream";
}

}  // namespace

Result<std::vector<std::string>> ReadFrames(const std::string& path,
                                            const std::vector<int64_t>& frames,
                                            std::string* media_type) {
  DcmFileFormat file;
  OFCondition rc = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadedValue,
                                 ERM_fileOnly);
  if (rc.bad()) return Status::Internal("dicom", std::string("cannot read ") + path + ": " + rc.text());
  DcmDataset& ds = *file.getDataset();
  const int64_t count = std::max<int64_t>(1, GetInt(ds, DCM_NumberOfFrames));
  for (int64_t f : frames) {
    if (f < 1 || f > count) {
      return Status::NotFound("dicom", "frame " + std::to_string(f) + " of " +
                                           std::to_string(count) + " does not exist");
    }
  }
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
    return Status::InvalidArgument("dicom", "the instance has no pixel data");
  }
  DcmPixelData* px = static_cast<DcmPixelData*>(element);
  const E_TransferSyntax xfer = ds.getOriginalXfer();
  std::vector<std::string> out;
  if (DcmXfer(xfer).isEncapsulated()) {
    *media_type = FrameMediaType(DcmXfer(xfer).getXferID());
    DcmPixelSequence* seq = nullptr;
    if (px->getEncapsulatedRepresentation(xfer, nullptr, seq).bad() || seq == nullptr) {
      return Status::Internal("dicom", "cannot read the encapsulated pixel data");
    }
    // Item 0 is the offset table; with one fragment per frame, frame f is item f; a single
    // frame is all fragments together.
    const int64_t items = static_cast<int64_t>(seq->card());
    if (count == 1 && items > 2) {
      std::string whole;
      for (unsigned long i = 1; i < seq->card(); ++i) {
        DcmPixelItem* item = nullptr;
        Uint8* bytes = nullptr;
        if (seq->getItem(item, i).bad() || item->getUint8Array(bytes).bad()) {
          return Status::Internal("dicom", "cannot read a fragment of frame 1");
        }
        whole.append(reinterpret_cast<const char*>(bytes), item->getLength());
      }
      out.push_back(std::move(whole));
      return out;
    }
    if (items != count + 1) {
      return Status::Internal("dicom", "frames split over several fragments are not served");
    }
    for (int64_t f : frames) {
      DcmPixelItem* item = nullptr;
      Uint8* bytes = nullptr;
      if (seq->getItem(item, static_cast<unsigned long>(f)).bad() ||
          item->getUint8Array(bytes).bad()) {
        return Status::Internal("dicom", "cannot read frame " + std::to_string(f));
      }
      out.emplace_back(reinterpret_cast<const char*>(bytes), item->getLength());
    }
    return out;
  }
  *media_type = "application/octet-stream";
  const Uint8* bytes = nullptr;
  if (ds.findAndGetUint8Array(DCM_PixelData, bytes).bad() || bytes == nullptr) {
    return Status::Internal("dicom", "cannot read the pixel data");
  }
  const uint64_t frame_bytes = px->getLength() / static_cast<uint64_t>(count);
  for (int64_t f : frames) {
    out.emplace_back(reinterpret_cast<const char*>(bytes) + (f - 1) * frame_bytes, frame_bytes);
  }
  return out;
}

struct BulkDataReader::Impl {
  DcmFileFormat file;
  DcmElement* element = nullptr;
  DcmFileCache cache;  // keeps the file open between pieces
};

BulkDataReader::BulkDataReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BulkDataReader::~BulkDataReader() = default;
uint64_t BulkDataReader::size() const { return impl_->element->getLength(); }

Result<std::unique_ptr<BulkDataReader>> BulkDataReader::Open(const std::string& path,
                                                             uint32_t tag) {
  auto impl = std::make_unique<Impl>();
  OFCondition rc = impl->file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadedValue,
                                       ERM_fileOnly);
  if (rc.bad()) return Status::Internal("dicom", std::string("cannot read ") + path + ": " + rc.text());
  DcmDataset& ds = *impl->file.getDataset();
  const DcmTagKey key(static_cast<Uint16>(tag >> 16), static_cast<Uint16>(tag & 0xFFFF));
  if (ds.findAndGetElement(key, impl->element, OFFalse).bad() || impl->element == nullptr) {
    return Status::NotFound("dicom", "the instance has no such bulk data element");
  }
  if (key == DCM_PixelData && DcmXfer(ds.getOriginalXfer()).isEncapsulated()) {
    return Status::InvalidArgument("dicom", "encapsulated pixel data: retrieve its frames");
  }
  if (!IsBinaryVr(impl->element->getTag().getEVR())) {
    return Status::InvalidArgument("dicom", "not a binary element");
  }
  return std::unique_ptr<BulkDataReader>(new BulkDataReader(std::move(impl)));
}

Status BulkDataReader::Read(uint64_t offset, uint32_t n, std::string* out) {
  out->resize(n);
  if (offset + n > size()) return Status::InvalidArgument("dicom", "read past the value's end");
  OFCondition rc = impl_->element->getPartialValue(out->data(), static_cast<Uint32>(offset), n,
                                                   &impl_->cache, EBO_LittleEndian);
  if (rc.bad()) return Status::Internal("dicom", std::string("cannot read bulk data: ") + rc.text());
  return Status::Ok();
}

Result<std::string> ReadBulkData(const std::string& path, uint32_t tag) {
  RENKEI_ASSIGN_OR_RETURN(auto reader, BulkDataReader::Open(path, tag));
  std::string out;
  RENKEI_RETURN_IF_ERROR(reader->Read(0, static_cast<uint32_t>(reader->size()), &out));
  return out;
}

void RegisterDecoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

Result<std::string> TranscodeToExplicitLittleEndian(const std::string& path) {
  RegisterDecoders();
  DcmFileFormat file;
  OFCondition rc = file.loadFile(path.c_str());
  if (rc.bad()) return Status::Internal("dicom", std::string("cannot read ") + path + ": " + rc.text());
  DcmDataset& ds = *file.getDataset();
  if (ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() ||
      !ds.canWriteXfer(EXS_LittleEndianExplicit)) {
    return Status::InvalidArgument("dicom", "cannot decode " +
                                                std::string(DcmXfer(ds.getOriginalXfer()).getXferName()));
  }
  return Part10Bytes(file);
}

bool IsValidUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  char prev = '.';
  for (char c : uid) {
    if (c == '.' && prev == '.') return false;
    if (c != '.' && (c < '0' || c > '9')) return false;
    prev = c;
  }
  return true;
}

int FailureReasonOf(const Status& status) {
  const std::string& d = status.detail();
  if (d.rfind("dicom.0x", 0) != 0) return kFailureProcessing;
  return static_cast<int>(std::strtol(d.c_str() + 8, nullptr, 16));
}

Result<DicomInstance> ReadDicomFile(const std::string& path) {
  DcmFileFormat file;
  // ERM_fileOnly: a Part 10 file (preamble, "DICM", meta header) or nothing (PS3.18 §8.6.1.1
  // application/dicom is the Part 10 format).
  OFCondition rc = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, kMaxLoadedValue,
                                 ERM_fileOnly);
  if (rc.bad()) {
    return Failed(kFailureCannotUnderstand,
                  std::string("not a readable DICOM Part 10 file: ") + rc.text());
  }
  DcmDataset& ds = *file.getDataset();
  DcmMetaInfo& meta = *file.getMetaInfo();
  DicomInstance d;
  d.transfer_syntax_uid = Get(meta, DCM_TransferSyntaxUID);
  d.sop_class_uid = Get(ds, DCM_SOPClassUID);
  d.sop_instance_uid = Get(ds, DCM_SOPInstanceUID);
  d.study_uid = Get(ds, DCM_StudyInstanceUID);
  d.series_uid = Get(ds, DCM_SeriesInstanceUID);
  const std::pair<const char*, const std::string*> uids[] = {
      {"TransferSyntaxUID (0002,0010)", &d.transfer_syntax_uid},
      {"SOPClassUID (0008,0016)", &d.sop_class_uid},
      {"SOPInstanceUID (0008,0018)", &d.sop_instance_uid},
      {"StudyInstanceUID (0020,000D)", &d.study_uid},
      {"SeriesInstanceUID (0020,000E)", &d.series_uid}};
  for (const auto& [name, value] : uids) {
    if (!IsValidUid(*value)) {
      return Failed(kFailureDoesNotMatch, std::string(name) + " missing or not a valid UID: '" +
                                              *value + "'");
    }
  }
  const std::string meta_sop = Get(meta, DCM_MediaStorageSOPInstanceUID);
  if (!meta_sop.empty() && meta_sop != d.sop_instance_uid) {
    return Failed(kFailureDoesNotMatch, "MediaStorageSOPInstanceUID '" + meta_sop +
                                            "' differs from SOPInstanceUID '" +
                                            d.sop_instance_uid + "'");
  }
  d.patient_id = Get(ds, DCM_PatientID);
  d.issuer_of_patient_id = Get(ds, DCM_IssuerOfPatientID);
  d.patient_name = Get(ds, DCM_PatientName);
  d.patient_birth_date = Get(ds, DCM_PatientBirthDate);
  d.patient_sex = Get(ds, DCM_PatientSex);
  d.study_date = Get(ds, DCM_StudyDate);
  d.study_time = Get(ds, DCM_StudyTime);
  d.accession_number = Get(ds, DCM_AccessionNumber);
  d.study_id = Get(ds, DCM_StudyID);
  d.study_description = Get(ds, DCM_StudyDescription);
  d.referring_physician_name = Get(ds, DCM_ReferringPhysicianName);
  d.modality = Get(ds, DCM_Modality);
  d.series_number = Get(ds, DCM_SeriesNumber);
  d.series_description = Get(ds, DCM_SeriesDescription);
  d.performed_start_date = Get(ds, DCM_PerformedProcedureStepStartDate);
  d.performed_start_time = Get(ds, DCM_PerformedProcedureStepStartTime);
  d.instance_number = Get(ds, DCM_InstanceNumber);
  // The geometry a frame's byte range is computed from: kept only within DICOM's own
  // ranges (US values; at most 2^31 frames), else 0, so that no product of them overflows.
  auto within = [](int64_t v, int64_t max) { return v >= 1 && v <= max ? v : 0; };
  d.rows = within(GetInt(ds, DCM_Rows), 65535);
  d.columns = within(GetInt(ds, DCM_Columns), 65535);
  d.number_of_frames = within(GetInt(ds, DCM_NumberOfFrames), int64_t{1} << 31);
  d.samples_per_pixel = within(GetInt(ds, DCM_SamplesPerPixel), 4);
  d.bits_allocated = within(GetInt(ds, DCM_BitsAllocated), 64);
  d.pixel_offset = NativePixelOffset(path, ds, d.transfer_syntax_uid);

  BulkDataJsonFormat format(BulkTags(ds));
  std::ostringstream json;
  json << '{';  // DcmDataset::writeJson writes the members only
  rc = ds.writeJson(json, format);
  json << '}';
  if (rc.bad()) {
    return Failed(kFailureProcessing, std::string("cannot encode the data set as DICOM JSON: ") +
                                          rc.text());
  }
  d.metadata_json = json.str();
  return d;
}

}  // namespace renkei::dicomweb
