#include "acct/job_record.h"

#include <fmt/core.h>

namespace drover::acct {
namespace {

int64_t Epoch(TimePoint t) {
  if (t == TimePoint{}) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

JobRecord JobRecordFromJob(const Job& job, const std::string& cluster) {
  JobRecord r;
  r.job_id = job.id;
  r.name = job.name.empty() ? job.spec->name : job.name;
  r.uid = job.spec->uid;
  r.user = job.spec->user_name;
  r.gid = job.spec->gid;
  r.account = job.spec->account;
  r.partition = job.partition;
  r.qos = job.spec->qos;
  r.cluster = cluster;
  r.state = job.state == JobState::kCompleting && job.end_state != JobState::kPending
                ? job.end_state
                : job.state;
  if (job.state == JobState::kCompleting && job.end_state == JobState::kPending) {
    r.state = JobState::kRequeued;
  }
  // The controller does not keep who cancelled a job; users cancel their own far more
  // often than an operator does, so the owner is named.
  if (r.state == JobState::kCancelled) r.cancelled_by = job.spec->uid;
  r.exit_code = job.exit_code;
  r.submit_time = Epoch(job.submit_time);
  r.eligible_time = Epoch(job.eligible_time);
  const bool started = !IsPending(job.state) && !job.alloc.empty();
  r.start_time = started || IsFinished(r.state) ? Epoch(job.start_time) : 0;
  r.end_time = IsFinished(r.state) || r.state == JobState::kRequeued ? Epoch(job.end_time) : 0;
  r.time_limit_s = job.time_limit.infinite() ? -1 : job.time_limit.seconds();
  if (!job.alloc.empty()) {
    r.alloc_cpus = job.alloc.TotalCpus();
    r.alloc_nodes = static_cast<uint32_t>(job.alloc.nodes.size());
    r.alloc_mem_mb = job.alloc.TotalMemMb();
    r.node_list = job.alloc.NodeList();
    r.batch_host = job.alloc.nodes.front().node;
    r.batch_cpus = static_cast<uint32_t>(job.alloc.nodes.front().cpus.size());
  }
  r.work_dir = job.spec->work_dir;
  r.reason = std::string(PendingReasonName(job.reason));
  r.restarts = job.restarts;
  r.batch = !job.spec->script.empty();
  return r;
}

std::string AllocTres(const JobRecord& r) {
  if (r.alloc_cpus == 0) return "";
  std::string s = fmt::format("billing={},cpu={}", r.alloc_cpus, r.alloc_cpus);
  if (r.alloc_mem_mb > 0) s += fmt::format(",mem={}M", r.alloc_mem_mb);
  s += fmt::format(",node={}", r.alloc_nodes);
  return s;
}

}  // namespace drover::acct
