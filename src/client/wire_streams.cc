#include "client/wire_streams.h"

#include <poll.h>

#include <deque>
#include <utility>

#include "rpc/auth_metadata.h"
#include "rpc/error_proto.h"

#if __has_include("wire/stream.h")
#include "wire/stream.h"
#define DROVER_HAVE_WIRE_STREAM 1
#else
#define DROVER_HAVE_WIRE_STREAM 0
#endif

namespace drover::client {

#if DROVER_HAVE_WIRE_STREAM
namespace {

// One wire::Stream whose replies are messages of type Reply, queued as they are parsed.
template <typename Reply>
class WireCall {
 public:
  explicit WireCall(std::unique_ptr<wire::Stream> stream) : stream_(std::move(stream)) {}

  int fd() const { return stream_->fd(); }
  short events() const { return stream_->events(); }
  Status OnReady(short revents) {
    if (ended_) return Ok();
    Status status = stream_->OnReady(revents, [this](std::string_view bytes) -> Status {
      Reply reply;
      if (!reply.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Error(ErrorCode::kProtocol, "malformed reply message");
      }
      replies_.push_back(std::move(reply));
      return Ok();
    });
    if (!status) {
      stream_->Cancel();
      ended_ = true;
      final_ = status;
      return status;
    }
    if (stream_->done()) Finish();
    return Ok();
  }
  std::optional<Reply> Take() {
    if (replies_.empty()) return std::nullopt;
    Reply reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }
  Status Send(std::string_view bytes) {
    if (ended_) return Error(ErrorCode::kAlreadyDone, "the call has ended");
    return stream_->Send(bytes);
  }
  Status CloseSend() {
    if (ended_) return Ok();
    return stream_->CloseSend();
  }
  bool done() const { return ended_ && replies_.empty(); }
  Status status() { return final_; }
  void Cancel() {
    if (!ended_) stream_->Cancel();
    ended_ = true;
    if (final_) final_ = Error(ErrorCode::kCancelled);
  }

 private:
  void Finish() {
    ended_ = true;
    wire::CallStatus call = stream_->TakeStatus();
    if (call.code != 0) final_ = rpc::ErrorFromCallStatus(call.code, call.message, call.details);
  }

  std::unique_ptr<wire::Stream> stream_;
  std::deque<Reply> replies_;
  bool ended_ = false;
  Status final_ = Ok();
};

class WireJobEventStream final : public JobEventStream {
 public:
  explicit WireJobEventStream(std::unique_ptr<wire::Stream> stream) : call_(std::move(stream)) {}
  ~WireJobEventStream() override { call_.Cancel(); }

  int fd() const override { return call_.fd(); }
  short events() const override { return call_.events(); }
  Status OnReady(short revents) override { return call_.OnReady(revents); }
  std::optional<v1::JobEvent> TakeEvent() override { return call_.Take(); }
  bool done() const override { return call_.done(); }
  Status status() override { return call_.status(); }
  void Cancel() override { call_.Cancel(); }

 private:
  WireCall<v1::JobEvent> call_;
};

class WireStepIoStream final : public StepIoStream {
 public:
  explicit WireStepIoStream(std::unique_ptr<wire::Stream> stream) : call_(std::move(stream)) {}
  ~WireStepIoStream() override { call_.Cancel(); }

  int fd() const override { return call_.fd(); }
  short events() const override { return call_.events(); }
  Status OnReady(short revents) override { return call_.OnReady(revents); }
  std::optional<v1::StepIoResponse> TakeReply() override { return call_.Take(); }
  Status Send(const v1::StepIoRequest& request) override {
    return call_.Send(request.SerializeAsString());
  }
  Status CloseSend() override { return call_.CloseSend(); }
  bool done() const override { return call_.done(); }
  Status status() override { return call_.status(); }
  void Cancel() override { call_.Cancel(); }

 private:
  WireCall<v1::StepIoResponse> call_;
};

Result<std::unique_ptr<wire::Stream>> Open(std::string_view target, std::string_view path,
                                           std::string credential,
                                           StreamDeadline connect_deadline) {
  const wire::Header metadata[] = {{std::string(rpc::kMungeMetadataKey), std::move(credential)}};
  return wire::Stream::Open(target, path, metadata, connect_deadline);
}

}  // namespace

Result<std::unique_ptr<JobEventStream>> OpenJobEventStream(std::string_view target,
                                                           std::string_view path,
                                                           std::string credential,
                                                           std::string_view request,
                                                           StreamDeadline connect_deadline) {
  ASSIGN_OR_RETURN(std::unique_ptr<wire::Stream> stream,
                   Open(target, path, std::move(credential), connect_deadline));
  RETURN_IF_ERROR(stream->Send(request));
  RETURN_IF_ERROR(stream->CloseSend());
  return std::unique_ptr<JobEventStream>(new WireJobEventStream(std::move(stream)));
}

Result<std::unique_ptr<StepIoStream>> OpenLaunchTasksStream(std::string_view target,
                                                            std::string credential,
                                                            const v1::StepIoRequest& launch,
                                                            StreamDeadline connect_deadline) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<wire::Stream> stream,
      Open(target, "/drover.v1.StepIo/LaunchTasks", std::move(credential), connect_deadline));
  RETURN_IF_ERROR(stream->Send(launch.SerializeAsString()));
  return std::unique_ptr<StepIoStream>(new WireStepIoStream(std::move(stream)));
}

#else  // !DROVER_HAVE_WIRE_STREAM: a build without streaming calls refuses them.

Result<std::unique_ptr<JobEventStream>> OpenJobEventStream(std::string_view, std::string_view path,
                                                           std::string, std::string_view,
                                                           StreamDeadline) {
  return Error(ErrorCode::kNotSupported, std::string(path));
}

Result<std::unique_ptr<StepIoStream>> OpenLaunchTasksStream(std::string_view, std::string,
                                                            const v1::StepIoRequest&,
                                                            StreamDeadline) {
  return Error(ErrorCode::kNotSupported, "/drover.v1.StepIo/LaunchTasks");
}

#endif

}  // namespace drover::client
