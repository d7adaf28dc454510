// StepIo: srun's side of drover.v1.StepIo.LaunchTasks, one bidirectional call per node of
// a step. srun sends `launch` first (with the step credential), then stdin and signals;
// the node answers `launched`, output, task exits, messages and `done` last.
//
// Every stream is driven from srun's one poll loop: fd()/events() to poll, OnReady() to
// move bytes, TakeReply() to consume what arrived. StepIoDialer opens them; the real one
// (ConnectStepIo) attaches a MUNGE credential to each call, as every Drover call carries.
//
// Thread-safety: one owner thread for a dialer and its streams.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "drover/v1/node.pb.h"

namespace drover::client {

namespace v1 = ::drover::v1;

class StepIoStream {
 public:
  virtual ~StepIoStream() = default;

  virtual int fd() const = 0;
  virtual short events() const = 0;  // POLLIN, and POLLOUT while a write is pending
  // Moves bytes without blocking; replies queue for TakeReply(). Errors: transport
  // failures (the node went away).
  virtual Status OnReady(short revents) = 0;
  virtual std::optional<v1::StepIoResponse> TakeReply() = 0;
  // Queues a request (input, signal). Errors: the call has ended.
  virtual Status Send(const v1::StepIoRequest& request) = 0;
  // No more requests (stdin is closed and no signal will follow).
  virtual Status CloseSend() = 0;
  // The call has ended and every reply was taken; status() says how.
  virtual bool done() const = 0;
  virtual Status status() = 0;  // REQUIRES: done()
  virtual void Cancel() = 0;
};

class StepIoDialer {
 public:
  virtual ~StepIoDialer() = default;
  // Opens LaunchTasks on the node daemon at `target` ("host:port") and sends `launch`.
  // Errors: kUnavailable when the daemon cannot be reached.
  virtual Result<std::unique_ptr<StepIoStream>> LaunchTasks(std::string_view target,
                                                            const v1::StepIoRequest& launch) = 0;
};

// The dialer for the cluster slurm.conf (SLURM_CONF in `env`) describes: its AuthInfo's
// munged socket for credentials, its MessageTimeout for connecting.
Result<std::unique_ptr<StepIoDialer>> ConnectStepIo(const std::map<std::string, std::string>& env);

}  // namespace drover::client
