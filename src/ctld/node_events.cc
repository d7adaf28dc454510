// Node events and timers: registration (with ReturnToService and the reconciliation of
// running jobs), heartbeats, job completion reports, scontrol update node, node liveness
// (SlurmdTimeout) and job time limits.
#include <algorithm>

#include "base/hostlist.h"
#include "ctld/engine.h"

namespace drover::ctld {

void Engine::SetNodeDown(uint32_t index, DownCause cause, std::string reason, uint32_t uid,
                         TimePoint now) {
  auto node = std::make_shared<Node>(*nodes_[index]);
  node->base = NodeBaseState::kDown;
  node->down_cause = cause;
  node->reason = std::move(reason);
  node->reason_uid = uid;
  node->reason_time = now;
  if (cause == DownCause::kNotResponding) node->not_responding = true;
  log_.Info("node {} now DOWN Reason={}", node->name, node->reason);
  const std::string name = node->name;
  CommitNode(index, std::move(node));
  // Jobs on a DOWN node are requeued when allowed, else NODE_FAIL (Slurm's rule); jobs
  // completing there stop waiting for it.
  std::vector<JobId> victims, completing;
  for (const auto& [id, e] : jobs_) {
    const Job& job = *e.job;
    if (job.state == JobState::kCompleting) {
      if (std::find(job.completing_nodes.begin(), job.completing_nodes.end(), name) !=
          job.completing_nodes.end()) {
        completing.push_back(id);
      }
      continue;
    }
    if (!HoldsAllocation(job.state)) continue;
    for (const auto& a : job.alloc.nodes)
      if (a.node == name) victims.push_back(id);
  }
  std::sort(victims.begin(), victims.end());
  std::sort(completing.begin(), completing.end());
  for (JobId id : victims) FailJobOnNode(*FindJob(id), now);
  for (JobId id : completing) ConfirmNode(*FindJob(id), name, now);
}

Status Engine::RegisterNode(const NodeRegistration& reg, TimePoint now) {
  int32_t idx = NodeIndex(reg.name);
  if (idx < 0)
    return Error(ErrorCode::kInvalidNodeName, std::string(ErrorText(ErrorCode::kInvalidNodeName)),
                 reg.name);
  auto node = std::make_shared<Node>(*nodes_[idx]);
  node->last_heartbeat = now;
  node->not_responding = false;
  node->boot_time = reg.boot_time;
  if (node->base == NodeBaseState::kUnknown) {
    node->base = NodeBaseState::kIdle;
  } else if (node->base == NodeBaseState::kDown) {
    // ReturnToService: 0 never, 1 only a node DOWN for not responding, 2 any DOWN node.
    uint16_t rts = config_->return_to_service;
    if ((rts == 1 && node->down_cause == DownCause::kNotResponding) || rts >= 2) {
      node->base = NodeBaseState::kIdle;
      node->down_cause = DownCause::kNone;
      if (!node->drain) node->reason.clear();
      log_.Info("node {} returned to service", node->name);
    }
  }
  CommitNode(static_cast<uint32_t>(idx), std::move(node));

  // Reconcile: jobs we run there that the node does not report are lost (past the
  // BatchStartTimeout grace for launches in flight); jobs it runs that we do not are
  // killed.
  std::vector<JobId> reported = reg.running_jobs;
  std::sort(reported.begin(), reported.end());
  Duration grace =
      config_->batch_start_timeout.infinite() ? Duration() : config_->batch_start_timeout;
  std::vector<JobId> lost;
  std::vector<JobId> completing;
  for (const auto& [id, e] : jobs_) {
    const Job& job = *e.job;
    if (job.state == JobState::kCompleting) {
      // The node may have restarted and forgotten the request: ask again.
      if (std::find(job.completing_nodes.begin(), job.completing_nodes.end(), reg.name) !=
          job.completing_nodes.end()) {
        completing.push_back(id);
      }
      continue;
    }
    if (!HoldsAllocation(job.state) || job.alloc.nodes.empty()) continue;
    // An allocation's nodes run only its steps, if any: its client holds it.
    if (IsInteractive(job)) continue;
    bool here = std::any_of(job.alloc.nodes.begin(), job.alloc.nodes.end(),
                            [&](const NodeAllocation& a) { return a.node == reg.name; });
    if (!here || std::binary_search(reported.begin(), reported.end(), id)) continue;
    if (job.start_time + std::chrono::seconds(grace.seconds()) <= now) lost.push_back(id);
  }
  std::sort(lost.begin(), lost.end());
  for (JobId id : lost) {
    log_.Info("JobId={} missing from node {}", id, reg.name);
    FailJobOnNode(*FindJob(id), now);
    // Nothing of it runs on the node that reported it missing: no need to wait for it.
    if (const Job* job = FindJob(id); job && job->state == JobState::kCompleting) {
      ConfirmNode(*job, reg.name, now);
    }
  }
  std::sort(completing.begin(), completing.end());
  for (JobId id : completing) {
    Effect e{Effect::Kind::kTerminate, reg.name, id, 0, nullptr};
    e.end_state = FindJob(id)->end_state;
    effects_.push_back(std::move(e));
  }
  for (JobId id : reported) {
    const Job* job = FindJob(id);
    if (!job || !HoldsAllocation(job->state)) {
      effects_.push_back({Effect::Kind::kTerminate, reg.name, id, 0, nullptr});
    }
  }
  sched_dirty_ = true;
  return Ok();
}

Status Engine::Heartbeat(const std::string& name, TimePoint now) {
  int32_t idx = NodeIndex(name);
  if (idx < 0)
    return Error(ErrorCode::kInvalidNodeName, std::string(ErrorText(ErrorCode::kInvalidNodeName)),
                 name);
  const Node& cur = *nodes_[idx];
  if (cur.base == NodeBaseState::kUnknown ||
      (cur.base == NodeBaseState::kDown && cur.down_cause == DownCause::kNotResponding)) {
    return Error(ErrorCode::kInvalidNodeState, "node must register", name);
  }
  auto node = std::make_shared<Node>(cur);
  node->last_heartbeat = now;
  node->not_responding = false;
  AmendNode(static_cast<uint32_t>(idx), std::move(node));
  return Ok();
}

Status Engine::JobComplete(const std::string& node, JobId id, const JobEnd& end, TimePoint now) {
  // Processes that outlived SIGKILL drain the node, whatever became of the job.
  if (end.unkillable) DrainNode(node, "Kill task failed", id, now);
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  // A report for a job already ended here (cancel, timeout, requeue) changes nothing.
  if (!HoldsAllocation(job->state) || job->state == JobState::kCompleting) return Ok();
  if (job->alloc.nodes.empty() || job->alloc.nodes.front().node != node) {
    return Error(ErrorCode::kInvalidNodeName, "not the job's batch host", node);
  }
  ExitCode code = ExitCode::FromWaitStatus(end.wait_status);
  JobState state = code.Succeeded() ? JobState::kCompleted : JobState::kFailed;
  PendingReason reason = code.Succeeded() ? PendingReason::kNone
                         : code.signal    ? PendingReason::kRaisedSignal
                                          : PendingReason::kNonZeroExitCode;
  if (end.state == JobState::kTimeout) {
    // The node enforced the time limit before the controller's timer did.
    state = JobState::kTimeout;
    reason = PendingReason::kTimeLimit;
  } else if (end.state == JobState::kOutOfMemory) {
    state = JobState::kOutOfMemory;
  }
  // The batch host's script is over; every node still terminates and confirms.
  EndJob(*job, state, reason, code, now);
  return Ok();
}

Status Engine::UpdateNode(const NodeUpdate& u, const Identity& who, TimePoint now) {
  if (!IsPrivileged(who)) return Error(ErrorCode::kAccessDenied);
  ASSIGN_OR_RETURN(Hostlist hl, Hostlist::Parse(u.nodes));
  ASSIGN_OR_RETURN(std::vector<std::string> names, hl.Expand());
  std::vector<uint32_t> idx;
  for (const auto& n : names) {
    int32_t i = NodeIndex(n);
    if (i < 0)
      return Error(ErrorCode::kInvalidNodeName, std::string(ErrorText(ErrorCode::kInvalidNodeName)),
                   n);
    idx.push_back(static_cast<uint32_t>(i));
  }
  if (u.state && (*u.state == NodeStateUpdate::kDrain || *u.state == NodeStateUpdate::kDown) &&
      u.reason.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "You must specify a reason when DOWNING or DRAINING a node");
  }
  for (uint32_t i : idx) {
    if (u.state == NodeStateUpdate::kDown) {
      SetNodeDown(i, DownCause::kAdmin, u.reason, who.uid, now);
      continue;
    }
    auto node = std::make_shared<Node>(*nodes_[i]);
    if (u.state) {
      switch (*u.state) {
        case NodeStateUpdate::kDrain:
          node->drain = true;
          break;
        case NodeStateUpdate::kUndrain:
          node->drain = false;
          break;
        case NodeStateUpdate::kResume:
        case NodeStateUpdate::kIdle:
          node->drain = false;
          if (node->base == NodeBaseState::kDown) {
            // A node that is not talking to us stays unusable until it registers.
            node->base = node->not_responding ? NodeBaseState::kUnknown : NodeBaseState::kIdle;
            node->down_cause = DownCause::kNone;
            node->last_heartbeat = now;
          }
          node->reason.clear();
          break;
        case NodeStateUpdate::kDown:
          break;
      }
    }
    if (!u.reason.empty()) {
      node->reason = u.reason;
      node->reason_uid = who.uid;
      node->reason_time = now;
    }
    CommitNode(i, std::move(node));
  }
  sched_dirty_ = true;
  return Ok();
}

void Engine::Tick(TimePoint now) {
  // Time limits (+ OverTimeLimit): TIMEOUT now, the node side terminates the job.
  const auto over = std::chrono::seconds(OverTime().seconds());
  while (!deadlines_.empty() && deadlines_.begin()->first + over <= now) {
    JobId id = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    const Job* job = FindJob(id);
    if (!job || !HoldsAllocation(job->state) || job->state == JobState::kCompleting) continue;
    EndJob(*job, JobState::kTimeout, PendingReason::kTimeLimit, {0, 15}, now);
  }
  // --signal: sent once, its lead time before the limit.
  while (!signal_times_.empty() && signal_times_.begin()->first <= now) {
    JobId id = signal_times_.begin()->second;
    signal_times_.erase(signal_times_.begin());
    const Job* job = FindJob(id);
    if (!job || !HoldsAllocation(job->state) || job->state == JobState::kCompleting) continue;
    std::optional<JobSignal> sig = JobSignalFromText(job->spec->signal);
    if (!sig) continue;
    signalled_.insert(id);
    SignalOnNodes(*job, sig->number, sig->batch_only);
    log_.Info("JobId={} Signal={} sent {}s before its time limit{}", id, sig->number,
              sig->lead.seconds(), sig->batch_only ? " to the batch shell" : "");
  }
  ResendTerminates(now);
  PurgeOldJobs(now);
  // Node liveness, at most once a second of clock time.
  if (now - last_node_check_ >= std::chrono::seconds(1)) {
    last_node_check_ = now;
    Duration timeout = config_->slurmd_timeout;
    if (!timeout.infinite() && timeout.seconds() > 0) {
      for (uint32_t i = 0; i < nodes_.size(); ++i) {
        const Node& n = *nodes_[i];
        if (n.base == NodeBaseState::kDown || n.base == NodeBaseState::kFuture) continue;
        if (n.last_heartbeat + std::chrono::seconds(timeout.seconds()) > now) continue;
        SetNodeDown(i, DownCause::kNotResponding, "Not responding", 0, now);
      }
    }
  }
  // BeginTime and requeue delays expire with time; let the next pass look.
  if (now >= next_begin_) sched_dirty_ = true;
}

}  // namespace drover::ctld
