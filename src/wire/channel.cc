#include "wire/channel.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace drover::wire {
namespace {

// Slurm's "Unable to contact slurm controller (connect failure)", with what failed.
Error Unavailable(std::string context) {
  return Error(ErrorCode::kUnavailable).WithContext(context);
}

int MillisLeft(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now())
                  .count() +
              1;
  if (left <= 0) return 0;
  return left > INT32_MAX ? INT32_MAX : static_cast<int>(left);
}

// Waits for `events` on fd; false when the deadline passed first.
Result<bool> Await(int fd, short events, Deadline deadline) {
  for (;;) {
    int ms = MillisLeft(deadline);
    if (ms == 0) return false;
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, ms);
    if (n > 0) return true;
    if (n == 0) continue;  // recheck the clock
    if (errno != EINTR) return Error(ErrorCode::kIo, std::string("poll: ") + strerror(errno));
  }
}

// Connects a non-blocking socket to `addr` within the deadline; -1 when refused or late.
int ConnectTo(const sockaddr* addr, socklen_t len, int family, Deadline deadline,
              bool* timed_out) {
  int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (family != AF_UNIX) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  if (::connect(fd, addr, len) == 0) return fd;
  if (errno == EINPROGRESS) {
    Result<bool> ready = Await(fd, POLLOUT, deadline);
    int error = 0;
    socklen_t error_len = sizeof(error);
    if (ready && *ready && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) == 0 &&
        error == 0) {
      return fd;
    }
    if (ready && !*ready) *timed_out = true;
  }
  ::close(fd);
  return -1;
}

}  // namespace

Result<std::unique_ptr<Channel>> Channel::Dial(std::string_view target, Deadline deadline) {
  bool timed_out = false;
  if (target.starts_with("unix:")) {
    std::string path(target.substr(5));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) {
      return Error(ErrorCode::kInvalidArgument, "socket path too long", std::string(target));
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    int fd = ConnectTo(reinterpret_cast<sockaddr*>(&addr), sizeof(addr), AF_UNIX, deadline,
                       &timed_out);
    if (fd < 0) return Error(timed_out ? ErrorCode::kTimeout : ErrorCode::kUnavailable);
    return std::unique_ptr<Channel>(new Channel(fd, std::string(target), "localhost"));
  }
  size_t colon = target.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Error(ErrorCode::kInvalidArgument, "expected host:port", std::string(target));
  }
  std::string host(target.substr(0, colon));
  std::string port(target.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Unavailable(host + ": " + gai_strerror(rc));
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ConnectTo(a->ai_addr, a->ai_addrlen, a->ai_family, deadline, &timed_out);
  }
  ::freeaddrinfo(found);
  if (fd < 0) return Error(timed_out ? ErrorCode::kTimeout : ErrorCode::kUnavailable);
  return std::unique_ptr<Channel>(new Channel(fd, std::string(target), std::string(target)));
}

Channel::Channel(int fd, std::string target, std::string authority)
    : fd_(fd), target_(std::move(target)), authority_(std::move(authority)) {}

Channel::~Channel() { ::close(fd_); }

Status Channel::Flush(Deadline deadline) {
  size_t at = 0;
  while (at < out_.size()) {
    ssize_t n = ::send(fd_, out_.data() + at, out_.size() - at, MSG_NOSIGNAL);
    if (n > 0) {
      at += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      ASSIGN_OR_RETURN(bool ready, Await(fd_, POLLOUT, deadline));
      if (!ready) return Error(ErrorCode::kTimeout);
      continue;
    }
    return Unavailable(std::string("send: ") + strerror(errno));
  }
  out_.clear();
  return Ok();
}

Status Channel::ReadSome(Deadline deadline) {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n > 0) {
      in_.append(buffer, static_cast<size_t>(n));
      return Ok();
    }
    if (n == 0) {
      return Unavailable("the controller closed the connection");
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      ASSIGN_OR_RETURN(bool ready, Await(fd_, POLLIN, deadline));
      if (!ready) return Error(ErrorCode::kTimeout);
      continue;
    }
    return Unavailable(std::string("recv: ") + strerror(errno));
  }
}

Result<CallStatus> Channel::Call(std::string_view path, std::span<const Header> metadata,
                                 std::string_view request, Deadline deadline, MessageSink sink) {
  if (broken_ || session_.going_away()) return Error(ErrorCode::kUnavailable);
  // Any failure below leaves the connection in an unknown state.
  broken_ = true;
  if (!preface_sent_) {
    session_.AppendPreface(out_);
    preface_sent_ = true;
  }
  auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
  session_.StartCall(path, authority_, metadata, std::max<int64_t>(1, timeout_ms),
                     std::move(sink), out_);
  std::string framed = ClientSession::FrameMessage(request);
  size_t sent = session_.AppendRequestData(framed, /*last=*/true, out_);
  for (;;) {
    RETURN_IF_ERROR(Flush(deadline));
    if (session_.call_done()) break;
    if (sent < framed.size() && session_.SendWindow() > 0) {
      sent += session_.AppendRequestData(std::string_view(framed).substr(sent), true, out_);
      continue;
    }
    RETURN_IF_ERROR(ReadSome(deadline));
    std::string_view view = in_;
    Status received = session_.Receive(view, out_);
    in_.erase(0, in_.size() - view.size());
    RETURN_IF_ERROR(received);
  }
  broken_ = false;
  return session_.TakeStatus();
}

}  // namespace drover::wire
