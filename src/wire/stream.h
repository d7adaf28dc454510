// Stream: one streaming gRPC call (client, server or bidirectional streaming) on its own
// connection, driven by the owner's poll(2) loop. srun holds one per node, each running
// StepIo.LaunchTasks, and polls them together with stdin and its signalfd.
//
// Nothing here blocks except Open's connect (bounded by its deadline) and Next (bounded
// by its deadline). Send and CloseSend only queue; the bytes go out from OnReady when
// the socket takes them and the peer's HTTP/2 windows allow, so a slow reader holds
// back only its own stream. Each reply message is handed over as soon as it is complete.
//
// How the call ends is always a CallStatus, never an Error: the server's trailers, or
// RST_STREAM / GOAWAY, or UNAVAILABLE when the connection closes or fails, or INTERNAL
// when the server breaks the protocol, or CANCELLED after Cancel. Once the call has
// ended the connection is closed and fd() is -1 (poll(2) ignores negative descriptors).
// done() can become true inside OnReady or Next; check it after each. Destroying a Stream
// closes its connection, which the server sees as the call cancelled.
//
// Thread-safety: none; one owner.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "wire/session.h"
#include "wire/socket_io.h"

namespace drover::wire {

class Stream {
 public:
  // Connects to `target` ("host:port", "[v6addr]:port" or "unix:/path", as Channel::Dial)
  // within `deadline` and starts calling `path` ("/package.Service/Method") with
  // `metadata` (e.g. the MUNGE credential): the preface and HEADERS are queued. The call
  // itself has no deadline. Errors as Channel::Dial.
  static Result<std::unique_ptr<Stream>> Open(std::string_view target, std::string_view path,
                                              std::span<const Header> metadata, Deadline deadline);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // The connection, to poll for POLLIN, and for POLLOUT when wants_write(); -1 once the
  // call has ended.
  int fd() const { return fd_; }
  // Bytes are queued that the windows allow to send.
  bool wants_write() const { return fd_ >= 0 && out_sent_ < out_.size(); }
  // POLLIN, plus POLLOUT when wants_write(): what to poll fd() for.
  short events() const;

  // Queues one request message (serialized protobuf; the gRPC framing is added here).
  // kUnavailable when the call has already ended. REQUIRES: CloseSend() not called.
  Status Send(std::string_view message);
  // Request bytes not yet taken by the socket: a sender of unbounded input (stdin) stops
  // reading while this is large, so a slow server is not buffered for in memory.
  size_t queued_bytes() const { return session_.request_queued() + (out_.size() - out_sent_); }
  // Half-closes: no more requests; END_STREAM follows what is queued. kUnavailable when
  // the call has already ended. REQUIRES: not called before.
  Status CloseSend();

  // After poll(2) reported `revents` on fd(): reads what is there, handing each complete
  // reply message to `sink`, and writes what it can. Never blocks. The only Error is the
  // one `sink` returned; the call goes on (Cancel it to stop).
  Status OnReady(short revents, const MessageSink& sink);

  // For a caller without its own loop: sends what is queued and waits for the next reply
  // message, or nullopt at the end of the call; kTimeout when `deadline` passes first
  // (the call goes on).
  Result<std::optional<std::string>> Next(Deadline deadline);

  // The call has ended (trailers, RST_STREAM, GOAWAY, connection lost, Cancel) and every
  // reply message has been handed over.
  bool done() const { return session_.call_done() && unread_.empty(); }
  // How the call ended. REQUIRES: done().
  CallStatus TakeStatus();

  // Cancels the call: RST_STREAM(CANCEL) as far as the socket takes it without waiting,
  // then closes the connection. The status becomes CANCELLED. No-op once ended.
  void Cancel();

 private:
  Stream(Connection connection, std::string_view path, std::span<const Header> metadata);
  // One round of I/O. Reply messages go to `*sink`, or to unread_ when it is null.
  Status Pump(short revents, const MessageSink* sink);
  // Reads while the socket has data (bounded, so one busy stream cannot starve the
  // owner's other descriptors), feeding the session. False when the call ended or the
  // sink refused a message (then in `status`).
  bool ReadAvailable(Status& status);
  // Hands in_'s complete frames to the session.
  bool Feed(Status& status);
  void WriteAvailable(Status& status);
  // Ends the call with `code` unless it has ended already; closes the connection.
  void Fail(int code, std::string message);
  void CloseIfDone();

  // Where the session delivers reply messages (set during Pump).
  Status Deliver(std::string_view message);

  int fd_;
  ClientSession session_;
  bool send_closed_ = false;
  // Bytes for the socket from out_sent_ on.
  std::string out_;
  size_t out_sent_ = 0;
  // Bytes from the socket not yet a whole frame.
  std::string in_;
  // Reply messages Next received but has not returned yet.
  std::deque<std::string> unread_;
  // The sink of the Pump in progress (null: unread_), and whether it refused a message.
  const MessageSink* sink_ = nullptr;
  bool sink_refused_ = false;
};

}  // namespace drover::wire
