// The engine's side of scheduling: hand the ordered queue to sched::RunPass (the main
// pass) and, with SchedulerType=sched/backfill, to sched::RunBackfill every bf_interval;
// log the jobs they start and queue their launches. Reasons and planned start times are
// amended, not logged. With priority/multifactor, pending jobs' priorities are recomputed
// every PriorityCalcPeriod (age grows with time).
#include <algorithm>
#include <chrono>

#include "ctld/engine.h"
#include "sched/backfill.h"
#include "sched/pass.h"
#include "sched/policy/priority_multifactor.h"
#include "sched/tier_order.h"

namespace drover::ctld {
namespace {

int64_t MicrosSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               t0)
      .count();
}

}  // namespace

void Engine::Schedule(TimePoint now) {
  EvaluateDependencies(now);
  RecalculatePriorities(now);
  const bool backfill_due = backfill_ && !pending_.empty() &&
                            now - last_backfill_ >= std::chrono::seconds(sched_params_.bf_interval_s);
  if (sched_dirty_) MainPass(now);
  if (backfill_due) BackfillPass(now);
}

std::vector<sched::PassJob> Engine::SchedulingQueue(TimePoint now) {
  std::vector<sched::PassJob> queue;
  queue.reserve(pending_.size());
  next_begin_ = TimePoint::max();
  std::vector<JobId> throttled;
  for (const PendingKey& k : pending_) {
    const JobEntry& e = jobs_.at(k.id);
    const Job& job = *e.job;
    TimePoint begin = std::max(job.eligible_time, job.spec->begin_time.value_or(TimePoint{}));
    if (begin > now) next_begin_ = std::min(next_begin_, begin);
    // An array's master stands for as many starts as its throttle leaves room for.
    uint32_t copies = 1;
    if (job.is_array_master() && job.hold == HoldKind::kNone) {
      copies = ArrayStartRoom(job);
      if (copies == 0) {
        if (job.reason != PendingReason::kJobArrayTaskLimit) throttled.push_back(job.id);
        continue;
      }
    }
    for (uint32_t i = 0; i < copies; ++i) {
      queue.push_back({&job, e.parts, e.required, e.excluded, e.unknown_required});
    }
  }
  for (JobId id : throttled) {
    auto next = std::make_shared<Job>(*FindJob(id));
    next->reason = PendingReason::kJobArrayTaskLimit;
    Amend(std::move(next));
  }
  sched::OrderByPriorityTier(queue, partitions_);
  return queue;
}

void Engine::MainPass(TimePoint now) {
  sched_dirty_ = false;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<sched::PassJob> queue = SchedulingQueue(now);
  // Events examine default_queue_depth jobs; the whole queue every sched_interval.
  const bool full = now - last_full_pass_ >= std::chrono::seconds(sched_params_.sched_interval_s);
  if (full) last_full_pass_ = now;
  sched::PassInput in{now, queue, partitions_, select_.get(),
                      full ? 0u : sched_params_.default_queue_depth};
  sched::PassResult result = sched::RunPass(in, ledger_);

  for (const auto& r : result.reasons) {
    auto next = std::make_shared<Job>(*FindJob(r.job));
    next->reason = r.reason;
    Amend(std::move(next));
  }
  ApplyStarts(result.starts, now, /*backfill=*/false);
  // Jobs past the depth wait for the next pass, which the next batch or tick runs.
  if (result.depth_reached) sched_dirty_ = true;
  const int64_t us = MicrosSince(t0);
  if (!result.starts.empty() || us > 100000) {
    log_.Debug("sched: pending={} considered={} started={} usec={}", queue.size(),
               result.considered, result.starts.size(), us);
  }
}

void Engine::ApplyStarts(std::vector<sched::StartDecision>& starts, TimePoint now,
                         bool backfill) {
  for (auto& s : starts) {
    // The pass booked the allocation; Install books it again from the record.
    for (auto& a : s.alloc.nodes) {
      ledger_.Release(a);
      a.node = nodes_[a.node_index]->name;
    }
    std::shared_ptr<Job> next = TakeTaskToStart(*FindJob(s.job));
    if (!next) continue;
    next->state = JobState::kRunning;
    next->reason = PendingReason::kNone;
    next->start_time = now;
    next->backfilled = backfill;
    next->partition = partitions_[s.partition].name;
    next->alloc = std::move(s.alloc);
    if (backfill) {
      log_.Info("backfill: Started JobId={} in {} on {}", next->id, next->partition,
                next->alloc.NodeList());
    } else {
      log_.Info("sched: Allocate JobId={} NodeList={} #CPUs={} Partition={}", next->id,
                next->alloc.NodeList(), next->alloc.TotalCpus(), next->partition);
    }
    std::shared_ptr<const Job> record = next;
    Commit(std::move(next));
    // An allocation (salloc, srun) runs nothing by itself: its client launches steps.
    if (!IsInteractive(*record)) {
      effects_.push_back(
          {Effect::Kind::kLaunch, record->alloc.nodes.front().node, record->id, 0, record});
    }
  }
}

void Engine::BackfillPass(TimePoint now) {
  last_backfill_ = now;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<sched::PassJob> queue = SchedulingQueue(now);
  // Running jobs with a time limit give their resources back at start + limit (+
  // OverTimeLimit); the others never do within the plan, and the ledger already holds them.
  const auto over = std::chrono::seconds(OverTime().seconds());
  std::vector<Allocation> allocs;
  allocs.reserve(deadlines_.size());
  std::vector<sched::RunningAlloc> running;
  running.reserve(deadlines_.size());
  for (const auto& [end, id] : deadlines_) {
    const Job* job = FindJob(id);
    if (!job || !HoldsAllocation(job->state)) continue;
    Allocation a = job->alloc;
    bool known = true;
    for (auto& n : a.nodes) {
      int32_t idx = NodeIndex(n.node);
      if (idx < 0) known = false;
      n.node_index = static_cast<uint32_t>(std::max(idx, 0));
    }
    if (known) allocs.push_back(std::move(a)), running.push_back({nullptr, end + over});
  }
  for (size_t i = 0; i < running.size(); ++i) running[i].alloc = &allocs[i];

  sched::BackfillInput in{now, queue, partitions_, select_.get(), running, sched_params_};
  sched::BackfillResult result = sched::RunBackfill(in, ledger_);
  for (const auto& p : result.planned) {
    const Job* job = FindJob(p.job);
    if (!job || job->start_time == p.start) continue;
    auto next = std::make_shared<Job>(*job);
    next->start_time = p.start;
    Amend(std::move(next));
  }
  ApplyStarts(result.starts, now, /*backfill=*/true);
  const int64_t us = MicrosSince(t0);
  if (!result.starts.empty() || us > 100000) {
    log_.Debug("backfill: pending={} examined={} started={} planned={} usec={}", queue.size(),
               result.examined, result.starts.size(), result.planned.size(), us);
  }
}

void Engine::RecalculatePriorities(TimePoint now) {
  const auto* mf = dynamic_cast<const sched::MultifactorPriority*>(priority_.get());
  if (!mf || mf->settings().AllWeightsZero()) return;  // the numbers never change
  Duration period = config_->priority_calc_period;
  auto every = std::chrono::seconds(period.infinite() ? 300 : std::max<int64_t>(period.seconds(), 1));
  if (last_priority_calc_ != TimePoint{} && now - last_priority_calc_ < every) return;
  last_priority_calc_ = now;
  const uint32_t flags = mf->settings().flags;
  std::vector<JobId> ids;
  ids.reserve(pending_.size());
  for (const PendingKey& k : pending_) ids.push_back(k.id);
  if (flags & sched::priority_flag::kCalculateRunning) {
    for (const auto& [end, id] : deadlines_) ids.push_back(id);
  }
  bool changed = false;
  for (JobId id : ids) {
    const Job* job = FindJob(id);
    if (!job || job->hold != HoldKind::kNone) continue;
    int32_t pi = PartitionIndex(job->partition);
    uint32_t p = priority_->Priority(*job, pi >= 0 ? &partitions_[pi] : nullptr, now);
    if ((flags & sched::priority_flag::kIncrOnly) && IsPending(job->state)) {
      p = std::max(p, job->priority);
    }
    if (p == job->priority) continue;
    auto next = std::make_shared<Job>(*job);
    next->priority = p;
    Amend(std::move(next));
    changed = true;
  }
  if (changed) sched_dirty_ = true;
}

}  // namespace drover::ctld
