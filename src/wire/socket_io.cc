#include "wire/socket_io.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace drover::wire {
namespace {

// Slurm's "Unable to contact slurm controller (connect failure)", with what failed.
Error Unavailable(std::string context) {
  return Error(ErrorCode::kUnavailable).WithContext(context);
}

// Connects a non-blocking socket to `addr` within the deadline; -1 when refused or late.
int ConnectTo(const sockaddr* addr, socklen_t len, int family, Deadline deadline, bool* timed_out) {
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

int MillisLeft(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now())
                  .count() +
              1;
  if (left <= 0) return 0;
  return left > INT32_MAX ? INT32_MAX : static_cast<int>(left);
}

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

Result<Connection> Connect(std::string_view target, Deadline deadline) {
  bool timed_out = false;
  if (target.starts_with("unix:")) {
    std::string path(target.substr(5));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) {
      return Error(ErrorCode::kInvalidArgument, "socket path too long", std::string(target));
    }
    std::memcpy(addr.sun_path, path.data(), path.size());
    int fd =
        ConnectTo(reinterpret_cast<sockaddr*>(&addr), sizeof(addr), AF_UNIX, deadline, &timed_out);
    if (fd < 0) return Error(timed_out ? ErrorCode::kTimeout : ErrorCode::kUnavailable);
    return Connection{fd, "localhost"};
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
  return Connection{fd, std::string(target)};
}

Result<size_t> SendSome(int fd, std::string_view data) {
  size_t at = 0;
  while (at < data.size()) {
    ssize_t n = ::send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n > 0) {
      at += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return Unavailable(std::string("send: ") + strerror(errno));
  }
  return at;
}

Result<ReadOutcome> ReadSome(int fd, std::string& in) {
  constexpr size_t kChunk = 65536;
  size_t had = in.size();
  in.resize(had + kChunk);
  for (;;) {
    ssize_t n = ::recv(fd, in.data() + had, kChunk, 0);
    if (n > 0) {
      in.resize(had + static_cast<size_t>(n));
      return ReadOutcome::kData;
    }
    in.resize(had);
    if (n == 0) return ReadOutcome::kEnd;
    if (errno == EINTR) {
      in.resize(had + kChunk);
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadOutcome::kWouldBlock;
    return Unavailable(std::string("recv: ") + strerror(errno));
  }
}

}  // namespace drover::wire
