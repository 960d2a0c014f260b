// ITI-19 Authenticate Node: credential files (trust/credential_files.h).
#include "trust/credential_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace renkei::trust {

Status WriteNewFile(const std::string& path, const std::string& data, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Status::Conflict("file_exists", path + " already exists");
    return Status::Internal("file", "cannot create " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == data.size() && ::fsync(fd) == 0;
  const int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(path.c_str());
    return Status::Internal("file", "cannot write " + path + ": " + std::strerror(saved));
  }
  return Status::Ok();
}

Status SaveCredentials(const IssuedCertificate& issued, const std::string& prefix) {
  const std::string key = prefix + ".key.pem";
  const std::string cert = prefix + ".cert.pem";
  struct stat st;
  for (const std::string& p : {key, cert}) {
    if (::stat(p.c_str(), &st) == 0) {
      return Status::Conflict("file_exists", p + " already exists");
    }
  }
  RENKEI_RETURN_IF_ERROR(WriteNewFile(key, issued.key_pem, 0600));
  Status written = WriteNewFile(cert, issued.cert_pem, 0644);
  if (!written.ok()) ::unlink(key.c_str());
  return written;
}

}  // namespace renkei::trust
