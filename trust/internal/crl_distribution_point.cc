// RFC 5280 §4.2.1.13 cRLDistributionPoints (trust/internal/crl_distribution_point.h).
#include "trust/internal/crl_distribution_point.h"

#include <openssl/x509v3.h>

#include <cstring>
#include <memory>

#include "trust/internal/openssl_handles.h"

namespace renkei::trust::internal {
namespace {

constexpr size_t kMaxUrlLength = 512;

using DistPointsPtr =
    std::unique_ptr<CRL_DIST_POINTS, Deleter<CRL_DIST_POINTS, CRL_DIST_POINTS_free>>;

bool StartsWith(const std::string& s, const char* prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

}  // namespace

Status CheckCrlUrl(const std::string& url) {
  auto bad = [&url](const std::string& why) {
    return Status::InvalidArgument("bad_crl_url", "the CRL URL '" + url + "' " + why, "crl_url");
  };
  if (url.empty() || url.size() > kMaxUrlLength) return bad("must be 1..512 characters");
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f || std::strchr("\"<>\\^`{|}", c) != nullptr) {
      return bad("holds a character a URI may not");
    }
  }
  size_t authority = 0;
  if (StartsWith(url, "http://")) {
    authority = 7;
  } else if (StartsWith(url, "https://")) {
    authority = 8;
  } else {
    return bad("must be an http:// or https:// URL");
  }
  const size_t end = url.find_first_of("/?#", authority);
  const std::string host_port = url.substr(authority, end - authority);
  if (host_port.empty() || host_port[0] == ':' || host_port.find('@') != std::string::npos) {
    return bad("needs a host (and no user information)");
  }
  return Status::Ok();
}

Status AddCrlDistributionPoint(X509* cert, const std::string& url) {
  DistPointsPtr points(sk_DIST_POINT_new_null());
  DIST_POINT* point = DIST_POINT_new();
  if (!points || point == nullptr) {
    DIST_POINT_free(point);
    return OpensslError("openssl", "cRLDistributionPoints");
  }
  if (sk_DIST_POINT_push(points.get(), point) == 0) {
    DIST_POINT_free(point);
    return OpensslError("openssl", "cRLDistributionPoints");
  }
  // point is owned by `points` from here on.
  point->distpoint = DIST_POINT_NAME_new();
  GENERAL_NAME* name = GENERAL_NAME_new();
  ASN1_IA5STRING* uri = ASN1_IA5STRING_new();
  if (point->distpoint == nullptr || name == nullptr || uri == nullptr ||
      ASN1_STRING_set(uri, url.data(), static_cast<int>(url.size())) != 1) {
    GENERAL_NAME_free(name);
    ASN1_IA5STRING_free(uri);
    return OpensslError("openssl", "cRLDistributionPoints URI");
  }
  GENERAL_NAME_set0_value(name, GEN_URI, uri);  // name owns uri
  point->distpoint->type = 0;                   // fullName
  point->distpoint->name.fullname = GENERAL_NAMES_new();
  if (point->distpoint->name.fullname == nullptr ||
      sk_GENERAL_NAME_push(point->distpoint->name.fullname, name) == 0) {
    GENERAL_NAME_free(name);
    return OpensslError("openssl", "cRLDistributionPoints fullName");
  }
  if (X509_add1_ext_i2d(cert, NID_crl_distribution_points, points.get(), /*crit=*/0,
                        X509V3_ADD_DEFAULT) != 1) {
    return OpensslError("openssl", "add extension crlDistributionPoints");
  }
  return Status::Ok();
}

}  // namespace renkei::trust::internal
