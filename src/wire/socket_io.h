// The socket side shared by Channel (blocking calls) and Stream (calls driven by the
// caller's poll loop): connecting to a target within a deadline, and non-blocking send
// and receive that report "would block" instead of waiting. Sockets are always
// non-blocking; Channel waits with Await, Stream leaves waiting to its owner's poll(2).
//
// Thread-safety: free functions on a caller-owned descriptor.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drover::wire {

using Deadline = std::chrono::steady_clock::time_point;

// Milliseconds until `deadline` for poll(2), rounded up; 0 once it has passed.
int MillisLeft(Deadline deadline);

// Waits for `events` on fd; false when the deadline passed first.
Result<bool> Await(int fd, short events, Deadline deadline);

struct Connection {
  int fd = -1;            // non-blocking, close-on-exec, TCP_NODELAY for TCP
  std::string authority;  // for :authority: the target, or "localhost" for a Unix socket
};

// Connects to `target` ("host:port", "[v6addr]:port" or "unix:/path") within the deadline.
// kUnavailable when nothing accepts, kTimeout when the deadline passes first,
// kInvalidArgument for a malformed target.
Result<Connection> Connect(std::string_view target, Deadline deadline);

// Sends what the socket takes of `data` now; 0 when it takes nothing. kUnavailable when
// the connection failed.
Result<size_t> SendSome(int fd, std::string_view data);

enum class ReadOutcome { kData, kWouldBlock, kEnd };
// Appends what the socket holds now (up to 64 KB) to `in`. kEnd: the peer closed the
// connection. kUnavailable when the connection failed (reset, ...).
Result<ReadOutcome> ReadSome(int fd, std::string& in);

}  // namespace drover::wire
