// Controller: droverctld as a class. Owns the engine and the one thread that runs it, the
// command queue that feeds that thread, and the published snapshot queries read.
//
// Threading: every public method may be called from any thread. Commands (all methods
// but Snapshot) are queued; the engine thread takes everything queued as one batch,
// applies each command in order, runs timers and a scheduling pass, appends the batch's
// log records to the StateStore in one durable append (group commit), publishes a new
// snapshot, sends node requests (launch/signal/terminate), and only then answers the
// callers. So an acknowledged submission is on disk, and a job that fits is already
// RUNNING when Submit returns. Snapshot() never waits for the engine.
//
// If an append fails the controller stops accepting commands (kIo): its memory is ahead
// of its log, and only a restart (recovery from the log) makes them agree again.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "base/clock.h"
#include "base/result.h"
#include "config/slurm_conf.h"
#include "ctld/cluster_snapshot.h"
#include "ctld/engine.h"
#include "ctld/identity.h"
#include "ctld/job_sink.h"
#include "ctld/node_transport.h"
#include "storage/state_store.h"

namespace drover::ctld {

struct ControllerOptions {
  std::shared_ptr<const config::SlurmConfig> config;
  storage::StateStore* store = nullptr;  // not owned; outlives the Controller
  NodeTransport* transport = nullptr;    // not owned
  const Clock* clock = nullptr;          // not owned
  JobSink* job_sink = nullptr;           // not owned; optional (job accounting)
  uint32_t slurm_user_uid = 0;           // SlurmUser, resolved by the caller
  // A snapshot is written after this many log records, or once this many jobs were
  // purged by MinJobAge since the last one (so the store drops them too).
  uint64_t snapshot_every_records = 20000;
  uint64_t snapshot_every_purged = 1000;
  // How often the engine wakes by itself to run timers (real time).
  std::chrono::milliseconds tick_interval{1000};
};

class Controller {
 public:
  // Recovers the state in the store (snapshot + tail) and starts the engine thread.
  static Result<std::unique_ptr<Controller>> Create(ControllerOptions options);
  ~Controller();  // stops the engine thread; queued commands get kCancelled

  // Clients.
  Result<JobId> Submit(JobSpec spec, const Identity& who);
  Status Cancel(JobId id, const Identity& who);
  Status Signal(JobId id, int signal, const Identity& who, bool batch_only = false);
  // user_hold: scontrol uhold (else an operator's hold is an admin hold).
  Status Hold(JobId id, const Identity& who, bool user_hold = false);
  Status Release(JobId id, const Identity& who);
  Status Requeue(JobId id, const Identity& who, bool hold = false);
  Status UpdateJob(JobId id, const JobUpdate& update, const Identity& who);
  Status UpdateNode(const NodeUpdate& update, const Identity& who);
  // Applies `action` to every job of `ids` as one engine command: one log batch, one
  // fsync and one scheduling pass for all of them, so `scancel -u` over 10,000 jobs costs
  // what one cancel does. Results in the order of `ids`.
  using JobAction = std::function<Status(Engine&, JobId, TimePoint)>;
  Result<std::vector<Status>> ActOnJobs(std::vector<JobId> ids, JobAction action);
  Status Reconfigure(std::shared_ptr<const config::SlurmConfig> config, const Identity& who);

  // Node daemons.
  Status RegisterNode(const NodeRegistration& registration);
  Status Heartbeat(const std::string& node);
  // The batch step (or the whole job) ended with a wait(2) status.
  Status JobComplete(const std::string& node, JobId id, int wait_status);
  Status JobComplete(const std::string& node, JobId id, const JobEnd& end);
  // The node confirms the job's processes there are gone (its epilog ran): the last
  // confirmation ends the job's COMPLETING state and frees its resources.
  Status EpilogComplete(const std::string& node, JobId id, bool epilog_failed = false);
  // The node's Prolog failed for the job: drain, and requeue a batch job held.
  Status PrologFailed(const std::string& node, JobId id);
  // The job's launch never reached its batch host (`node`): requeued when it may be,
  // else FAILED, without waiting for that node to confirm anything.
  Status LaunchFailed(const std::string& node, JobId id);
  // A step's supervisor on `node` reports its end (the batch step: the job's end).
  Status StepComplete(const std::string& node, JobId id, uint32_t step, int wait_status);

  // Allocations and steps (salloc, srun). SubmitAllocation queues a job with no script;
  // its client ends it with CompleteAllocation. CreateStep places a step in a running
  // job (kNodesBusy: retry later); CompleteStep is srun's report that it is over.
  Result<JobId> SubmitAllocation(JobSpec spec, const Identity& who);
  Status CompleteAllocation(JobId id, ExitCode code, const Identity& who);
  Result<std::shared_ptr<const Step>> CreateStep(JobId id, StepRequest request,
                                                 const Identity& who);
  Status CompleteStep(JobId id, uint32_t step, ExitCode code, const Identity& who);
  // Waits until a snapshot other than `seen` is published, or `timeout`; the latest.
  std::shared_ptr<const ClusterSnapshot> WaitForSnapshot(
      const std::shared_ptr<const ClusterSnapshot>& seen, std::chrono::milliseconds timeout);

  // Runs timers and a pass now (tests call it after advancing a fake clock).
  Status Tick();
  // The latest published state. Never blocks on the engine.
  std::shared_ptr<const ClusterSnapshot> Snapshot() const;

  // Forces a snapshot into the store (tests, shutdown).
  Status WriteSnapshotForTesting();

 private:
  using Reply = std::function<void(const Status& durable)>;
  struct Command {
    std::function<Reply(Engine&, TimePoint now)> run;
    std::function<void(Error)> abort;  // answers without running (shutdown)
  };

  explicit Controller(ControllerOptions options);
  Status Recover();
  void Run();
  void RunBatch(std::deque<Command>& batch);
  template <typename T>
  Result<T> Call(std::function<Result<T>(Engine&, TimePoint)> fn);

  // Constant after construction.
  const ControllerOptions options_;
  log::Logger log_{"ctld"};

  // Engine thread only (and Create, before the thread starts).
  std::unique_ptr<Engine> engine_;
  uint64_t last_seq_ = 0;
  uint64_t records_since_snapshot_ = 0;
  uint64_t purged_since_snapshot_ = 0;
  bool failed_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Command> queue_;  // guarded by mu_
  bool stop_ = false;          // guarded by mu_

  std::atomic<std::shared_ptr<const ClusterSnapshot>> snapshot_;
  // Notified after every publication (WaitForSnapshot).
  std::mutex publish_mu_;
  std::condition_variable publish_cv_;
  std::thread thread_;
};

}  // namespace drover::ctld
