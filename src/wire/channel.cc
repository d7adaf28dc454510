#include "wire/channel.h"

#include <poll.h>
#include <unistd.h>

namespace drover::wire {
namespace {

// Slurm's "Unable to contact slurm controller (connect failure)", with what failed.
Error Unavailable(std::string context) {
  return Error(ErrorCode::kUnavailable).WithContext(context);
}

}  // namespace

Result<std::unique_ptr<Channel>> Channel::Dial(std::string_view target, Deadline deadline) {
  ASSIGN_OR_RETURN(Connection connection, Connect(target, deadline));
  return std::unique_ptr<Channel>(
      new Channel(connection.fd, std::string(target), std::move(connection.authority)));
}

Channel::Channel(int fd, std::string target, std::string authority)
    : fd_(fd), target_(std::move(target)), authority_(std::move(authority)) {}

Channel::~Channel() { ::close(fd_); }

Status Channel::Flush(Deadline deadline) {
  size_t at = 0;
  while (at < out_.size()) {
    ASSIGN_OR_RETURN(size_t n, SendSome(fd_, std::string_view(out_).substr(at)));
    at += n;
    if (at < out_.size()) {
      ASSIGN_OR_RETURN(bool ready, Await(fd_, POLLOUT, deadline));
      if (!ready) return Error(ErrorCode::kTimeout);
    }
  }
  out_.clear();
  return Ok();
}

Status Channel::ReadSome(Deadline deadline) {
  for (;;) {
    ASSIGN_OR_RETURN(ReadOutcome outcome, wire::ReadSome(fd_, in_));
    if (outcome == ReadOutcome::kData) return Ok();
    if (outcome == ReadOutcome::kEnd) return Unavailable("the controller closed the connection");
    ASSIGN_OR_RETURN(bool ready, Await(fd_, POLLIN, deadline));
    if (!ready) return Error(ErrorCode::kTimeout);
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
  session_.QueueMessage(request);
  session_.CloseRequest();
  session_.AppendRequestData(out_);
  for (;;) {
    RETURN_IF_ERROR(Flush(deadline));
    if (session_.call_done()) break;
    // Receive also sends the rest of a request larger than the windows as they open.
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
