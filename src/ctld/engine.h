// Engine: the controller's state and every rule that changes it. Owned by Controller and
// used only on its engine thread (or, before that thread starts, by recovery).
//
// Each command validates against the state, then changes it through Commit(), which both
// applies a record (records.h) and queues it for the next log batch; side effects on
// nodes (launch, signal, terminate) queue as Effects that the Controller runs only once
// the batch is durable. Replay applies the same records through Apply(). Changes that
// need not survive a restart (pending reasons, heartbeats, counters on node records) are
// Amend()ed: applied and published, not logged; they are recomputed after recovery.
//
// Life cycle of an ending job (job_completion.cc): a job that held nodes and ends (its
// script exits, it is cancelled, times out, fails, or is requeued) becomes COMPLETING:
// it keeps its allocation, every allocated node is asked to terminate it, and it waits
// for each node to confirm (EpilogComplete) that the job's processes are gone. Only then
// are its resources released and does it show its end state (or go back to PENDING for a
// requeue). A node that goes DOWN counts as confirmed, so a dead node never holds a job.
// Finished jobs are forgotten MinJobAge seconds after they ended (a logged purge).
//
// Thread-safety: none; one thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/log.h"
#include "config/slurm_conf.h"
#include "core/job.h"
#include "core/node.h"
#include "core/partition.h"
#include "ctld/cluster_snapshot.h"
#include "ctld/identity.h"
#include "ctld/records.h"
#include "sched/ledger.h"
#include "sched/pass.h"
#include "sched/policies.h"
#include "sched/scheduler_params.h"
#include "ctld/steps.h"

namespace drover::ctld {

// scontrol update JobId=: each field only when given.
struct JobUpdate {
  std::optional<Duration> time_limit;
  std::optional<std::string> partition;
  std::optional<uint32_t> min_nodes, max_nodes;  // NumNodes=min[-max]
  std::optional<int32_t> nice;
  std::optional<std::string> name;
};

// scontrol update NodeName=.
struct NodeUpdate {
  std::string nodes;  // hostlist
  std::optional<NodeStateUpdate> state;
  std::string reason;
};

// What a node daemon says when it (re)registers.
struct NodeRegistration {
  std::string name;
  std::vector<JobId> running_jobs;
  TimePoint boot_time{};
};

// How a node reports the end of a batch script (NodeRegistry.JobComplete).
struct JobEnd {
  int wait_status = 0;
  // How the step supervisor saw it end; honoured for TIMEOUT and OUT_OF_MEMORY (the
  // node enforces the time limit and sees cgroup OOM kills), else the exit code decides.
  std::optional<JobState> state;
  // Processes outlived SIGKILL by UnkillableStepTimeout: the node is drained.
  bool unkillable = false;
};

struct Effect {
  enum class Kind : uint8_t { kLaunch, kSignal, kTerminate, kSignalStep } kind;
  std::string node;
  JobId job = 0;
  int signal = 0;
  std::shared_ptr<const Job> record;          // for kLaunch
  JobState end_state = JobState::kCancelled;  // for kTerminate: why the job ends
  bool batch_only = false;                    // for kSignal: the batch shell alone
  uint32_t step = 0;                          // for kSignalStep
};

struct EngineOptions {
  uint32_t slurm_user_uid = 0;
  // Seconds a requeued job waits before it is eligible again (Slurm: credential expiry
  // 120 s + 1), so a relaunch never reuses a live credential.
  int64_t requeue_delay_s = 121;
};

class Engine {
 public:
  Engine(std::shared_ptr<const config::SlurmConfig> config, EngineOptions options);
  ~Engine();

  // Configuration (engine_config.cc). Reconfigure keeps every job and node state.
  Status Configure(std::shared_ptr<const config::SlurmConfig> config);

  // Jobs (job_submit.cc, job_control.cc).
  // `interactive`: an allocation for salloc/srun (AllocateJob): no batch script; nothing
  // is launched when it starts, and it ends when its client says (CompleteAllocation).
  Result<JobId> Submit(JobSpec spec, const Identity& who, TimePoint now, bool interactive = false);
  // salloc's command (or srun's tasks) ended: COMPLETED on 0, else FAILED; a pending
  // allocation is cancelled.
  Status CompleteAllocation(JobId id, ExitCode code, const Identity& who, TimePoint now);
  static bool IsInteractive(const Job& job) { return job.spec->script.empty(); }

  // Steps (steps.cc): srun inside an allocation. CompleteStep with `who` is srun's report
  // (the whole step); without, a node daemon's for `node`.
  Result<std::shared_ptr<const Step>> CreateStep(JobId id, const StepRequest& request,
                                                 const Identity& who, TimePoint now);
  Status CompleteStep(JobId id, uint32_t step, const std::string& node, const Identity* who,
                      ExitCode code = {}, TimePoint now = {});
  // scancel 42.1 (SIGKILL unless --signal): the step's tasks on each of its nodes.
  Status SignalStep(JobId id, uint32_t step, int signal, const Identity& who);
  Status Cancel(JobId id, const Identity& who, TimePoint now);
  // scancel 42_[1-3] (job_array.cc): the tasks of array `array_id` in `tasks` (inclusive
  // ranges): those started are cancelled, those still pending leave the master record.
  Status CancelArrayTasks(JobId array_id, const std::vector<std::pair<uint32_t, uint32_t>>& tasks,
                          const Identity& who, TimePoint now);
  // `batch_only` (scancel -b): the batch shell on the batch host, not its children.
  Status Signal(JobId id, int signal, const Identity& who, bool batch_only = false);
  Status Hold(JobId id, bool user_hold, const Identity& who, TimePoint now);
  Status Release(JobId id, const Identity& who, TimePoint now);
  Status Requeue(JobId id, bool hold, const Identity& who, TimePoint now);
  Status UpdateJob(JobId id, const JobUpdate& update, const Identity& who, TimePoint now);

  // Nodes (node_events.cc).
  Status RegisterNode(const NodeRegistration& reg, TimePoint now);
  Status Heartbeat(const std::string& node, TimePoint now);
  Status JobComplete(const std::string& node, JobId id, const JobEnd& end, TimePoint now);
  // `node` confirms the job's processes there are gone and its Epilog ran; a failed
  // Epilog drains the node, Reason="Epilog error" (job_completion.cc).
  Status EpilogComplete(const std::string& node, JobId id, TimePoint now,
                        bool epilog_failed = false);
  // The node's Prolog failed for the job there: the node drains (Reason="Prolog error")
  // and a batch job is requeued, held (JobHeldAdmin), as Slurm does without
  // SchedulerParameters=nohold_on_prolog_fail. An allocation's job keeps running: its
  // srun step failed, and its client decides.
  Status PrologFailed(const std::string& node, JobId id, TimePoint now);
  // The batch launch never reached `node`: requeue (or FAILED), that node confirmed.
  Status LaunchFailed(const std::string& node, JobId id, TimePoint now);
  Status UpdateNode(const NodeUpdate& update, const Identity& who, TimePoint now);

  // Timers: time limits, node liveness (node_events.cc).
  void Tick(TimePoint now);
  // Runs a scheduling pass when anything changed since the last, and with sched/backfill
  // the backfill pass every bf_interval (scheduling.cc).
  void Schedule(TimePoint now);

  // Recovery (recovery.cc).
  std::string EncodeSnapshot() const;
  Status LoadSnapshot(std::string_view snapshot);
  Status ReplayRecord(std::string_view payload);
  // After replay: nodes wait for registration from `now`; running jobs keep their nodes.
  void FinishRecovery(TimePoint now);

  // Batch plumbing for the Controller.
  std::vector<std::string> TakeRecords() { return std::exchange(records_, {}); }
  std::vector<Effect> TakeEffects() { return std::exchange(effects_, {}); }
  // The job versions committed since the last call, for the JobSink (job_sink.h).
  std::vector<std::shared_ptr<const Job>> TakeCommittedJobs() {
    return std::exchange(committed_jobs_, {});
  }
  // The steps that ended since the last call, for the JobSink.
  std::vector<std::shared_ptr<const Step>> TakeEndedSteps() { return std::exchange(ended_steps_, {}); }
  std::shared_ptr<const ClusterSnapshot> Publish(uint64_t log_seq, TimePoint now);

  bool IsPrivileged(const Identity& who) const {
    return who.uid == 0 || who.uid == options_.slurm_user_uid;
  }
  size_t job_count() const { return jobs_.size(); }
  // Jobs purged by MinJobAge since the last call (the controller snapshots and trims).
  uint64_t TakePurgedCount() { return std::exchange(purged_, 0); }

 private:
  // A job's steps: the next step id (logged, so ids never repeat) and the running steps.
  struct JobSteps {
    uint32_t next_id = 0;
    std::map<uint32_t, std::shared_ptr<const Step>> running;
  };
  struct JobEntry {
    std::shared_ptr<const Job> job;
    std::vector<uint16_t> parts;  // resolved partitions
    std::vector<uint32_t> required, excluded;
    bool unknown_required = false;
  };
  struct PendingKey {
    uint32_t priority;
    uint64_t seq;
    JobId id;
    friend bool operator<(const PendingKey& a, const PendingKey& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      if (a.seq != b.seq) return a.seq < b.seq;
      return a.id < b.id;
    }
  };

  // Installs a new version of a job: ledger, node counters, queues, snapshot chunks.
  void Install(std::shared_ptr<const Job> job, bool submitted);
  void Commit(std::shared_ptr<const Job> job, bool submitted = false);
  // Logs a new job record without its spec: an array task split off from its master.
  void CommitSplitTask(std::shared_ptr<const Job> task);
  void Amend(std::shared_ptr<const Job> job) { Install(std::move(job), false); }
  void CommitNode(uint32_t index, std::shared_ptr<const Node> node);
  void AmendNode(uint32_t index, std::shared_ptr<const Node> node);
  NodeRecord ToRecord(const Node& n) const;
  void ApplyNodeRecord(const NodeRecord& rec);
  void Resolve(JobEntry& entry) const;
  void RebuildLedger();
  void BookOnNodes(const Job& job, bool book);

  const Job* FindJob(JobId id) const;
  Status CheckOwner(const Job& job, const Identity& who) const;
  uint32_t ComputePriority(const Job& job) const;
  // Ends a job in `state`. One that holds nodes becomes COMPLETING and is terminated on
  // every node that is not DOWN; a pending one (or one whose nodes are all DOWN) ends now.
  void EndJob(const Job& job, JobState state, PendingReason reason, ExitCode code, TimePoint now);
  // A node failed under `job`: requeue it when allowed, else NODE_FAIL.
  void FailJobOnNode(const Job& job, TimePoint now);
  // Back to PENDING (held as `hold` says), through COMPLETING when it holds nodes.
  void RequeueJob(const Job& job, HoldKind hold, TimePoint now);
  // Job completion (job_completion.cc).
  // `next` (a copy of a job holding nodes, its end fields set) waits for its nodes.
  void BeginCompleting(std::shared_ptr<Job> next, JobState end_state, TimePoint now);
  void ConfirmNode(const Job& job, const std::string& node, TimePoint now);
  void FinishCompleting(const Job& job, TimePoint now);
  void ApplyRequeue(const Job& job, TimePoint now);
  // Drains `node` with Slurm's `reason` for what happened to the job there.
  void DrainNode(const std::string& node, std::string_view reason, JobId id, TimePoint now);
  // Adds `delta` to the completing-job count of every node `job` waits for.
  void CountCompleting(const Job& job, int delta);
  // MinJobAge: forgets finished jobs that ended long enough ago (logged).
  void PurgeOldJobs(TimePoint now);
  // Asks the nodes a COMPLETING job still waits for to terminate it again, now and then:
  // a request lost on the way (the node daemon was busy or restarting) must not leave
  // the job waiting for a node that keeps heartbeating.
  void ResendTerminates(TimePoint now);
  // Steps (steps.cc): CPUs booked by running steps on a node; a job's end ends them.
  uint32_t StepCpusOn(JobId job, const std::string& node) const;
  void DropStepsOf(JobId id, TimePoint now);
  // Ends `step` (removing it from the running ones) with `state` and `code`.
  void EndStep(JobSteps& steps, uint32_t id, JobState state, ExitCode code, TimePoint now);
  std::shared_ptr<const std::vector<std::shared_ptr<const Step>>> PublishedSteps();
  // Removes a job from memory (purge and its replay).
  void Forget(JobId id);
  void SetNodeDown(uint32_t index, DownCause cause, std::string reason, uint32_t uid,
                   TimePoint now);
  int32_t NodeIndex(std::string_view name) const;
  int32_t PartitionIndex(std::string_view name) const;
  Result<JobId> AllocateJobId();
  JobId NextId(JobId id) const;
  Duration OverTime() const;
  static TimePoint Deadline(const Job& job);  // start + time limit
  // More nodes than `p` has, or more CPUs per task than its biggest node (job_submit.cc).
  bool BeyondPartitionSize(const Job& job, const Partition& p) const;
  // When a running job's --signal is due (time limit - lead, not before its start);
  // nullopt without --signal or time limit.
  static std::optional<TimePoint> SignalTime(const Job& job);
  // A kSignal effect to every node of the job, or with `batch_only` to its batch host.
  void SignalOnNodes(const Job& job, int signal, bool batch_only);
  // Dependencies (dependencies.cc). IndexDependencies runs on every installed version.
  bool KillInvalidDependency(const Job& job) const;
  Status CheckDependencyTargets(const Dependency& dep) const;
  void IndexDependencies(const Job* old, const Job& job);
  void MarkWaitersOf(const Job& job);
  void MarkWaitersOfForgotten(JobId id);
  // Sets the item's status from the jobs it names; registers a timer for after:ID+delay.
  DependencyStatus EvaluateItem(const Job& job, const DependencyItem& item, TimePoint now);
  // An item naming a job array (its master record `master`): every task, or the one named.
  DependencyStatus EvaluateArrayItem(const Job& master, const DependencyItem& item) const;
  // Re-evaluates the marked waiters (and due timers): reasons, never-satisfied, kills.
  void EvaluateDependencies(TimePoint now);
  // After replay: the statuses are rebuilt from the specs and the jobs they name.
  void RecoverDependencies(TimePoint now);
  // scheduling.cc: the pending queue as the passes see it; the two passes; multifactor's
  // periodic recalculation (PriorityCalcPeriod).
  std::vector<sched::PassJob> SchedulingQueue(TimePoint now);
  void MainPass(TimePoint now);
  void BackfillPass(TimePoint now);
  void ApplyStarts(std::vector<sched::StartDecision>& starts, TimePoint now, bool backfill);
  void RecalculatePriorities(TimePoint now);
  // Arrays (job_array.cc): the index of array members, the running count the %N throttle
  // limits, and how a start of the master record splits a task off.
  void IndexArray(const Job* old, const Job* job);
  // How many tasks of the master `job` this pass may try to start (0: throttled).
  uint32_t ArrayStartRoom(const Job& master) const;
  // The record to start for a start decision on `job`: a task split off (the master, one
  // task fewer, is committed) or the job itself. Null when no job id is free.
  std::shared_ptr<Job> TakeTaskToStart(const Job& job);

  log::Logger log_{"engine"};
  EngineOptions options_;
  std::shared_ptr<const config::SlurmConfig> config_;
  std::unique_ptr<sched::PriorityPolicy> priority_;
  std::unique_ptr<sched::SelectPolicy> select_;
  sched::SchedulerParams sched_params_;  // SchedulerParameters
  bool backfill_ = false;                // SchedulerType=sched/backfill

  std::vector<std::shared_ptr<const Node>> nodes_;
  std::unordered_map<std::string, uint32_t> node_index_;
  std::vector<Partition> partitions_;
  std::shared_ptr<const std::vector<Partition>> published_partitions_;
  sched::ResourceLedger ledger_;

  std::unordered_map<JobId, JobEntry> jobs_;
  std::set<PendingKey> pending_;
  std::set<std::pair<TimePoint, JobId>> deadlines_;  // running jobs' start + limit
  std::set<std::pair<TimePoint, JobId>> finished_;   // finished jobs by end time (MinJobAge)
  std::set<JobId> completing_;                       // COMPLETING jobs
  // Running jobs' --signal times, and the jobs whose signal went out (once per run; kept
  // in memory only, so a controller restart may send it again).
  std::set<std::pair<TimePoint, JobId>> signal_times_;
  std::set<JobId> signalled_;
  // Snapshot chunks: chunk number -> jobs sorted by id; dirty chunks are republished.
  std::map<uint32_t, JobChunk> chunks_;
  std::map<uint32_t, std::shared_ptr<const JobChunk>> published_chunks_;
  std::set<uint32_t> dirty_chunks_;
  bool chunks_list_dirty_ = true;
  std::shared_ptr<const std::vector<std::shared_ptr<const JobChunk>>> published_chunk_list_;

  // Dependencies: job -> pending jobs whose --dependency names it; (uid, name) -> the jobs
  // not finished (singleton); waiters to re-evaluate; after:ID+delay times.
  std::unordered_map<JobId, std::set<JobId>> dependents_;
  std::map<std::pair<uint32_t, std::string>, std::set<JobId>> by_name_;
  std::set<JobId> dep_dirty_;
  std::set<std::pair<TimePoint, JobId>> dep_timers_;

  // Arrays: array job id -> the job ids of its records (master and split tasks); the
  // tasks of each array holding an allocation (not COMPLETING), for the throttle.
  std::unordered_map<JobId, std::set<JobId>> array_members_;
  std::unordered_map<JobId, uint32_t> array_running_;

  std::unordered_map<JobId, JobSteps> steps_;
  bool steps_dirty_ = true;
  std::shared_ptr<const std::vector<std::shared_ptr<const Step>>> published_steps_;
  std::vector<std::shared_ptr<const Step>> ended_steps_;

  JobId next_job_id_ = 1;
  uint64_t next_submit_seq_ = 1;
  bool sched_dirty_ = true;
  TimePoint last_node_check_{};
  TimePoint last_terminate_resend_{};
  TimePoint next_begin_ = TimePoint::max();  // earliest BeginTime among pending jobs
  TimePoint last_backfill_{}, last_full_pass_{}, last_priority_calc_{};

  std::vector<std::string> records_;
  std::vector<Effect> effects_;
  std::vector<std::shared_ptr<const Job>> committed_jobs_;
  uint64_t purged_ = 0;
};

}  // namespace drover::ctld
