// RFC 7518 §3.4 ES256 and RFC 7638 JWK thumbprints (trust/internal/es256.h).
#include "trust/internal/es256.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <cstring>

#include "trust/internal/base64url.h"

namespace renkei::trust::internal {
namespace {

constexpr size_t kCoordinate = 32;  // P-256 field size in bytes

using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;

}  // namespace

bool IsP256(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1) return false;
  return std::strcmp(group, "prime256v1") == 0 || std::strcmp(group, "P-256") == 0;
}

Result<std::string> SignEs256(EVP_PKEY* key, std::string_view input) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t der_len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &der_len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return OpensslError("openssl", "ES256 sign");
  }
  std::string der(der_len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return OpensslError("openssl", "ES256 sign");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) return OpensslError("openssl", "ES256 signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string out(2 * kCoordinate, '\0');
  unsigned char* o = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(r, o, kCoordinate) != kCoordinate ||
      BN_bn2binpad(s, o + kCoordinate, kCoordinate) != kCoordinate) {
    return OpensslError("openssl", "ES256 signature");
  }
  return out;
}

bool VerifyEs256(EVP_PKEY* key, std::string_view input, std::string_view signature) {
  if (signature.size() != 2 * kCoordinate) return false;
  const unsigned char* raw = reinterpret_cast<const unsigned char*>(signature.data());
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw, kCoordinate, nullptr);
  BIGNUM* s = BN_bin2bn(raw + kCoordinate, kCoordinate, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ClearOpensslErrors();
    return false;
  }
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) {
    ClearOpensslErrors();
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(ctx.get(), der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
  OPENSSL_free(der);
  ClearOpensslErrors();
  return ok;
}

Result<EcJwk> JwkOf(EVP_PKEY* key) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  if (!IsP256(key) || EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
      EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1) {
    BN_free(x);
    BN_free(y);
    return OpensslError("openssl", "EC public key coordinates");
  }
  BnPtr xo(x), yo(y);
  unsigned char xb[kCoordinate], yb[kCoordinate];
  if (BN_bn2binpad(x, xb, kCoordinate) != kCoordinate ||
      BN_bn2binpad(y, yb, kCoordinate) != kCoordinate) {
    return OpensslError("openssl", "EC public key coordinates");
  }
  EcJwk jwk;
  jwk.x = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(xb), kCoordinate));
  jwk.y = Base64UrlEncode(std::string_view(reinterpret_cast<char*>(yb), kCoordinate));
  return jwk;
}

std::string JwkThumbprint(const EcJwk& jwk) {
  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  const std::string canonical =
      R"({"crv":"P-256","kty":"EC","x":")" + jwk.x + R"(","y":")" + jwk.y + R"("})";
  return Base64UrlEncode(Sha256(canonical));
}

Result<PkeyPtr> PublicKeyFromJwk(const EcJwk& jwk) {
  std::string x, y;
  if (!Base64UrlDecode(jwk.x, &x) || !Base64UrlDecode(jwk.y, &y) || x.size() != kCoordinate ||
      y.size() != kCoordinate) {
    return Status::InvalidArgument("bad_jwk", "EC JWK x and y must be 32-byte base64url values");
  }
  std::string point = "\x04" + x + y;  // SEC 1 uncompressed point
  char group[] = "P-256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    ClearOpensslErrors();
    return Status::InvalidArgument("bad_jwk", "EC JWK is not a point on P-256");
  }
  PkeyPtr owned(key);
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ClearOpensslErrors();
    return Status::InvalidArgument("bad_jwk", "EC JWK is not a point on P-256");
  }
  return owned;
}

}  // namespace renkei::trust::internal
