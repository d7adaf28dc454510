// ClientSession: the client side of gRPC over HTTP/2 (RFC 9113), as pure protocol: bytes
// in, bytes out, no sockets and no clock. Channel (channel.h) does the I/O.
//
// One session is one connection on which calls are made one after another (the commands
// make one or a few calls each, never concurrent ones). It speaks just what a gRPC server
// needs: the preface and SETTINGS, HEADERS/CONTINUATION with HPACK, DATA split to the
// peer's frame size and flow-control windows, PING and SETTINGS acknowledgements,
// WINDOW_UPDATE as replies are consumed, RST_STREAM and GOAWAY. Reply messages are
// gRPC's length-prefixed frames, handed over one by one; the call ends with the trailers'
// grpc-status, grpc-message (percent-decoded) and grpc-status-details-bin (base64).
//
// Anything the peer sends that breaks the protocol is a kProtocol Error; the session is
// then unusable. Input is never trusted: lengths are checked before use.
//
// Thread-safety: none; one owner.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "wire/hpack.h"

namespace drover::wire {

// How a call ended, from its trailers (or from RST_STREAM / GOAWAY).
struct CallStatus {
  int code = 0;           // grpc-status: 0 OK, 14 UNAVAILABLE, ...
  std::string message;    // grpc-message, percent-decoded
  std::string details;    // grpc-status-details-bin, base64-decoded
};

// Receives each reply message (serialized protobuf bytes). An Error stops the call.
using MessageSink = std::function<Status(std::string_view message)>;

class ClientSession {
 public:
  // Largest reply message accepted (gRPC's default limit is 4 MB; listings are larger).
  static constexpr size_t kMaxMessage = 1u << 30;

  ClientSession();

  // The connection preface with our SETTINGS and a connection window raised so replies
  // are never held back; sent once, first.
  void AppendPreface(std::string& out);

  // Starts a call on a new stream: appends its HEADERS. `timeout_ms` > 0 becomes
  // grpc-timeout. REQUIRES: no call in progress.
  void StartCall(std::string_view path, std::string_view authority,
                 std::span<const Header> metadata, int64_t timeout_ms, MessageSink sink,
                 std::string& out);
  // Appends as much of `request` (already gRPC-framed) as the peer's windows allow as
  // DATA frames, ending the stream with the last byte; returns the bytes sent.
  size_t AppendRequestData(std::string_view request, bool last, std::string& out);
  // Bytes the windows let us send now.
  int64_t SendWindow() const;

  // Consumes every complete frame at the front of `in` (leaving a partial one), appending
  // what must be answered (acks, window updates) to `out`.
  Status Receive(std::string_view& in, std::string& out);

  bool call_done() const { return done_; }
  // The server said GOAWAY: no new call may start on this connection.
  bool going_away() const { return goaway_last_stream_ != UINT32_MAX; }
  // The ended call's status. REQUIRES: call_done().
  CallStatus TakeStatus();

  // A gRPC message frame around `message`.
  static std::string FrameMessage(std::string_view message);

 private:
  struct FrameHeader {
    uint32_t length;
    uint8_t type;
    uint8_t flags;
    uint32_t stream;
  };
  Status OnFrame(const FrameHeader& h, std::string_view payload, std::string& out);
  Status OnSettings(const FrameHeader& h, std::string_view payload, std::string& out);
  Status OnHeaderBlock(bool end_stream);
  Status OnData(std::string_view data, bool end_stream);
  Status DeliverMessages();
  void EndCall(int code, std::string message);

  HpackDecoder hpack_;
  // Peer's settings and our send windows.
  uint32_t peer_max_frame_ = 16384;
  int64_t peer_initial_window_ = 65535;
  int64_t conn_send_window_ = 65535;
  int64_t stream_send_window_ = 0;
  // What we let the peer send: replenished as replies are consumed.
  int64_t conn_recv_unacked_ = 0;
  int64_t stream_recv_unacked_ = 0;

  // The current call.
  uint32_t stream_ = 0;  // 0: none yet
  uint32_t next_stream_ = 1;
  bool done_ = true;
  bool headers_seen_ = false;
  uint32_t continuation_stream_ = 0;  // nonzero while a header block spans frames
  bool continuation_end_stream_ = false;
  std::string header_block_;
  std::string message_buffer_;
  MessageSink sink_;
  CallStatus status_;
  uint32_t goaway_last_stream_ = UINT32_MAX;
};

}  // namespace drover::wire
