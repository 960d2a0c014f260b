// Part 10 bytes of a DCMTK file object.
#include "dicomweb/part10_bytes.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace renkei::dicomweb {

Result<std::string> Part10Bytes(DcmFileFormat& file) {
  char temp[] = "/tmp/renkei-part10-XXXXXX";
  const int fd = ::mkstemp(temp);
  if (fd < 0) return Status::Internal("dicom.0x0110", "cannot create a temp file");
  ::close(fd);
  const OFCondition rc = file.saveFile(temp, EXS_LittleEndianExplicit);
  std::string bytes;
  if (rc.good()) {
    std::ifstream in(temp, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    bytes = out.str();
  }
  ::unlink(temp);
  if (rc.bad()) return Status::Internal("dicom.0x0110", std::string("cannot write: ") + rc.text());
  return bytes;
}

}  // namespace renkei::dicomweb
