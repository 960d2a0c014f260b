// PKI publication: the regional CA's CRL and certificate as DER over HTTP (RFC 5280
// §4.2.1.13, RFC 2585; trust/crl_endpoint.h).
#include "trust/crl_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <utility>

#include "common/log.h"
#include "trust/internal/openssl_handles.h"

namespace renkei::trust {
namespace {

constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;  // a CRL of ~400 000 entries

// What identifies one version of a file.
struct FileStamp {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime_ns == o.mtime_ns;
  }
};

std::optional<FileStamp> StampOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{st.st_dev, st.st_ino, st.st_size,
                   int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// The DER of `bytes` (PEM or DER) as a CRL or certificate; empty when it is not one.
std::string ToDer(const std::string& bytes, PublishedFile::Kind kind) {
  const bool pem = bytes.find("-----BEGIN") != std::string::npos;
  unsigned char* der = nullptr;
  int n = -1;
  if (kind == PublishedFile::Kind::kCrl) {
    internal::CrlPtr crl;
    if (pem) {
      internal::BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
      if (bio) crl.reset(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    } else {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
      crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
      if (crl && p != reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size()) {
        crl.reset();  // trailing bytes: not one DER CRL
      }
    }
    if (crl) n = i2d_X509_CRL(crl.get(), &der);
  } else {
    internal::X509Ptr cert;
    if (pem) {
      internal::BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
      if (bio) cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    } else {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data());
      cert.reset(d2i_X509(nullptr, &p, static_cast<long>(bytes.size())));
      if (cert && p != reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size()) {
        cert.reset();
      }
    }
    if (cert) n = i2d_X509(cert.get(), &der);
  }
  std::string out;
  if (n > 0 && der != nullptr) out.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  internal::ClearOpensslErrors();
  return out;
}

std::string HexPrefix(const std::string& bytes, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

void SendText(Poco::Net::HTTPServerResponse& response, int status, const std::string& text) {
  response.set("Cache-Control", "no-store");
  SendResponse(response, status, "text/plain; charset=utf-8", text + "\n");
}

}  // namespace

struct PublishedFile::Cache {
  std::mutex mu;
  std::optional<FileStamp> stamp;  // of the version last read (good or not)
  Status last_error = Status::NotFound("no_pki_file", "not read yet");
  std::string der;  // the last good DER ("" = none)
};

PublishedFile::PublishedFile(std::string path, Kind kind)
    : path_(std::move(path)), kind_(kind), cache_(std::make_unique<Cache>()) {}
PublishedFile::~PublishedFile() = default;

Result<std::string> PublishedFile::Der() {
  std::lock_guard<std::mutex> lock(cache_->mu);
  const std::string what = kind_ == Kind::kCrl ? "CRL" : "certificate";
  std::optional<FileStamp> stamp = StampOf(path_);
  if (!stamp) {
    if (cache_->stamp && !cache_->der.empty()) {  // logged once per disappearance
      LogWarning("pki: the " + what + " file " + path_ +
                 " is gone; the previous one stays published");
    }
    cache_->stamp.reset();
    if (cache_->der.empty()) {
      return Status::NotFound("no_pki_file", "no " + what + " file " + path_);
    }
    return cache_->der;
  }
  if (!(stamp == cache_->stamp)) {  // a new version: read it once
    cache_->stamp = stamp;
    std::string bytes;
    std::ifstream in(path_, std::ios::binary);
    if (in && stamp->size <= static_cast<off_t>(kMaxFileBytes)) {
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string der = bytes.empty() ? std::string() : ToDer(bytes, kind_);
    if (der.empty()) {
      cache_->last_error =
          Status::InvalidArgument("bad_pki_file", path_ + " is not a " + what + " (PEM or DER)");
      LogWarning("pki: " + cache_->last_error.message() +
                 (cache_->der.empty() ? "" : "; the previous one stays published"));
    } else {
      if (der != cache_->der) LogInfo("pki: publishing the " + what + " of " + path_);
      cache_->der = std::move(der);
    }
  }
  if (cache_->der.empty()) return cache_->last_error;
  return cache_->der;
}

HttpHandler MakePublishedFileHandler(std::string path, PublishedFile::Kind kind) {
  auto file = std::make_shared<PublishedFile>(std::move(path), kind);
  const char* media = kind == PublishedFile::Kind::kCrl ? kCrlMediaType : kCertMediaType;
  return [file, media](Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) {
    if (file->path().empty()) return SendText(response, 503, "not published here");
    Result<std::string> der = file->Der();
    if (!der.ok()) return SendText(response, 503, "not available");
    const std::string etag = "\"" + HexPrefix(internal::Sha256(*der), 16) + "\"";
    response.set("ETag", etag);
    response.set("Cache-Control", "no-cache");
    const std::string if_none_match = request.get("If-None-Match", "");
    if (!if_none_match.empty() &&
        (if_none_match == "*" || if_none_match.find(etag) != std::string::npos)) {
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
      response.setContentLength(0);
      response.send();
      return;
    }
    SendResponse(response, 200, media, *der);
  };
}

void AddPkiRoutes(HttpRouter& router, const PkiPublicationOptions& options) {
  if (!options.crl_file.empty()) {
    router.Exact("GET", kCrlPath,
                 MakePublishedFileHandler(options.crl_file, PublishedFile::Kind::kCrl));
  }
  if (!options.ca_cert_file.empty()) {
    router.Exact("GET", kCaCertPath,
                 MakePublishedFileHandler(options.ca_cert_file, PublishedFile::Kind::kCertificate));
  }
}

}  // namespace renkei::trust
