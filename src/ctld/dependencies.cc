// Job dependencies (--dependency): the engine keeps, for each job it names, the pending
// jobs that wait on it, and re-evaluates those when that job changes state or leaves
// memory (Install and Forget mark them); singleton waiters are re-evaluated when a job of
// the same user and name changes state. Nothing polls: the only timer is after:ID+minutes.
//
// A failed item stays failed (Slurm never runs such a job, even when the job it named is
// requeued and later succeeds); the job then shows DependencyNeverSatisfied, a logged
// version so a restart keeps it, or is cancelled with kill-on-invalid-dep. A job that is
// no longer known (purged by MinJobAge) satisfies any dependency on it, as in Slurm.
// Statuses are not logged: FinishRecovery evaluates them again.
#include <algorithm>

#include "ctld/engine.h"

namespace drover::ctld {
namespace {

// The state a job ended in, or nullopt while it may still run.
std::optional<JobState> EndedAs(const Job& job) {
  if (job.state == JobState::kCompleting) {
    if (job.end_state == JobState::kPending) return std::nullopt;  // being requeued
    return job.end_state;
  }
  if (IsFinished(job.state)) return job.state;
  return std::nullopt;
}

bool HasSingleton(const Job& job) {
  return std::any_of(job.dependency.items.begin(), job.dependency.items.end(),
                     [](const DependencyItem& d) { return d.kind == DependencyKind::kSingleton; });
}

}  // namespace

bool Engine::KillInvalidDependency(const Job& job) const {
  if (job.spec->kill_on_invalid_dep) return *job.spec->kill_on_invalid_dep;
  return config_->dependency_parameters.find("kill_invalid_depend") != std::string::npos;
}

Status Engine::CheckDependencyTargets(const Dependency& dep) const {
  for (const DependencyItem& d : dep.items) {
    if (d.kind != DependencyKind::kSingleton && FindJob(d.job) == nullptr) {
      return Error(ErrorCode::kDependency);
    }
  }
  return Ok();
}

void Engine::IndexDependencies(const Job* old, const Job& job) {
  if (old != nullptr) {
    for (const DependencyItem& d : old->dependency.items) {
      if (d.kind == DependencyKind::kSingleton) continue;
      auto it = dependents_.find(d.job);
      if (it == dependents_.end()) continue;
      it->second.erase(job.id);
      if (it->second.empty()) dependents_.erase(it);
    }
    if (!IsFinished(old->state)) {
      auto it = by_name_.find({old->spec->uid, old->name});
      if (it != by_name_.end()) {
        it->second.erase(job.id);
        if (it->second.empty()) by_name_.erase(it);
      }
    }
  }
  const bool waiting = IsPending(job.state) && !job.dependency.empty();
  if (waiting) {
    for (const DependencyItem& d : job.dependency.items) {
      if (d.kind != DependencyKind::kSingleton) dependents_[d.job].insert(job.id);
    }
  }
  if (!IsFinished(job.state)) by_name_[{job.spec->uid, job.name}].insert(job.id);

  const bool changed = old == nullptr || old->state != job.state || old->name != job.name ||
                       old->end_state != job.end_state;
  if (!changed) return;
  if (waiting) dep_dirty_.insert(job.id);
  MarkWaitersOf(job);
  if (old != nullptr && old->name != job.name) MarkWaitersOf(*old);
}

void Engine::MarkWaitersOf(const Job& job) {
  if (auto it = dependents_.find(job.id); it != dependents_.end()) {
    dep_dirty_.insert(it->second.begin(), it->second.end());
  }
  // A task of an array: who waits for the array (afterok:42) waits for every task.
  if (job.array_job_id != 0 && job.array_job_id != job.id) {
    if (auto it = dependents_.find(job.array_job_id); it != dependents_.end()) {
      dep_dirty_.insert(it->second.begin(), it->second.end());
    }
  }
  if (auto it = by_name_.find({job.spec->uid, job.name}); it != by_name_.end()) {
    for (JobId id : it->second) {
      if (id == job.id) continue;
      const Job* other = FindJob(id);
      if (other && IsPending(other->state) && HasSingleton(*other)) dep_dirty_.insert(id);
    }
  }
}

void Engine::MarkWaitersOfForgotten(JobId id) {
  if (auto it = dependents_.find(id); it != dependents_.end()) {
    dep_dirty_.insert(it->second.begin(), it->second.end());
  }
}

DependencyStatus Engine::EvaluateItem(const Job& job, const DependencyItem& d, TimePoint now) {
  if (d.kind == DependencyKind::kSingleton) {
    auto it = by_name_.find({job.spec->uid, job.name});
    if (it == by_name_.end()) return DependencyStatus::kFulfilled;
    for (JobId id : it->second) {
      if (id == job.id) continue;
      const Job* other = FindJob(id);
      if (other == nullptr) continue;
      // Running (or ending) jobs block; so does an earlier singleton waiter, so that only
      // one of several waiters is released at a time.
      if (HoldsAllocation(other->state)) return DependencyStatus::kUnfulfilled;
      if (IsPending(other->state) && other->submit_seq < job.submit_seq && HasSingleton(*other)) {
        return DependencyStatus::kUnfulfilled;
      }
    }
    return DependencyStatus::kFulfilled;
  }
  if (d.status != DependencyStatus::kUnfulfilled) return d.status;  // sticky
  const Job* target = FindJob(d.job);
  if (target == nullptr) return DependencyStatus::kFulfilled;
  if (target->array_job_id == d.job) return EvaluateArrayItem(*target, d);
  std::optional<JobState> ended = EndedAs(*target);
  switch (d.kind) {
    case DependencyKind::kAfter: {
      if (IsPending(target->state)) return DependencyStatus::kUnfulfilled;
      TimePoint from = target->start_time != TimePoint{} ? target->start_time : target->end_time;
      TimePoint ready = from + std::chrono::seconds(d.delay_s);
      if (ready <= now) return DependencyStatus::kFulfilled;
      dep_timers_.insert({ready, job.id});
      return DependencyStatus::kUnfulfilled;
    }
    case DependencyKind::kAfterAny:
    case DependencyKind::kAfterBurstBuffer:
      return ended ? DependencyStatus::kFulfilled : DependencyStatus::kUnfulfilled;
    case DependencyKind::kAfterOk:
    case DependencyKind::kAfterCorr:  // afterok of the whole job until arrays exist
      if (!ended) return DependencyStatus::kUnfulfilled;
      return *ended == JobState::kCompleted ? DependencyStatus::kFulfilled
                                            : DependencyStatus::kFailed;
    case DependencyKind::kAfterNotOk:
      if (!ended) return DependencyStatus::kUnfulfilled;
      return *ended == JobState::kCompleted ? DependencyStatus::kFailed
                                            : DependencyStatus::kFulfilled;
    case DependencyKind::kSingleton:
      break;
  }
  return DependencyStatus::kUnfulfilled;
}

DependencyStatus Engine::EvaluateArrayItem(const Job& master, const DependencyItem& d) const {
  // One task (afterok:42_3): that task's record once it split off; pending before.
  std::vector<const Job*> records;
  auto members = array_members_.find(d.job);
  if (members != array_members_.end()) {
    for (JobId m : members->second) {
      const Job* r = FindJob(m);
      if (r == nullptr) continue;
      if (d.array_task && r->array_task_id != d.array_task) continue;
      records.push_back(r);
    }
  }
  // Tasks not started yet are held by the master record: not ended while it waits, ended
  // as it did when it was cancelled with them.
  const std::optional<JobState> master_end = EndedAs(master);
  const bool names_pending =
      d.array_task ? master.array_pending.Contains(*d.array_task) : !master.array_pending.empty();
  bool all_ended = !names_pending || master_end.has_value();
  bool any_started = false;
  bool any_failed = names_pending && master_end && *master_end != JobState::kCompleted;
  for (const Job* r : records) {
    if (r->is_array_master()) continue;  // its pending tasks are counted above
    std::optional<JobState> ended = EndedAs(*r);
    if (!ended) {
      all_ended = false;
    } else if (*ended != JobState::kCompleted) {
      any_failed = true;
    }
    if (!IsPending(r->state)) any_started = true;
  }
  if (d.array_task && records.empty() && !names_pending) {
    return DependencyStatus::kFulfilled;  // no such task (or long purged): nothing to wait for
  }
  switch (d.kind) {
    case DependencyKind::kAfter:
      return any_started || all_ended ? DependencyStatus::kFulfilled
                                      : DependencyStatus::kUnfulfilled;
    case DependencyKind::kAfterAny:
    case DependencyKind::kAfterBurstBuffer:
      return all_ended ? DependencyStatus::kFulfilled : DependencyStatus::kUnfulfilled;
    case DependencyKind::kAfterOk:
    case DependencyKind::kAfterCorr:  // the whole array, not task by task
      if (any_failed) return DependencyStatus::kFailed;
      return all_ended ? DependencyStatus::kFulfilled : DependencyStatus::kUnfulfilled;
    case DependencyKind::kAfterNotOk:
      if (!all_ended) return DependencyStatus::kUnfulfilled;
      return any_failed ? DependencyStatus::kFulfilled : DependencyStatus::kFailed;
    case DependencyKind::kSingleton:
      break;
  }
  return DependencyStatus::kUnfulfilled;
}

void Engine::EvaluateDependencies(TimePoint now) {
  while (!dep_timers_.empty() && dep_timers_.begin()->first <= now) {
    dep_dirty_.insert(dep_timers_.begin()->second);
    dep_timers_.erase(dep_timers_.begin());
  }
  // Ending a job (kill-on-invalid-dep) may mark more: loop until none is left.
  while (!dep_dirty_.empty()) {
    JobId id = *dep_dirty_.begin();
    dep_dirty_.erase(dep_dirty_.begin());
    const Job* job = FindJob(id);
    if (job == nullptr || !IsPending(job->state) || job->dependency.empty()) continue;
    const DependencyStatus before = job->dependency.Overall();
    if (before == DependencyStatus::kFailed) continue;  // never satisfied: nothing changes it
    auto next = std::make_shared<Job>(*job);
    for (DependencyItem& d : next->dependency.items) d.status = EvaluateItem(*job, d, now);
    if (next->dependency == job->dependency) continue;
    const DependencyStatus after = next->dependency.Overall();
    sched_dirty_ = true;
    if (after == DependencyStatus::kFailed) {
      if (KillInvalidDependency(*next)) {
        log_.Info("JobId={} dependency can never be satisfied: cancelling", id);
        EndJob(*next, JobState::kCancelled, PendingReason::kDependencyNeverSatisfied, {}, now);
      } else {
        log_.Info("JobId={} dependency can never be satisfied", id);
        if (next->hold == HoldKind::kNone) next->reason = PendingReason::kDependencyNeverSatisfied;
        Commit(std::move(next));  // logged: a restart must not forget the failure
      }
      continue;
    }
    if (next->hold == HoldKind::kNone) {
      next->reason = after == DependencyStatus::kFulfilled ? PendingReason::kNone
                                                           : PendingReason::kDependency;
    }
    Amend(std::move(next));
  }
}

void Engine::RecoverDependencies(TimePoint now) {
  std::vector<JobId> waiting;
  for (const auto& [id, e] : jobs_) {
    if (IsPending(e.job->state) && !e.job->spec->dependency.empty()) waiting.push_back(id);
  }
  for (JobId id : waiting) {
    const Job& job = *FindJob(id);
    Result<Dependency> dep = ParseDependency(job.spec->dependency);
    if (!dep) continue;  // accepted once, so never; a bad record runs without it
    auto next = std::make_shared<Job>(job);
    next->dependency = std::move(*dep);
    if (job.reason == PendingReason::kDependencyNeverSatisfied) {
      for (DependencyItem& d : next->dependency.items) d.status = DependencyStatus::kFailed;
    }
    Amend(std::move(next));
    dep_dirty_.insert(id);
  }
  EvaluateDependencies(now);
}

}  // namespace drover::ctld
