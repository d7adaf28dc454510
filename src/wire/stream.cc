#include "wire/stream.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace drover::wire {
namespace {

// Reads per OnReady: 16 reads of up to 64 KB.
constexpr int kMaxReads = 16;

std::string ConnectionLost(const Error& error) {
  return "connection lost (" + (error.context().empty() ? error.message() : error.context()) + ")";
}

}  // namespace

Result<std::unique_ptr<Stream>> Stream::Open(std::string_view target, std::string_view path,
                                             std::span<const Header> metadata, Deadline deadline) {
  ASSIGN_OR_RETURN(Connection connection, Connect(target, deadline));
  return std::unique_ptr<Stream>(new Stream(std::move(connection), path, metadata));
}

Stream::Stream(Connection connection, std::string_view path, std::span<const Header> metadata)
    : fd_(connection.fd) {
  session_.AppendPreface(out_);
  session_.StartCall(
      path, connection.authority, metadata, /*timeout_ms=*/0,
      [this](std::string_view message) { return Deliver(message); }, out_);
}

Stream::~Stream() {
  if (fd_ >= 0) ::close(fd_);
}

short Stream::events() const { return static_cast<short>(POLLIN | (wants_write() ? POLLOUT : 0)); }

Status Stream::Send(std::string_view message) {
  DROVER_CHECK(!send_closed_);
  if (session_.call_done()) return Error(ErrorCode::kUnavailable, "the call has ended");
  session_.QueueMessage(message);
  session_.AppendRequestData(out_);
  return Ok();
}

Status Stream::CloseSend() {
  DROVER_CHECK(!send_closed_);
  send_closed_ = true;
  if (session_.call_done()) return Error(ErrorCode::kUnavailable, "the call has ended");
  session_.CloseRequest();
  session_.AppendRequestData(out_);
  return Ok();
}

Status Stream::OnReady(short revents, const MessageSink& sink) {
  while (!unread_.empty()) {
    RETURN_IF_ERROR(sink(unread_.front()));
    unread_.pop_front();
  }
  return Pump(revents, &sink);
}

Result<std::optional<std::string>> Stream::Next(Deadline deadline) {
  for (;;) {
    if (!unread_.empty()) {
      std::string message = std::move(unread_.front());
      unread_.pop_front();
      return message;
    }
    if (session_.call_done()) return std::nullopt;
    // Once the deadline has passed, one last look without waiting.
    int ms = MillisLeft(deadline);
    pollfd p{fd_, events(), 0};
    int n = ::poll(&p, 1, ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo, std::string("poll: ") + strerror(errno));
    }
    if (n > 0) {
      RETURN_IF_ERROR(Pump(p.revents, nullptr));
    } else if (ms == 0) {
      return Error(ErrorCode::kTimeout);
    }
  }
}

CallStatus Stream::TakeStatus() {
  DROVER_CHECK(done());
  return session_.TakeStatus();
}

void Stream::Cancel() {
  unread_.clear();
  if (fd_ < 0) return;
  session_.CancelCall(out_);
  // Best effort: closing the connection cancels the call even if this does not go out.
  (void)SendSome(fd_, std::string_view(out_).substr(out_sent_));
  CloseIfDone();
}

Status Stream::Deliver(std::string_view message) {
  if (sink_ == nullptr) {
    unread_.emplace_back(message);
    return Ok();
  }
  Status taken = (*sink_)(message);
  if (!taken) sink_refused_ = true;
  return taken;
}

Status Stream::Pump(short revents, const MessageSink* sink) {
  sink_ = sink;
  sink_refused_ = false;
  Status status = Ok();
  bool going = fd_ >= 0;
  // Frames left behind when a sink refused a message come first.
  if (going && !in_.empty()) going = Feed(status);
  if (going && (revents & (POLLIN | POLLHUP | POLLERR))) going = ReadAvailable(status);
  if (going) WriteAvailable(status);
  sink_ = nullptr;
  CloseIfDone();
  return status;
}

bool Stream::ReadAvailable(Status& status) {
  for (int reads = 0; reads < kMaxReads; ++reads) {
    Result<ReadOutcome> outcome = ReadSome(fd_, in_);
    if (!outcome) {
      Fail(CallStatus::kUnavailable, ConnectionLost(outcome.error()));
      return false;
    }
    if (*outcome == ReadOutcome::kWouldBlock) return true;
    if (*outcome == ReadOutcome::kEnd) {
      Fail(CallStatus::kUnavailable, "connection lost (the server closed it)");
      return false;
    }
    if (!Feed(status)) return false;
  }
  return true;
}

bool Stream::Feed(Status& status) {
  std::string_view view = in_;
  Status received = session_.Receive(view, out_);
  in_.erase(0, in_.size() - view.size());
  if (!received) {
    if (sink_refused_) {
      status = std::move(received);
    } else {
      Fail(CallStatus::kInternal, received.error().ToString());
    }
    return false;
  }
  return !session_.call_done();
}

void Stream::WriteAvailable(Status& status) {
  if (out_sent_ == out_.size()) return;
  Result<size_t> sent = SendSome(fd_, std::string_view(out_).substr(out_sent_));
  if (!sent) {
    // A server that ended the call and closed may have said why: read that first.
    ReadAvailable(status);
    Fail(CallStatus::kUnavailable, ConnectionLost(sent.error()));
    return;
  }
  out_sent_ += *sent;
  if (out_sent_ == out_.size()) {
    out_.clear();
    out_sent_ = 0;
  } else if (out_sent_ >= out_.size() / 2) {
    out_.erase(0, out_sent_);  // once half is sent, so writing stays linear
    out_sent_ = 0;
  }
}

void Stream::Fail(int code, std::string message) {
  session_.AbortCall(code, std::move(message));
  CloseIfDone();
}

void Stream::CloseIfDone() {
  if (fd_ < 0 || !session_.call_done()) return;
  ::close(fd_);
  fd_ = -1;
  out_.clear();
  out_sent_ = 0;
  in_.clear();
}

}  // namespace drover::wire
