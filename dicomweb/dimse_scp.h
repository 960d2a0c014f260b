// DICOM upper-layer intake at the node (PS3.7, PS3.8): a C-STORE SCP with C-ECHO (DCMTK
// DcmSCP) on `dimse.listen`, so that a PACS or `storescu` pushes instances into the same
// DicomStore as STOW-RS. Each received data set goes straight to a temp file of the store
// (never whole in memory), is decoded and indexed, and only then answered Success; a
// refused one is answered with the DIMSE failure status of its reason (PS3.4 Annex B:
// 0xA900 data set does not match, 0xC000 cannot understand, 0xA700 out of resources).
//
// The listening socket is bound to the configured host (loopback in tests and the demo) by
// this class and each connection handed to DCMTK; up to 8 associations are served at once
// (a worker thread each), and a connection that sends nothing for 30 s is closed without
// holding up the others.
// Every storage SOP class DCMTK knows is accepted, in the common uncompressed and
// compressed transfer syntaxes, and Verification.
//
// Thread-safety: Start/Stop from one thread.
#ifndef RENKEI_DICOMWEB_DIMSE_SCP_H_
#define RENKEI_DICOMWEB_DIMSE_SCP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/peer.h"
#include "common/status.h"
#include "common/tls.h"
#include "dicomweb/dicom_store.h"

namespace renkei::dicomweb {

struct DimseOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  std::string ae_title = "RENKEI";
  // A C-STORE data set passing this many bytes while it is received aborts its association
  // (0: none; the store's own limit is still checked once it is on disk).
  uint64_t max_instance_bytes = 0;
  // DICOM over TLS (PS3.15 B.1; the BCP 195 non-downgrading profile, TLS 1.2+), mutual: the
  // node presents tls.cert / tls.key, and a peer must present a certificate of the regional
  // CA (tls.ca), not revoked by tls.crl, that `admit` accepts (the node: its own facility,
  // not revoked by the CRL as reloaded since). Empty tls.cert: plain TCP.
  TlsFiles tls;
  std::function<Status(const Peer& peer)> admit;
};

class DimseScp {
 public:
  // Binds and starts serving. Unavailable (naming host:port) when it cannot bind.
  static Result<std::unique_ptr<DimseScp>> Start(DicomStore& store, const DimseOptions& options);
  ~DimseScp();  // stops
  int port() const;
  void Stop();

  struct Impl;

 private:
  explicit DimseScp(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DIMSE_SCP_H_
