// Interactive allocations, shared by salloc and srun (when srun makes its own): waiting on
// AllocateJob's events for the grant, worded as Slurm's commands word the wait, and the
// job's SLURM_* variables as salloc hands them to its command.
//
// While waiting, salloc prints
//   salloc: Pending job allocation 42
//   salloc: job 42 queued and waiting for resources
//   salloc: job 42 has been allocated resources
//   salloc: Granted job allocation 42
// (the first three only when the job had to wait); srun prints the second and third only.
// Ctrl-C (SIGINT, SIGTERM, SIGHUP, SIGQUIT on `signal_fd`) withdraws the request:
// "salloc: Job allocation 42 has been revoked." for a job that was queued.
//
// Thread-safety: pure functions, and WaitForAllocation blocks the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli {

// How the wait for an allocation ended.
struct AllocationOutcome {
  enum class Kind {
    kGranted,      // `allocation` holds the grant
    kInterrupted,  // a signal withdrew the request (job_id set when it was queued)
    kEnded,        // the job ended before the grant (`ended`), e.g. cancelled by scancel
    kFailed,       // the controller refused the job or went away (`error`)
  };
  Kind kind = Kind::kFailed;
  uint32_t job_id = 0;
  bool waited = false;  // the job was queued before its grant
  v1::JobAllocation allocation;
  v1::JobEnded ended;
  std::optional<Error> error;
};

// Reads `events` until the grant, printing the wait on `err` with `program`'s prefix
// ("salloc" or "srun"); `quiet` (-Q) prints nothing. `signal_fd` (a signalfd, or -1 for
// none) interrupts the wait. On a grant the stream stays open: it is the allocation's
// liveness.
AllocationOutcome WaitForAllocation(client::JobEventStream& events, std::string_view program,
                                    int signal_fd, bool quiet, std::ostream& err);

// Where the allocation is used from, for SLURM_SUBMIT_DIR, SLURM_SUBMIT_HOST, SLURM_CONF.
struct AllocationContext {
  std::string submit_dir;
  std::string submit_host;
  std::string conf_path;  // empty: not set
};

// The job's SLURM_* variables for a granted allocation, by name: SLURM_JOB_ID and
// SLURM_JOBID, SLURM_JOB_NAME, SLURM_JOB_NODELIST and SLURM_NODELIST, SLURM_JOB_NUM_NODES
// and SLURM_NNODES, SLURM_NTASKS and SLURM_NPROCS (with -n), SLURM_CPUS_PER_TASK (with
// -c), SLURM_NTASKS_PER_NODE, SLURM_TASKS_PER_NODE, SLURM_JOB_CPUS_PER_NODE,
// SLURM_MEM_PER_NODE or SLURM_MEM_PER_CPU, SLURM_SUBMIT_DIR, SLURM_SUBMIT_HOST,
// SLURM_JOB_PARTITION, SLURM_JOB_ACCOUNT, SLURM_JOB_QOS, SLURM_CLUSTER_NAME, SLURM_CONF,
// SLURM_JOB_START_TIME, SLURM_JOB_END_TIME (when limited).
std::map<std::string, std::string> AllocationEnvironment(const v1::JobAllocation& allocation,
                                                         const AllocationContext& context);

// Slurm's run-length form of per-node counts: {2,2,2,1} -> "2(x3),1".
std::string CompressCounts(std::span<const uint32_t> counts);

// Tasks per node of an allocation as Slurm reports them for the job: --ntasks-per-node on
// every node, else -n (at least one a node) spread evenly, the first nodes taking the rest.
std::vector<uint32_t> JobTasksPerNode(const v1::JobAllocation& allocation);

}  // namespace drover::cli
