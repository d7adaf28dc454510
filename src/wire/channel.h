// Channel: one blocking HTTP/2 connection to a gRPC server, for a command that makes a
// call or a few and exits. Unlike a gRPC channel it starts no threads and resolves no
// names asynchronously: Dial connects (TCP or a Unix socket), Call writes the request and
// reads until the call's trailers, each within the caller's deadline.
//
// The first call's bytes go out with the connection preface in a single write, so a
// unary call costs one connect and one round trip.
//
// Errors: kUnavailable when nothing accepts the connection or the server goes away,
// kTimeout when the deadline passes, kProtocol when the server breaks the protocol. A
// call's own failure (a non-zero grpc-status) is not an Error here but the CallStatus.
//
// Thread-safety: none; one owner.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "wire/session.h"
#include "wire/socket_io.h"

namespace drover::wire {

class Channel {
 public:
  // `target`: "host:port", "[v6addr]:port" or "unix:/path".
  static Result<std::unique_ptr<Channel>> Dial(std::string_view target, Deadline deadline);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Calls `path` ("/package.Service/Method") with one request message (serialized) and
  // hands each reply message to `sink`.
  Result<CallStatus> Call(std::string_view path, std::span<const Header> metadata,
                          std::string_view request, Deadline deadline, MessageSink sink);

  const std::string& target() const { return target_; }

 private:
  Channel(int fd, std::string target, std::string authority);
  Status Flush(Deadline deadline);
  Status ReadSome(Deadline deadline);

  int fd_;
  const std::string target_;
  const std::string authority_;
  bool preface_sent_ = false;
  bool broken_ = false;
  ClientSession session_;
  std::string out_;
  std::string in_;
};

}  // namespace drover::wire
