// Jobs between core and the wire: the JobSpec sbatch sends (drover.v1.JobSpec) into the
// core JobSpec the controller accepts, and a core Job into the drover.v1.JobInfo that
// squeue and scontrol show job print.
//
// Identity never comes from the request: JobSpecFromProto leaves uid, gid and user_name
// for the caller to fill from the verified credential (and on_behalf_* after its checks).
//
// Thread-safety: pure functions (the name lookups in JobInfoContext are called on the
// caller's thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/clock.h"
#include "base/result.h"
#include "core/job.h"
#include "drover/v1/job.pb.h"

namespace drover::rpc {

// Names for uids/gids ("root"); empty when unknown. Either may be unset (no names).
struct NameLookup {
  std::function<std::string(uint32_t)> user;
  std::function<std::string(uint32_t)> group;
};

// drover.v1.JobSpec (+ the script, which travels beside it) -> core JobSpec. Requests core
// cannot express yet are refused, not silently dropped.
// Errors: kInvalidArray for a malformed --array; kNotSupported for --mem-per-gpu and per-job/per-task GRES;
// kInvalidArgument for cpus_per_task 0, max_nodes < min_nodes and a negative time limit
// other than -1.
Result<JobSpec> JobSpecFromProto(const v1::JobSpec& spec, std::string script);

// The effective request as JobInfo.spec carries it: the job's current name, node counts,
// nice, partition and resolved time limit. Environment, argv and script are left out.
v1::JobSpec JobSpecToProto(const Job& job);

struct JobInfoContext {
  TimePoint now;             // RunTime
  std::string cluster_name;  // ClusterName
  NameLookup names;
  // Where node daemons listen, for node_allocations (details); may be unset.
  std::function<void(const std::string& node, v1::NodeAllocation* out)> node_address;
  bool details = false;  // fill node_allocations (scontrol show job -d)
  bool brief = false;    // ListJobsRequest.brief: the everyday columns only
};

v1::JobInfo JobInfoFromJob(const Job& job, const JobInfoContext& context);

// Seconds since the epoch; 0 for the unset TimePoint{} (the wire's "not set").
int64_t ToEpochSeconds(TimePoint t);
TimePoint FromEpochSeconds(int64_t s);

// StdOut=/StdErr=/StdIn= as scontrol prints them: the pattern (or Slurm's default
// slurm-%j.out) with %j %x %u %N %% expanded, relative paths under the working directory.
std::string ExpandStdPath(const std::string& pattern, const Job& job, const std::string& user);

}  // namespace drover::rpc
