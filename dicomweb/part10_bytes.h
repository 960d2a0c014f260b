// A DCMTK file object as the bytes of a Part 10 file (an edge helper of dicomweb/: the
// transcoder in dicom_reader.cc and the manifest builder in kos_manifest.cc).
#ifndef RENKEI_DICOMWEB_PART10_BYTES_H_
#define RENKEI_DICOMWEB_PART10_BYTES_H_

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>

#include "common/status.h"

namespace renkei::dicomweb {

// `file` written in explicit VR little endian (through a temp file: DCMTK's savers write to
// files). Internal (detail "dicom.0x0110") when DCMTK cannot write it.
Result<std::string> Part10Bytes(DcmFileFormat& file);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_PART10_BYTES_H_
