// Job completion: how an ended job leaves its nodes, and how finished jobs age out.
//
// COMPLETING (Slurm's CG): a job that held nodes and ended keeps its allocation booked
// while each of its nodes terminates it and confirms its processes are gone
// (NodeRegistry.EpilogComplete, after the node's Epilog ran; a failed one drains the
// node). The
// confirmations are logged job versions, so a restarted controller keeps waiting for the
// same nodes (and asks them again when they register). When the last node confirms, or
// goes DOWN (a dead node can confirm nothing), the allocation is released and the job
// shows its end state, or goes back to PENDING when it was being requeued.
//
// MinJobAge: a finished job is forgotten MinJobAge seconds after it ended (0: never). The
// purge is a log record, so replay forgets it too, and the next snapshot no longer holds
// it. Its id is not reused until the ids wrap at MaxJobId.
#include <algorithm>

#include "ctld/engine.h"

namespace drover::ctld {
namespace {

// Slurm's drain reasons for a node whose Prolog or Epilog failed.
constexpr std::string_view kPrologError = "Prolog error";
constexpr std::string_view kEpilogError = "Epilog error";
// How often a COMPLETING job's silent nodes are asked again.
constexpr std::chrono::seconds kTerminateResend{30};

}  // namespace

void Engine::BeginCompleting(std::shared_ptr<Job> next, JobState end_state, TimePoint now) {
  next->state = JobState::kCompleting;
  next->end_state = end_state;
  next->completing_nodes.clear();
  for (const NodeAllocation& a : next->alloc.nodes) {
    int32_t idx = NodeIndex(a.node);
    // A DOWN node (or one gone from slurm.conf) runs nothing and will not answer.
    if (idx < 0 || nodes_[idx]->base == NodeBaseState::kDown) continue;
    next->completing_nodes.push_back(a.node);
    Effect e{Effect::Kind::kTerminate, a.node, next->id, 0, nullptr};
    e.end_state = end_state;
    effects_.push_back(std::move(e));
  }
  if (next->completing_nodes.empty()) {
    FinishCompleting(*next, now);
    return;
  }
  Commit(std::move(next));
}

void Engine::ConfirmNode(const Job& job, const std::string& node, TimePoint now) {
  auto it = std::find(job.completing_nodes.begin(), job.completing_nodes.end(), node);
  if (it == job.completing_nodes.end()) return;
  auto next = std::make_shared<Job>(job);
  next->completing_nodes.erase(next->completing_nodes.begin() +
                               (it - job.completing_nodes.begin()));
  if (next->completing_nodes.empty()) {
    FinishCompleting(*next, now);
    return;
  }
  Commit(std::move(next));
}

void Engine::FinishCompleting(const Job& job, TimePoint now) {
  if (job.end_state == JobState::kPending) {
    ApplyRequeue(job, now);
    return;
  }
  auto next = std::make_shared<Job>(job);
  next->state = job.end_state;
  next->completing_nodes.clear();
  log_.Info("JobId={} done completing: JobState={}", job.id, JobStateName(next->state));
  Commit(std::move(next));
}

Status Engine::EpilogComplete(const std::string& node, JobId id, TimePoint now,
                              bool epilog_failed) {
  // The node is suspect whatever became of the job.
  if (epilog_failed) DrainNode(node, kEpilogError, id, now);
  const Job* job = FindJob(id);
  // A late or repeated confirmation (the job finished, was purged, or restarted) is
  // harmless: the node has nothing of it left either way.
  if (!job || job->state != JobState::kCompleting) return Ok();
  ConfirmNode(*job, node, now);
  return Ok();
}

Status Engine::LaunchFailed(const std::string& node, JobId id, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  if (!HoldsAllocation(job->state) || job->state == JobState::kCompleting) return Ok();
  if (job->alloc.nodes.empty() || job->alloc.nodes.front().node != node) {
    return Error(ErrorCode::kInvalidNodeName, "not the job's batch host", node);
  }
  // Like Slurm after a launch failure: back to the queue when the job may be requeued.
  if (job->requeue_allowed(config_->job_requeue != 0)) {
    RequeueJob(*job, HoldKind::kNone, now);
  } else {
    EndJob(*job, JobState::kFailed, PendingReason::kNonZeroExitCode, {1, 0}, now);
  }
  // The batch host never got the job: nothing of it runs there to wait for.
  if (const Job* after = FindJob(id); after && after->state == JobState::kCompleting) {
    ConfirmNode(*after, node, now);
  }
  return Ok();
}

Status Engine::PrologFailed(const std::string& node, JobId id, TimePoint now) {
  DrainNode(node, kPrologError, id, now);
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  // A report for a job already ended or requeued (another node's prolog) changes nothing.
  if (!HoldsAllocation(job->state) || job->state == JobState::kCompleting) return Ok();
  if (IsInteractive(*job)) return Ok();
  RequeueJob(*job, HoldKind::kAdmin, now);
  return Ok();
}

void Engine::DrainNode(const std::string& name, std::string_view reason, JobId id,
                       TimePoint now) {
  int32_t idx = NodeIndex(name);
  if (idx < 0) return;
  auto node = std::make_shared<Node>(*nodes_[idx]);
  node->drain = true;
  node->reason = std::string(reason);
  node->reason_uid = options_.slurm_user_uid;
  node->reason_time = now;
  log_.Warn("node {} draining: JobId={} Reason={}", name, id, node->reason);
  CommitNode(static_cast<uint32_t>(idx), std::move(node));
  sched_dirty_ = true;
}

void Engine::ResendTerminates(TimePoint now) {
  if (now - last_terminate_resend_ < kTerminateResend) return;
  last_terminate_resend_ = now;
  for (JobId id : completing_) {
    const Job& job = *FindJob(id);
    // Only jobs that have waited a full interval: a fresh request is still on its way.
    if (job.end_time + kTerminateResend > now) continue;
    for (const std::string& node : job.completing_nodes) {
      Effect e{Effect::Kind::kTerminate, node, id, 0, nullptr};
      e.end_state = job.end_state;
      effects_.push_back(std::move(e));
    }
  }
}

void Engine::PurgeOldJobs(TimePoint now) {
  const Duration age = config_->min_job_age;
  if (age.infinite() || age.seconds() <= 0) return;  // MinJobAge=0 keeps every job
  const auto keep = std::chrono::seconds(age.seconds());
  uint64_t n = 0;
  while (!finished_.empty() && finished_.begin()->first + keep <= now) {
    JobId id = finished_.begin()->second;
    records_.push_back(EncodeRecord(PurgeRecord{id}));
    Forget(id);
    ++n;
  }
  if (n > 0) {
    purged_ += n;
    log_.Debug("purged {} finished job(s) older than MinJobAge={}", n, age.seconds());
  }
}

}  // namespace drover::ctld
