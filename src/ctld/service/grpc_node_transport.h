// GrpcNodeTransport: the controller's NodeTransport over gRPC: LaunchBatchJob, SignalJob
// and TerminateJob become NodeControl calls to the node's droverd at NodeAddr:Port (as the
// controller's snapshot has them, i.e. slurm.conf's), each with a fresh MUNGE credential.
//
// The engine calls in and must not block, so calls are queued and sent by this
// transport's own worker threads: the calls for one job on one node go, in order, through
// one of kShards workers chosen by node and job, so launches and terminates of different
// jobs proceed side by side (a launch waits for its supervisor to start: one worker for
// the whole cluster capped it at some 30 jobs/s) and a node that hangs delays only the
// calls sharing its workers, never the engine; each call has a deadline. Outcomes the controller must hear of come
// back as Controller commands posted from the worker: a launch the node could not be
// reached for becomes LaunchFailed (requeued, or FAILED), one it refused JobComplete with
// exit status 1, so the job never hangs RUNNING. A failed signal or terminate is logged;
// a terminate that never arrives is sent again when the node registers (the job stays
// COMPLETING until then, or until the node goes DOWN).
//
// Thread-safety: the NodeTransport methods may be called from any thread.
#pragma once

#include <grpcpp/channel.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/munge.h"
#include "base/log.h"
#include "ctld/controller.h"
#include "ctld/node_transport.h"
#include "drover/v1/node.pb.h"

namespace drover::ctld::service {

// What the batch host `node_name` is sent to run `job`: its context (the SLURM_*
// variables come from it), the script and its files.
v1::LaunchBatchRequest BatchLaunchRequest(const Job& job, const std::string& node_name,
                                          const ClusterSnapshot& snap);

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
  void SignalJob(const std::string& node, JobId job, int signal, bool batch_only) override;
  void TerminateJob(const std::string& node, JobId job, JobState end_state) override;
  void SignalStep(const std::string& node, JobId job, uint32_t step, int signal) override;

 private:
  static constexpr size_t kShards = 16;
  struct Shard;
  using Task = std::function<void(Shard&)>;
  struct Shard {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Task> queue;  // guarded by mu
    // This shard's worker only.
    std::map<std::string, std::shared_ptr<grpc::Channel>> channels;  // by "addr:port"
    std::thread thread;
  };
  void Post(const std::string& node, JobId job, Task task);
  void Run(Shard& shard);
  // The channel to `node`'s droverd, or null (logged) when the node is unknown.
  std::shared_ptr<grpc::Channel> ChannelTo(Shard& shard, const std::string& node);
  void SendLaunch(Shard& shard, const std::string& node, const std::shared_ptr<const Job>& job);

  const auth::Munge munge_;
  const std::chrono::milliseconds deadline_;
  log::Logger log_{"ctld.nodes"};

  std::atomic<bool> stop_{false};
  std::atomic<Controller*> controller_{nullptr};  // set once by Attach
  std::vector<std::unique_ptr<Shard>> shards_;    // constant after construction
};

}  // namespace drover::ctld::service
