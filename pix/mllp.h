// MLLP, the Minimal Lower Layer Protocol that carries HL7 v2 over TCP (HL7 v2.5.1
// Appendix C; IHE ITI TF-2 Appendix C.2.1): each message is framed as
//   0x0B  message bytes  0x1C 0x0D
// and answered on the same connection, which may carry any number of messages.
//
// MllpFramer turns received bytes into messages whatever the TCP segmentation (a frame
// split over many reads, several frames in one read). Bytes outside a frame are ignored:
// senders put CR LF after the trailer (NIST stores frames ending 0x1C 0x0D 0x0A 0x0D 0x0A),
// and the trailer's 0x0D may be missing. A frame longer than the limit is an error: the
// connection is closed, since no reply can be addressed to a message not read.
//
// MllpServer listens (Poco TCPServer), reads frames per connection, hands each message to
// the handler and writes back the handler's reply in a frame. A connection that sends
// nothing for `idle_timeout_ms` (including half a frame, then silence) is closed.
//
// Thread-safety: MllpFramer is used by one thread; MllpServer calls the handler from its
// connection threads concurrently.
#ifndef RENKEI_PIX_MLLP_H_
#define RENKEI_PIX_MLLP_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/peer.h"
#include "common/status.h"
#include "common/tls.h"

namespace renkei::mllp {

inline constexpr char kStartBlock = 0x0B;
inline constexpr char kEndBlock = 0x1C;
inline constexpr char kCarriageReturn = 0x0D;

// The frame that carries `message`.
std::string Frame(std::string_view message);

class MllpFramer {
 public:
  explicit MllpFramer(size_t max_message_bytes) : max_(max_message_bytes) {}

  // Appends the messages completed by `bytes` to `*messages`. ResourceExhausted (detail
  // "mllp.frame") when a message grows past the limit; the framer is unusable afterwards.
  Status Feed(std::string_view bytes, std::vector<std::string>* messages);
  // True while part of a frame has been received.
  bool in_frame() const { return in_frame_; }

 private:
  size_t max_;
  bool in_frame_ = false;
  bool failed_ = false;
  std::string current_;
};

struct MllpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  size_t max_message_bytes = 1 << 20;
  int idle_timeout_ms = 30000;
  int max_connections = 64;
  // Mutual TLS (ITI-19; TlsContext::Server): each connection's handshake with a verified
  // client certificate comes before any frame is read. Null: plain TCP (insecure loopback).
  std::shared_ptr<TlsContext> tls;
};

// Returns the reply to one message (sent framed), or "" to send nothing. `peer`: who sent
// it — with TLS the facility of the verified client certificate (common/peer.h); in plain
// mode only the address (source kDefault, no facility).
using MllpHandler = std::function<std::string(const std::string& message, const Peer& peer)>;

// A client exchange: connects to host:port, sends `message` framed, returns the first
// reply message. Unavailable when the peer cannot be reached, closes or is silent for
// `timeout_ms`. With `tls`, over mutual TLS with the process's client context
// (common/tls.h ClientTls; InvalidArgument when there is none).
Result<std::string> MllpExchange(const std::string& host, int port, const std::string& message,
                                 int timeout_ms = 10000, bool tls = false);

class MllpServer {
 public:
  // Listens and serves until Stop or destruction. Unavailable when it cannot listen.
  static Result<std::unique_ptr<MllpServer>> Start(const MllpServerOptions& options,
                                                   MllpHandler handler);
  ~MllpServer();
  MllpServer(const MllpServer&) = delete;
  MllpServer& operator=(const MllpServer&) = delete;

  int port() const;
  // Stops accepting, closes open connections and waits for their threads.
  void Stop();

  struct Impl;

 private:
  explicit MllpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::mllp

#endif  // RENKEI_PIX_MLLP_H_
