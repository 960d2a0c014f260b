// Decodes a DICOM Part 10 file (PS3.10) into a DicomInstance with DCMTK: the edge between
// the DICOM encoding and the store. Values larger than 4 KiB (pixel data, large binary
// values) are never loaded into memory: a multi-gigabyte pathology instance costs a few
// kilobytes to index.
//
// Thread-safety: free functions.
#ifndef RENKEI_DICOMWEB_DICOM_READER_H_
#define RENKEI_DICOMWEB_DICOM_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "dicomweb/dicom_instance.h"

namespace renkei::dicomweb {

// Why an instance cannot be stored, as PS3.18 / PS3.4 failure reasons (Table 10.5.3-1).
inline constexpr int kFailureProcessing = 0x0110;         // could not be processed
inline constexpr int kFailureCannotUnderstand = 0xC000;   // not a DICOM Part 10 file
inline constexpr int kFailureDoesNotMatch = 0xA900;       // data set does not match the SOP class / the study
inline constexpr int kFailureOutOfResources = 0xA700;

// The file's instance. InvalidArgument (detail "0xC000"-style hex of a failure reason above)
// when the file is not DICOM Part 10 (no "DICM" preamble / meta header), is truncated, or
// lacks a valid SOP Class, SOP Instance, Study or Series Instance UID.
Result<DicomInstance> ReadDicomFile(const std::string& path);

// The failure reason a ReadDicomFile error stands for.
int FailureReasonOf(const Status& status);

// Frames (1-based numbers) of the instance at `path` decoded by DCMTK: native pixel data
// sliced per frame, or an encapsulated frame's fragment(s). `media_type` gets the parts'
// media type (application/octet-stream for native, image/jpeg, image/jp2, image/jls,
// image/dicom-rle … for compressed). NotFound for a frame number out of range;
// InvalidArgument when the instance has no pixel data.
Result<std::vector<std::string>> ReadFrames(const std::string& path,
                                            const std::vector<int64_t>& frames,
                                            std::string* media_type);

// The value of the top-level binary element `tag` (gggg eeee) of the instance at `path`, as
// the bytes a BulkDataURI stands for (little endian), read piece by piece from the file
// (never whole in memory). Open: NotFound when the instance has no such element;
// InvalidArgument for encapsulated pixel data (its frames are served instead) or a value
// that is not binary.
class BulkDataReader {
 public:
  static Result<std::unique_ptr<BulkDataReader>> Open(const std::string& path, uint32_t tag);
  ~BulkDataReader();
  uint64_t size() const;
  // Bytes [offset, offset + n) of the value into `out` (resized to n).
  Status Read(uint64_t offset, uint32_t n, std::string* out);

  struct Impl;

 private:
  explicit BulkDataReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The whole value, through a BulkDataReader (for small values and tests).
Result<std::string> ReadBulkData(const std::string& path, uint32_t tag);

// Registers DCMTK's JPEG, JPEG-LS and RLE decoders (once; thread-safe).
void RegisterDecoders();

// The instance at `path` as a Part 10 file in explicit VR little endian (compressed pixel
// data decoded; the whole instance is read into memory). InvalidArgument when DCMTK cannot
// decode its transfer syntax.
Result<std::string> TranscodeToExplicitLittleEndian(const std::string& path);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOM_READER_H_
