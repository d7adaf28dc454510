// ClientSession: the client side of gRPC over HTTP/2 (RFC 9113), as pure protocol: bytes
// in, bytes out, no sockets and no clock. Channel (channel.h) does the I/O.
//
// One session is one connection on which calls are made one after another (the commands
// make one or a few calls each, never concurrent ones; a streaming call owns its
// connection, see stream.h). It speaks just what a gRPC server
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

// How a call ended, from its trailers (or from RST_STREAM / GOAWAY, or locally).
struct CallStatus {
  // The gRPC codes the client side produces itself.
  static constexpr int kOk = 0;
  static constexpr int kCancelled = 1;
  static constexpr int kUnknown = 2;
  static constexpr int kPermissionDenied = 7;
  static constexpr int kUnimplemented = 12;
  static constexpr int kInternal = 13;
  static constexpr int kUnavailable = 14;
  static constexpr int kUnauthenticated = 16;

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

  // The request side of the call. Messages are queued, gRPC-framed, and leave as DATA
  // frames only as far as the peer's windows allow: AppendRequestData sends what it can,
  // and Receive sends more whenever a WINDOW_UPDATE or SETTINGS opens a window, so a
  // request larger than the window goes out as the server reads it. A streaming call
  // queues messages at any time until CloseRequest.
  // REQUIRES (all three): a call was started and CloseRequest was not called for it.
  void QueueMessage(std::string_view message);
  // No more messages: END_STREAM goes out with the last queued byte.
  void CloseRequest();
  // Appends queued DATA frames the windows allow, and END_STREAM once everything is sent
  // after CloseRequest. Nothing once the call has ended.
  void AppendRequestData(std::string& out);
  // Queued request bytes not yet sent.
  size_t request_queued() const { return request_queue_.size() - request_sent_; }
  // Bytes the windows let us send now.
  int64_t SendWindow() const;

  // Consumes every complete frame at the front of `in` (leaving a partial one), appending
  // what must be answered (acks, window updates) and the request data that opened windows
  // allow to `out`.
  Status Receive(std::string_view& in, std::string& out);

  // Cancels the call in progress: appends RST_STREAM(CANCEL); the call ends CANCELLED.
  void CancelCall(std::string& out);
  // Ends the call in progress without the server's word (the connection was lost or
  // broke the protocol): its status becomes `code` and `message`. No-op after the end.
  void AbortCall(int code, std::string message);

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
  // Request bytes (framed messages) from request_sent_ on are still to go out.
  std::string request_queue_;
  size_t request_sent_ = 0;
  bool request_closed_ = false;
  bool end_stream_sent_ = false;
  CallStatus status_;
  uint32_t goaway_last_stream_ = UINT32_MAX;
};

}  // namespace drover::wire
