// ITI-20 Record Audit Event, syslog transport (RFC 5425 framing over TCP, TLS when the
// caller's socket is a Poco::Net::SecureServerSocket): the Audit Record Repository's
// listener. Each frame's AuditMessage is decoded (audit/syslog_frame.h) and appended to the
// store. A frame that breaks the framing closes its connection (the stream position is
// lost); a well-framed message that is not a valid audit message is logged and counted, and
// the connection goes on. Nothing is answered on the wire (syslog has no acknowledgement).
//
// TLS (RFC 5425): give SyslogReceiverOptions.tls a TlsContext::Server (common/tls.h) and
// Listen (or Start with a Poco::Net::SecureServerSocket of that context); each connection
// then completes the handshake with a required, verified client certificate before any frame
// is read (a refused client is reported through the TLS refusal hook and closed).
//
// Thread-safety: one thread per connection (Poco TCPServer); the counters are atomic.
#ifndef RENKEI_AUDIT_SYSLOG_RECEIVER_H_
#define RENKEI_AUDIT_SYSLOG_RECEIVER_H_

#include <Poco/Net/ServerSocket.h>

#include <cstdint>
#include <memory>

#include "audit/audit_store.h"
#include "audit/syslog_frame.h"
#include "common/status.h"
#include "common/tls.h"

namespace renkei::audit {

struct SyslogReceiverOptions {
  size_t max_message_bytes = kDefaultMaxSyslogMessage;
  int max_connections = 32;
  int idle_timeout_seconds = 300;   // a silent connection is closed after this
  std::shared_ptr<TlsContext> tls;  // null: plain TCP (tests, tls.insecure_loopback)
};

struct SyslogReceiverStats {
  int64_t messages_stored = 0;
  int64_t messages_rejected = 0;   // framed correctly, but no valid audit message
  int64_t connections_broken = 0;  // closed for a framing error
};

class SyslogReceiver {
 public:
  // Binds host:port (port 0: any free port), TLS when options.tls is set, and serves it
  // until Stop. Unavailable naming host:port when it cannot be bound.
  static Result<std::unique_ptr<SyslogReceiver>> Listen(const std::string& host, int port,
                                                        AuditStore& store,
                                                        const SyslogReceiverOptions& options = {});
  // Serves `socket` (bound and listening, built by the caller; a SecureServerSocket of
  // options.tls's context when options.tls is set) until Stop. `store` must outlive the receiver.
  static Result<std::unique_ptr<SyslogReceiver>> Start(Poco::Net::ServerSocket socket,
                                                       AuditStore& store,
                                                       const SyslogReceiverOptions& options = {});
  ~SyslogReceiver();  // stops
  // Stops accepting, closes the open connections and waits for their threads.
  void Stop();
  int port() const;
  SyslogReceiverStats stats() const;

  struct Impl;

 private:
  explicit SyslogReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_SYSLOG_RECEIVER_H_
