// Submission: validate what sbatch asks against the configuration, give the job its id,
// priority and limits, and log it. The job starts (if it fits) in the same batch's
// scheduling pass, before sbatch is answered.
#include <algorithm>

#include "ctld/engine.h"
#include "sched/matcher.h"
#include "sched/pass.h"

namespace drover::ctld {

uint32_t Engine::ComputePriority(const Job& job) const {
  if (job.hold != HoldKind::kNone) return 0;
  int32_t pi = PartitionIndex(job.partition);
  return priority_->Priority(job, pi >= 0 ? &partitions_[pi] : nullptr, TimePoint{});
}

bool Engine::BeyondPartitionSize(const Job& job, const Partition& p) const {
  if (job.min_nodes > p.node_indexes.size()) return true;
  uint32_t biggest = 0;
  for (uint32_t n : p.node_indexes) biggest = std::max(biggest, nodes_[n]->res.cpus);
  return job.spec->cpus_per_task > biggest;
}

Result<JobId> Engine::Submit(JobSpec spec, const Identity& who, TimePoint now,
                             bool interactive) {
  const bool privileged = IsPrivileged(who);
  if (spec.uid != who.uid && !privileged) {
    return Error(ErrorCode::kAccessDenied, "submitting as another user requires privilege");
  }
  if (interactive) {
    spec.script = SharedString();  // what marks an allocation (IsInteractive)
  } else if (spec.script.empty()) {
    return Error(ErrorCode::kJobScriptMissing);
  }
  if (spec.nice < 0 && !privileged) {
    return Error(ErrorCode::kAccessDenied, "Only privileged users can specify a negative nice");
  }
  if (spec.max_nodes != 0 && spec.min_nodes > spec.max_nodes) {
    return Error(ErrorCode::kInvalidNodeCount);
  }
  if (!spec.array.empty()) {
    // MaxArraySize bounds both the number of tasks and every task id, as in Slurm.
    const uint32_t max_size = config_->max_array_size;
    if (interactive || (max_size != 0 && (spec.array.max() >= max_size ||
                                          spec.array.count() > max_size))) {
      return Error(ErrorCode::kInvalidArray);
    }
  }
  std::vector<std::string> names = JobPartitions(spec, config_->default_partition);
  if (names.empty()) return Error(ErrorCode::kDefaultPartitionNotSet);
  std::vector<const Partition*> parts;
  for (const auto& n : names) {
    int32_t i = PartitionIndex(n);
    if (i < 0)
      // Slurm's client prints this message before the code's text; sbatch does the same.
      return Error(ErrorCode::kInvalidPartitionName, "invalid partition specified: " + n);
    const Partition& p = partitions_[i];
    if (p.state == PartitionStateKind::kDrain || p.state == PartitionStateKind::kInactive) {
      return Error(ErrorCode::kPartitionNotAvail);
    }
    if (p.root_only && who.uid != 0) return Error(ErrorCode::kAccessDenied);
    parts.push_back(&p);
  }
  const Partition& first = *parts.front();

  auto job = std::make_shared<Job>();
  job->submit_seq = next_submit_seq_;
  job->partition = first.name;
  job->time_limit = spec.time_limit      ? *spec.time_limit
                    : first.default_time ? *first.default_time
                                         : first.max_time;
  if (config_->enforce_part_limits != config::EnforcePartLimits::kNo &&
      first.max_time < job->time_limit) {
    return Error(ErrorCode::kInvalidTimeLimit);
  }
  job->name = !spec.name.empty() ? spec.name
              : interactive     ? std::string("interactive")
                                : std::string("sbatch");
  job->min_nodes = std::max<uint32_t>(spec.min_nodes, 1);
  job->max_nodes = spec.max_nodes;
  job->nice = spec.nice;
  job->hold = spec.hold ? HoldKind::kUser : HoldKind::kNone;
  job->reason = spec.hold ? PendingReason::kJobHeldUser : PendingReason::kNone;
  job->submit_time = now;
  job->eligible_time = spec.begin_time ? std::max(*spec.begin_time, now) : now;
  job->state = JobState::kPending;
  if (!spec.dependency.empty()) {
    // Every job named must be known ("Job dependency problem" otherwise, as in Slurm).
    ASSIGN_OR_RETURN(job->dependency, ParseDependency(spec.dependency));
    RETURN_IF_ERROR(CheckDependencyTargets(job->dependency));
    if (!spec.hold) job->reason = PendingReason::kDependency;
  }
  spec.environment.Intern();
  spec.script.Intern();
  job->spec = std::make_shared<const JobSpec>(std::move(spec));

  // Refuse what no node could ever run, as Slurm does ("Requested node configuration is
  // not available"), checking every partition as if its nodes were empty and up.
  JobEntry probe{job, {}, {}, {}, false};
  Resolve(probe);
  if (probe.unknown_required) return Error(ErrorCode::kInvalidNodeName);
  bool feasible = false, nodes_in_partition = false;
  for (uint16_t pi : probe.parts) {
    const Partition& p = partitions_[pi];
    bool inside = std::all_of(probe.required.begin(), probe.required.end(), [&](uint32_t n) {
      return std::binary_search(p.node_indexes.begin(), p.node_indexes.end(), n);
    });
    if (!inside) continue;
    nodes_in_partition = true;
    sched::MatchRequest req = select_->BuildRequest(*job, p);
    req.required = probe.required;
    req.excluded = probe.excluded;
    if (sched::Plan(req, ledger_, p.node_indexes, sched::LedgerView::kIfEmptyAnyState)) {
      feasible = true;
      break;
    }
  }
  if (!nodes_in_partition) return Error(ErrorCode::kNodesNotInPartition);
  // Without EnforcePartLimits, a job larger than its partition (more nodes than it has,
  // more CPUs per task than its biggest node) is taken and waits, as in Slurm, until the
  // partition grows or the job is changed.
  if (!feasible && config_->enforce_part_limits == config::EnforcePartLimits::kNo &&
      std::any_of(probe.parts.begin(), probe.parts.end(),
                  [&](uint16_t pi) { return BeyondPartitionSize(*job, partitions_[pi]); })) {
    feasible = true;
  }
  if (!feasible) return Error(ErrorCode::kNodeConfigUnavailable);

  ASSIGN_OR_RETURN(job->id, AllocateJobId());
  if (!job->spec->array.empty()) {
    job->array_job_id = job->id;
    job->array_pending = job->spec->array;
  }
  job->priority = ComputePriority(*job);
  JobId id = job->id;
  log_.Info("{}: JobId={} InitPrio={} usec=0",
            interactive ? "_slurm_rpc_allocate_resources" : "_slurm_rpc_submit_batch_job", id,
            job->priority);
  Commit(std::move(job), /*submitted=*/true);
  return id;
}

}  // namespace drover::ctld
