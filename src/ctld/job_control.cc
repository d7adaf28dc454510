// Job control: cancel, signal, hold/release, requeue, scontrol update job, and the state
// changes they share with node events (EndJob, RequeueJob, FailJobOnNode). How an ended
// job completes on its nodes is in job_completion.cc.
#include "ctld/engine.h"

namespace drover::ctld {

Status Engine::CheckOwner(const Job& job, const Identity& who) const {
  if (job.spec->uid == who.uid || IsPrivileged(who)) return Ok();
  return Error(ErrorCode::kAccessDenied, std::string(ErrorText(ErrorCode::kAccessDenied)),
               "job " + std::to_string(job.id));
}

void Engine::EndJob(const Job& job, JobState state, PendingReason reason, ExitCode code,
                    TimePoint now) {
  auto next = std::make_shared<Job>(job);
  next->reason = reason;
  next->exit_code = code;
  next->end_time = now;
  if (job.state == JobState::kPending) next->start_time = now;
  log_.Info("JobId={} JobState={} Reason={}", job.id, JobStateName(state),
            PendingReasonName(reason));
  if (HoldsAllocation(job.state) && !job.alloc.nodes.empty()) {
    BeginCompleting(std::move(next), state, now);
    return;
  }
  next->state = state;
  Commit(std::move(next));
}

void Engine::RequeueJob(const Job& job, HoldKind hold, TimePoint now) {
  if (HoldsAllocation(job.state) && !job.alloc.nodes.empty()) {
    // Slurm shows a requeued job as CG until its nodes are clean, then PD.
    auto next = std::make_shared<Job>(job);
    next->hold = hold;
    next->end_time = now;
    log_.Info("JobId={} requeue: completing on {}", job.id, job.alloc.NodeList());
    BeginCompleting(std::move(next), JobState::kPending, now);
    return;
  }
  auto copy = job;
  copy.hold = hold;
  ApplyRequeue(copy, now);
}

void Engine::ApplyRequeue(const Job& job, TimePoint now) {
  const HoldKind hold = job.hold;
  auto next = std::make_shared<Job>(job);
  next->state = JobState::kPending;
  next->end_state = JobState::kPending;
  next->completing_nodes.clear();
  next->alloc = {};
  next->restarts = job.restarts + 1;
  next->exit_code = {};
  next->end_time = {};
  next->start_time = {};
  next->hold = hold;
  // Slurm delays a requeued job's eligibility past its old credential's expiry.
  next->eligible_time = now + std::chrono::seconds(options_.requeue_delay_s);
  next->reason = hold == HoldKind::kAdmin  ? PendingReason::kJobHeldAdmin
                 : hold == HoldKind::kUser ? PendingReason::kJobHeldUser
                                           : PendingReason::kBeginTime;
  next->priority = ComputePriority(*next);
  log_.Info("JobId={} requeued (restart {})", job.id, next->restarts);
  Commit(std::move(next));
}

void Engine::FailJobOnNode(const Job& job, TimePoint now) {
  if (job.requeue_allowed(config_->job_requeue != 0)) {
    RequeueJob(job, HoldKind::kNone, now);
  } else {
    EndJob(job, JobState::kNodeFail, PendingReason::kNodeDown, {}, now);
  }
}

Status Engine::Cancel(JobId id, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (IsFinished(job->state) || job->state == JobState::kCompleting) {
    return Error(ErrorCode::kAlreadyDone);
  }
  EndJob(*job, JobState::kCancelled, job->reason, {0, 15}, now);
  return Ok();
}

Status Engine::CompleteAllocation(JobId id, ExitCode code, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  // Already over (time limit, scancel): the client learns it from the job's end.
  if (IsFinished(job->state) || job->state == JobState::kCompleting) return Ok();
  if (IsPending(job->state)) {
    EndJob(*job, JobState::kCancelled, job->reason, code, now);
    return Ok();
  }
  JobState state = code.Succeeded() ? JobState::kCompleted : JobState::kFailed;
  PendingReason reason = code.Succeeded() ? PendingReason::kNone
                         : code.signal    ? PendingReason::kRaisedSignal
                                          : PendingReason::kNonZeroExitCode;
  EndJob(*job, state, reason, code, now);
  return Ok();
}

Status Engine::Signal(JobId id, int signal, const Identity& who, bool batch_only) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (IsPending(job->state)) return Error(ErrorCode::kJobPending);
  if (!HoldsAllocation(job->state) || job->state == JobState::kCompleting) {
    return Error(ErrorCode::kAlreadyDone);
  }
  SignalOnNodes(*job, signal, batch_only);
  return Ok();
}

Status Engine::Hold(JobId id, bool user_hold, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (!IsPending(job->state)) return Error(ErrorCode::kJobNotPending);
  // `scontrol hold` by an operator is an admin hold; by the owner it is a user hold.
  HoldKind kind = (user_hold || !IsPrivileged(who)) ? HoldKind::kUser : HoldKind::kAdmin;
  auto next = std::make_shared<Job>(*job);
  next->hold = kind;
  next->priority = 0;
  next->reason =
      kind == HoldKind::kAdmin ? PendingReason::kJobHeldAdmin : PendingReason::kJobHeldUser;
  Commit(std::move(next));
  return Ok();
}

Status Engine::Release(JobId id, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (!IsPending(job->state)) return Error(ErrorCode::kJobNotPending);
  if (job->hold == HoldKind::kAdmin && !IsPrivileged(who)) {
    return Error(ErrorCode::kAccessDenied, "job held by an administrator");
  }
  if (job->hold == HoldKind::kNone) return Ok();
  auto next = std::make_shared<Job>(*job);
  next->hold = HoldKind::kNone;
  next->reason = PendingReason::kNone;
  next->priority = ComputePriority(*next);
  Commit(std::move(next));
  return Ok();
}

Status Engine::Requeue(JobId id, bool hold, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (IsPending(job->state)) return Error(ErrorCode::kJobPending);
  // A job whose nodes are still cleaning up cannot be requeued yet (as Slurm answers).
  if (job->state == JobState::kCompleting) return Error(ErrorCode::kTransitionStateNoUpdate);
  if (!job->requeue_allowed(config_->job_requeue != 0)) return Error(ErrorCode::kDisabled);
  HoldKind kind = !hold ? HoldKind::kNone : IsPrivileged(who) ? HoldKind::kAdmin : HoldKind::kUser;
  RequeueJob(*job, kind, now);
  return Ok();
}

Status Engine::UpdateJob(JobId id, const JobUpdate& u, const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  const bool admin = IsPrivileged(who);
  const bool pending = IsPending(job->state);
  if (IsFinished(job->state) || job->state == JobState::kCompleting) {
    return Error(ErrorCode::kJobFinished);
  }
  auto next = std::make_shared<Job>(*job);
  if (u.time_limit) {
    // Users may only shorten their jobs (Slurm: "Access/permission denied").
    if (!admin && job->time_limit < *u.time_limit) return Error(ErrorCode::kAccessDenied);
    next->time_limit = *u.time_limit;
  }
  if (u.partition) {
    if (!pending) return Error(ErrorCode::kJobNotPending);
    int32_t pi = PartitionIndex(*u.partition);
    if (pi < 0) return Error(ErrorCode::kInvalidPartitionName);
    next->partition = *u.partition;
  }
  if (u.min_nodes) {
    if (!pending) return Error(ErrorCode::kJobNotPending);
    uint32_t max = u.max_nodes.value_or(0);
    if (*u.min_nodes == 0 || (max != 0 && max < *u.min_nodes)) {
      return Error(ErrorCode::kInvalidNodeCount);
    }
    next->min_nodes = *u.min_nodes;
    next->max_nodes = max;
  }
  if (u.nice) {
    if (*u.nice < 0 && !admin) return Error(ErrorCode::kAccessDenied);
    next->nice = *u.nice;
  }
  if (u.name) next->name = *u.name;
  if (pending && next->hold == HoldKind::kNone) {
    next->priority = ComputePriority(*next);
    next->reason = PendingReason::kNone;
  }
  Commit(std::move(next));
  sched_dirty_ = true;
  return Ok();
}

}  // namespace drover::ctld
