// JobSpec and Job: what a submission asks for, and the controller's record of a job.
//
// JobSpec is what sbatch sends (its options and #SBATCH lines, resolved by the CLI): a
// plain struct, immutable once the controller accepts it, shared by every version of
// the job's record. Job is one version of the controller's record: state, reason,
// priority, times, allocation. The engine never changes a Job in place once published;
// it copies, changes the copy and swaps the pointer (so readers of a snapshot see a
// consistent record without locks).
//
// Thread-safety: plain values; a published `shared_ptr<const Job>` may be read anywhere.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/duration.h"
#include "core/allocation.h"
#include "core/dependency.h"
#include "core/exit_code.h"
#include "core/job_array.h"
#include "core/job_state.h"
#include "core/pending_reason.h"
#include "core/shared_text.h"

namespace drover {

using JobId = uint32_t;

// --open-mode; kDefault follows JobFileAppend.
enum class OpenMode : uint8_t { kDefault, kTruncate, kAppend };
// Who holds a job: scontrol uhold / sbatch -H (user), scontrol hold by an operator (admin).
enum class HoldKind : uint8_t { kNone, kUser, kAdmin };

struct JobSpec {
  std::string name;  // --job-name; the script's name when not given
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string user_name;
  std::vector<std::string> partitions;  // -p a,b; empty: the default partition

  uint32_t min_nodes = 0;                   // -N min; 0: not given (1)
  uint32_t max_nodes = 0;                   // -N min-max; 0: not given (no upper bound)
  uint32_t ntasks = 0;                      // -n; 0: not given (one per node)
  uint32_t cpus_per_task = 1;               // -c
  bool cpus_per_task_given = false;         // -c was given (SLURM_CPUS_PER_TASK is set)
  uint32_t ntasks_per_node = 0;             // --ntasks-per-node; 0: not given
  std::optional<uint64_t> mem_per_node_mb;  // --mem; 0 means all of each node's memory
  std::optional<uint64_t> mem_per_cpu_mb;   // --mem-per-cpu
  std::optional<Duration> time_limit;       // -t; unset: partition DefaultTime, else MaxTime

  std::string nodelist;  // -w, hostlist text
  std::string exclude;   // -x, hostlist text
  bool exclusive = false;
  bool oversubscribe = false;   // -s / --oversubscribe
  bool hold = false;            // -H: submitted held by the user
  std::optional<bool> requeue;  // --requeue / --no-requeue; unset: JobRequeue
  std::optional<TimePoint> begin_time;

  std::string account, qos, comment;
  std::string gres;  // --gres text, kept for later
  std::string work_dir;
  std::string std_out, std_err, std_in;  // patterns (%j, %x, ...)
  OpenMode open_mode = OpenMode::kDefault;
  std::string signal;  // --signal text as JobSignalFromText reads it ("B:10@60")
  int32_t nice = 0;
  SharedStrings environment;  // "K=V"; interned (core/shared_text.h)
  SharedString script;        // interned
  std::vector<std::string> argv;
  std::string dependency;  // --dependency text (core/dependency.h)
  std::optional<bool> kill_on_invalid_dep;  // unset: DependencyParameters=kill_invalid_depend
  std::string command;     // the script's absolute path; empty for --wrap and stdin
  std::string alloc_node;  // the submitting host (AllocNode, SLURM_SUBMIT_HOST)
  uint32_t alloc_sid = 0;  // the submitting session (Sid)
  // --array: every task id of the array (empty: not an array), and the %N throttle (0:
  // none). SLURM_ARRAY_TASK_COUNT/MIN/MAX/STEP come from here.
  ArrayTaskSet array;
  uint32_t array_max_running = 0;

  friend bool operator==(const JobSpec&, const JobSpec&) = default;
};

struct Job {
  JobId id = 0;
  std::shared_ptr<const JobSpec> spec;  // never null for a live record
  // The submission order, increasing across restarts; orders equal priorities.
  uint64_t submit_seq = 0;

  JobState state = JobState::kPending;
  PendingReason reason = PendingReason::kNone;
  HoldKind hold = HoldKind::kNone;
  uint32_t priority = 0;  // 0 while held, as Slurm shows it

  std::string partition;  // where it runs or would run first (Partition=)
  Duration time_limit;    // resolved against the partition at submission / update
  // Updates that override the spec (scontrol update), kept beside it so the spec stays
  // shared between versions.
  std::string name;        // the current name (spec name or updated)
  uint32_t min_nodes = 1;  // current node count request
  uint32_t max_nodes = 0;  // 0: unbounded
  int32_t nice = 0;

  // start_time of a pending job is the backfill pass's planned start (squeue --start).
  TimePoint submit_time{}, eligible_time{}, start_time{}, end_time{};
  bool backfilled = false;  // started by the backfill pass (Scheduler=Backfill); not logged
  Allocation alloc;
  ExitCode exit_code;
  uint32_t restarts = 0;
  // The spec's dependency with each item's status, kept by the engine while the job is
  // pending (ctld/dependencies.cc).
  Dependency dependency;

  // While COMPLETING: the state the job shows once every node confirmed that its
  // processes are gone (PENDING: it is being requeued, held as `hold` says), and the
  // allocated nodes that have not confirmed yet. The allocation stays booked meanwhile.
  JobState end_state = JobState::kPending;
  std::vector<std::string> completing_nodes;

  // Arrays. The master record (id == array_job_id) holds the tasks not started yet in
  // `array_pending` and is one pending job however many they are; each task that starts
  // splits off as its own record with a new id and `array_task_id`, except the last,
  // which the master record itself becomes (as in Slurm).
  JobId array_job_id = 0;  // 0: not an array
  std::optional<uint32_t> array_task_id;
  ArrayTaskSet array_pending;

  bool is_array_master() const { return !array_pending.empty(); }

  bool requeue_allowed(bool job_requeue_default) const {
    return spec->requeue.value_or(job_requeue_default);
  }
};

// --signal: `number` goes to the job `lead` before its time limit; to the batch shell only
// with `batch_only` (B:), else to every process of the job.
struct JobSignal {
  int number = 0;
  Duration lead = Duration::FromSeconds(60);
  bool batch_only = false;
  bool reservation = false;  // R: relative to a reservation's end (no reservations yet)
};

// Reads JobSpec::signal ("[B:|R:]<number>[@<seconds>]"); nullopt when empty or malformed.
std::optional<JobSignal> JobSignalFromText(std::string_view text);

// The job's partitions in the spec, or `default_partition` when it names none.
std::vector<std::string> JobPartitions(const JobSpec& spec, const std::string& default_partition);

// Tasks the job starts: ntasks, or nodes x ntasks-per-node, or one per node.
uint32_t EffectiveTasks(const JobSpec& spec, uint32_t min_nodes);

}  // namespace drover
