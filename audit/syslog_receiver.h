// ITI-20 Record Audit Event, syslog transport (RFC 5425 framing over TCP, TLS when the
// caller's socket is a Poco::Net::SecureServerSocket): the Audit Record Repository's
// listener. Each frame's AuditMessage is decoded (audit/syslog_frame.h) and appended to the
// store. A frame that breaks the framing closes its connection (the stream position is
// lost); a well-framed message that is not a valid audit message is logged and counted, and
// the connection goes on. Nothing is answered on the wire (syslog has no acknowledgement).
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

namespace renkei::audit {

struct SyslogReceiverOptions {
  size_t max_message_bytes = kDefaultMaxSyslogMessage;
  int max_connections = 32;
  int idle_timeout_seconds = 300;  // a silent connection is closed after this
};

struct SyslogReceiverStats {
  int64_t messages_stored = 0;
  int64_t messages_rejected = 0;   // framed correctly, but no valid audit message
  int64_t connections_broken = 0;  // closed for a framing error
};

class SyslogReceiver {
 public:
  // Serves `socket` (bound and listening; built by the caller: plain, or TLS with required
  // client certificates) until Stop. `store` must outlive the receiver.
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
