// The engine's side of a scheduling pass: hand the ordered queue to sched::RunPass, then
// log the jobs it started and queue their launches; reasons are amended, not logged.
#include <chrono>

#include "ctld/engine.h"
#include "sched/pass.h"

namespace drover::ctld {

void Engine::Schedule(TimePoint now) {
  if (!sched_dirty_) return;
  sched_dirty_ = false;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<sched::PassJob> queue;
  queue.reserve(pending_.size());
  next_begin_ = TimePoint::max();
  for (const PendingKey& k : pending_) {
    const JobEntry& e = jobs_.at(k.id);
    const Job& job = *e.job;
    TimePoint begin = std::max(job.eligible_time, job.spec->begin_time.value_or(TimePoint{}));
    if (begin > now) next_begin_ = std::min(next_begin_, begin);
    queue.push_back({&job, e.parts, e.required, e.excluded, e.unknown_required});
  }
  sched::PassInput in{now, queue, partitions_, select_.get()};
  sched::PassResult result = sched::RunPass(in, ledger_);

  for (const auto& r : result.reasons) {
    auto next = std::make_shared<Job>(*FindJob(r.job));
    next->reason = r.reason;
    Amend(std::move(next));
  }
  for (auto& s : result.starts) {
    // The pass booked the allocation; Install books it again from the record.
    for (auto& a : s.alloc.nodes) {
      ledger_.Release(a);
      a.node = nodes_[a.node_index]->name;
    }
    auto next = std::make_shared<Job>(*FindJob(s.job));
    next->state = JobState::kRunning;
    next->reason = PendingReason::kNone;
    next->start_time = now;
    next->partition = partitions_[s.partition].name;
    next->alloc = std::move(s.alloc);
    log_.Info("sched: Allocate JobId={} NodeList={} #CPUs={} Partition={}", next->id,
              next->alloc.NodeList(), next->alloc.TotalCpus(), next->partition);
    std::shared_ptr<const Job> record = next;
    Commit(std::move(next));
    effects_.push_back(
        {Effect::Kind::kLaunch, record->alloc.nodes.front().node, record->id, 0, record});
  }
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  if (!result.starts.empty() || us > 100000) {
    log_.Debug("sched: pending={} considered={} started={} usec={}", queue.size(),
               result.considered, result.starts.size(), us);
  }
}

}  // namespace drover::ctld
