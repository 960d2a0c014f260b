// HTTP side of PIXm: GET and POST [base]/fhir/Patient/$ihe-pix (ITI-83, pixm.h). Answers
// application/fhir+json; a POST body that is not JSON is 415, one over 1 MiB is 413, both
// with an OperationOutcome.
//
// Thread-safety: the handler may run concurrently (the store is thread-safe).
#ifndef RENKEI_PIX_PIXM_ENDPOINT_H_
#define RENKEI_PIX_PIXM_ENDPOINT_H_

#include "common/http_server.h"
#include "pix/identity_store.h"

namespace renkei::pix {

// Paths the handler is registered at ('$' also percent-encoded, as some clients send it).
inline constexpr char kPixmPath[] = "/fhir/Patient/$ihe-pix";
inline constexpr char kPixmPathEncoded[] = "/fhir/Patient/%24ihe-pix";

HttpHandler MakePixmHandler(IdentityStore& store);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PIXM_ENDPOINT_H_
