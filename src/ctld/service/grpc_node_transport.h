// GrpcNodeTransport: the controller's NodeTransport over gRPC: LaunchBatchJob, SignalJob
// and TerminateJob become NodeControl calls to the node's droverd at NodeAddr:Port (as the
// controller's snapshot has them, i.e. slurm.conf's), each with a fresh MUNGE credential.
//
// The engine calls in and must not block, so calls are queued and sent, one at a time,
// by this transport's own worker thread (a node that hangs delays only other node calls,
// never the engine; each call has a deadline). Outcomes the controller must hear of come
// back as Controller commands posted from the worker: a launch the node could not be
// reached for becomes LaunchFailed (requeued, or FAILED), one it refused JobComplete with
// exit status 1, so the job never hangs RUNNING. A failed signal or terminate is logged;
// a terminate that never arrives is sent again when the node registers (the job stays
// COMPLETING until then, or until the node goes DOWN).
//
// Thread-safety: the NodeTransport methods may be called from any thread.
#pragma once

#include <grpcpp/channel.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "auth/munge.h"
#include "base/log.h"
#include "ctld/controller.h"
#include "ctld/node_transport.h"

namespace drover::ctld::service {

class GrpcNodeTransport final : public NodeTransport {
 public:
  explicit GrpcNodeTransport(auth::Munge munge,
                             std::chrono::milliseconds deadline = std::chrono::seconds(10));
  ~GrpcNodeTransport() override;  // Stop()

  // The controller to read node addresses from and report failures to. The Controller
  // is created with its transport, so it is attached afterwards; calls queued before
  // wait for it. REQUIRES: called once.
  void Attach(Controller* controller);
  // Stops the worker after the call in flight; queued and later calls are dropped (logged).
  void Stop();

  void LaunchBatchJob(const std::string& node, std::shared_ptr<const Job> job) override;
  void SignalJob(const std::string& node, JobId job, int signal) override;
  void TerminateJob(const std::string& node, JobId job, JobState end_state) override;

 private:
  using Task = std::function<void()>;
  void Post(Task task);
  void Run();
  // The channel to `node`'s droverd, or null (logged) when the node is unknown.
  std::shared_ptr<grpc::Channel> ChannelTo(const std::string& node);
  void SendLaunch(const std::string& node, const std::shared_ptr<const Job>& job);

  const auth::Munge munge_;
  const std::chrono::milliseconds deadline_;
  log::Logger log_{"ctld.nodes"};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;            // guarded by mu_
  bool stop_ = false;                 // guarded by mu_
  Controller* controller_ = nullptr;  // guarded by mu_; set once by Attach

  // Worker thread only.
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;  // by "addr:port"

  std::thread thread_;
};

}  // namespace drover::ctld::service
