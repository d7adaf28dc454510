// NodeDaemon: droverd as a class. It serves NodeControl for the controller (LaunchBatch,
// SignalJob, SuspendJob, TerminateJob, Ping) and StepIo for srun (LaunchTasks, see
// step_io.h), registers its node with the controller's NodeRegistry and heartbeats.
// Batch jobs and srun steps run in drover-stepd processes that it starts detached (see
// stepd_spawn.h) and reaches through their spool directories (spool.h, step_spool.h), so
// destroying a NodeDaemon (droverd's SIGTERM, a crash, a restart) leaves running jobs
// alone, and a new NodeDaemon on the same spool finds them again and reports them.
// Job-wide requests (TerminateJob, SignalJob, SuspendJob, the controller's terminate
// lists) reach every stepd of the job: its batch script's and its steps'.
//
// Threads: gRPC's handler threads run the NodeControl calls; they share only the spool
// (launches serialised by launch_mu_) and the constant options. One registrar thread owns
// the registration state: Register (retried with backoff while the controller is down),
// then a Heartbeat every interval; a heartbeat that asks for it (reregister, or a new
// controller epoch) makes it Register again. One epilog thread confirms terminated jobs:
// after TerminateJob it waits until every drover-stepd of the job is gone (it exits only once
// its processes are, or were given up as unkillable), runs the Epilog (on a thread of its
// own per job, node_scripts.h), then sends EpilogComplete with the Epilog's status,
// retried until the controller has it. It has its own thread so a slow controller or a long kill never delays
// registration and heartbeats. Confirmations pending when the daemon stops are lost; the
// controller asks again when the node registers.
//
// Thread-safety: Create() and the destructor on one thread; the accessors from any.
#pragma once

#include <grpcpp/server.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/munge.h"
#include "base/result.h"
#include "config/slurm_conf.h"
#include "drover/v1/node.grpc.pb.h"
#include "noded/node_scripts.h"

namespace drover::noded {

// Everything a node daemon needs, resolved from slurm.conf by OptionsFromConfig (or set
// directly by tests).
struct NodeDaemonOptions {
  std::string node_name;
  std::string hostname;        // NodeHostname
  std::string address;         // NodeAddr: where the controller reaches NodeControl
  std::string listen_address;  // "0.0.0.0:6818"; port 0 picks a free one (tests)
  std::string controller;      // the NodeRegistry target, "host:port"
  std::string munge_socket;    // AuthInfo socket=; empty: libmunge's default
  std::string spool_dir;       // SlurmdSpoolDir, %n expanded
  std::string stepd_path;      // the drover-stepd binary
  std::string conf_path;       // SLURM_CONF for jobs; may be empty
  std::string log_file;        // handed to drover-stepd; empty: stepd logs nowhere
  std::string log_level = "info";
  uid_t slurm_user_uid = 0;  // SlurmUser: may call NodeControl, as root may

  // Resources as configured (several daemons share a host: never probe the hardware).
  uint32_t cpus = 1, boards = 1, sockets = 1, cores_per_socket = 1, threads_per_core = 1;
  uint64_t real_memory_mb = 1, tmp_disk_mb = 0, mem_spec_limit_mb = 0;
  uint32_t core_spec_count = 0;
  std::vector<std::string> features;

  std::chrono::seconds kill_wait{30};           // KillWait
  std::chrono::seconds unkillable_timeout{60};  // UnkillableStepTimeout
  bool job_file_append = false;                 // JobFileAppend
  // Prolog, Epilog, TaskProlog, TaskEpilog, PrologEpilogTimeout (node_scripts.h); Create()
  // fills in node_name, spool_dir and conf_path from the fields above.
  NodeScriptOptions scripts;
  // SlurmdTimeout/3, capped at kMaxHeartbeat; the controller's answer may shorten it.
  std::chrono::milliseconds heartbeat_interval{5000};
  std::chrono::milliseconds rpc_timeout{5000};           // per controller call
  std::chrono::milliseconds max_backoff{5000};           // registration retries
  std::chrono::milliseconds stepd_ready_timeout{30000};  // LaunchBatch waits this long

  // Called on the registrar thread after each failed Register (tests wait on it).
  std::function<void(const Error&)> registration_failed_for_testing;
};

inline constexpr std::chrono::milliseconds kMaxHeartbeat{5000};

// The options for `node_name` from slurm.conf. Errors: kInvalidNodeName when the node is
// not configured, kConfigValue for an unusable SlurmdSpoolDir or SlurmUser.
Result<NodeDaemonOptions> OptionsFromConfig(const config::SlurmConfig& config,
                                            const std::string& node_name,
                                            const std::string& conf_path);

// The controller target for slurm.conf: SlurmctldHost's address (or name) and
// SlurmctldPort (6817 when unset).
std::string ControllerTarget(const config::SlurmConfig& config);

// AuthInfo's "socket=/path" (Slurm's auth/munge syntax); empty when absent.
std::string MungeSocketFromAuthInfo(std::string_view auth_info);

class NodeDaemon {
 public:
  // Creates the spool dir, starts serving NodeControl and the registrar thread. Errors
  // when the listening port cannot be bound or the spool dir cannot be created.
  static Result<std::unique_ptr<NodeDaemon>> Create(NodeDaemonOptions options);
  // Stops serving and registering. Running jobs (their drover-stepd) are not touched.
  ~NodeDaemon();
  NodeDaemon(const NodeDaemon&) = delete;
  NodeDaemon& operator=(const NodeDaemon&) = delete;

  int port() const { return port_; }
  const NodeDaemonOptions& options() const { return options_; }
  // True once a Register call was acknowledged (and no heartbeat asked for another).
  bool registered() const { return registered_.load(); }
  // The job ids with a drover-stepd alive in the spool (a batch script or a step).
  std::vector<uint32_t> RunningJobs() const;
  // The steps whose drover-stepd is alive: batch steps and srun steps, sorted.
  std::vector<v1::StepId> RunningSteps() const;
  // Confirm `job_id` to the controller (EpilogComplete) once no stepd of it is left and
  // the Epilog ran.
  void QueueEpilogComplete(uint32_t job_id);
  // Runs the Prolog for the job unless it ran here already (node_scripts.h); concurrent
  // callers for one job wait for one run. A failure is reported to the controller
  // (JobComplete with prolog_failed, in the background) and returned.
  Status EnsureProlog(const v1::JobContext& job, const std::string& work_dir,
                      const std::function<bool()>& cancelled);

 private:
  class ControlService;
  class StepIoService;
  explicit NodeDaemon(NodeDaemonOptions options);

  // True once the destructor began: calls cut off by it must not end steps.
  bool Stopping();
  // stepd.conf's content (spool.h): what drover-stepd needs from the options.
  std::string StepdConf() const;
  // Writes `line` to the control FIFO of every stepd of the job (batch script's when
  // `batch`, steps' when `steps`); the number that took it.
  int SendControlToJob(uint32_t job_id, std::string_view line, bool batch, bool steps) const;
  // True while some drover-stepd of the job is alive.
  bool JobAlive(uint32_t job_id) const;

  void RegistrarLoop();
  Status RegisterOnce(v1::NodeRegistry::Stub& stub);
  Status HeartbeatOnce(v1::NodeRegistry::Stub& stub, bool* reregister);
  void TerminateJobs(const std::vector<uint32_t>& job_ids);
  void EpilogLoop();
  // One EpilogComplete call; true when the controller has it (or refused it for good).
  bool SendEpilogComplete(v1::NodeRegistry::Stub& stub, uint32_t job_id, int epilog_status);
  // Waits up to `d` or until stopping; true when stopping.
  bool SleepFor(std::chrono::milliseconds d);

  // Constant after Create().
  const NodeDaemonOptions options_;
  const auth::Munge munge_;
  const int64_t start_time_;
  int port_ = 0;
  std::unique_ptr<ControlService> service_;
  std::unique_ptr<StepIoService> step_io_;
  std::unique_ptr<grpc::Server> server_;

  // Serialises launches with each other (duplicate launches of one job or step).
  mutable std::mutex launch_mu_;
  // (job id, step id) of every step launched by this daemon; guarded by launch_mu_.
  std::set<std::pair<uint32_t, uint32_t>> launched_steps_;

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                        // guarded by stop_mu_
  grpc::ClientContext* current_call_ = nullptr;  // guarded by stop_mu_: cancelled on stop

  std::atomic<bool> registered_{false};
  // Owned by the registrar thread.
  uint64_t epoch_ = 0;
  std::chrono::milliseconds heartbeat_interval_{5000};
  std::thread registrar_;

  // One mutex per job whose prolog some launch is running or waiting for; guarded by
  // prolog_mu_. Entries go with the epilog.
  std::mutex prolog_mu_;
  std::map<uint32_t, std::shared_ptr<std::mutex>> prolog_runs_;
  std::set<uint32_t> prolog_failed_;  // guarded by prolog_mu_: later steps fail alike

  // Jobs to confirm; guarded by epilog_mu_ (with epilog_stop_).
  std::mutex epilog_mu_;
  std::condition_variable epilog_cv_;
  std::set<uint32_t> epilog_jobs_;
  bool epilog_stop_ = false;
  std::thread epilog_thread_;
  // The Epilog runs of jobs whose stepds are gone, one thread each (a slow epilog of one
  // job delays no other job's confirmation); owned by the epilog thread.
  struct EpilogRun {
    std::thread thread;
    std::shared_ptr<std::atomic<int>> status;  // -1 while running, then the status
  };
  std::map<uint32_t, EpilogRun> epilog_runs_;
  // Epilog statuses not yet acknowledged by the controller; owned by the epilog thread.
  std::map<uint32_t, int> epilog_done_;
};

}  // namespace drover::noded
