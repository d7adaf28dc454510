#include "sched/pass.h"

#include <algorithm>

namespace drover::sched {

PendingReason JobOwnReason(const Job& job, TimePoint now) {
  if (job.hold == HoldKind::kAdmin) return PendingReason::kJobHeldAdmin;
  if (job.hold == HoldKind::kUser) return PendingReason::kJobHeldUser;
  switch (job.dependency.Overall()) {
    case DependencyStatus::kFailed:
      return PendingReason::kDependencyNeverSatisfied;
    case DependencyStatus::kUnfulfilled:
      return PendingReason::kDependency;
    case DependencyStatus::kFulfilled:
      break;
  }
  if (job.spec->begin_time && *job.spec->begin_time > now) return PendingReason::kBeginTime;
  if (job.eligible_time > now) return PendingReason::kBeginTime;
  return PendingReason::kNone;
}

PendingReason PartitionLimitReason(const Job& job, const Partition& p) {
  switch (p.state) {
    case PartitionStateKind::kDown:
      return PendingReason::kPartitionDown;
    case PartitionStateKind::kInactive:
      return PendingReason::kPartitionInactive;
    case PartitionStateKind::kUp:
    case PartitionStateKind::kDrain:  // DRAIN refuses new jobs; queued ones still run
      break;
  }
  if (p.max_time < job.time_limit) return PendingReason::kPartitionTimeLimit;
  uint32_t nodes = std::max<uint32_t>(job.min_nodes, 1);
  if (p.max_nodes && nodes > *p.max_nodes) return PendingReason::kPartitionNodeLimit;
  if (nodes > p.node_indexes.size()) return PendingReason::kPartitionNodeLimit;
  if (job.max_nodes != 0 && job.max_nodes < p.min_nodes) return PendingReason::kPartitionNodeLimit;
  return PendingReason::kNone;
}

PassResult RunPass(const PassInput& in, ResourceLedger& ledger) {
  PassResult out;
  std::vector<uint8_t> blocked(in.partitions.size(), 0);
  // Per partition: the first of its nodes that may have an unused CPU. Jobs only take
  // CPUs during a pass, so it only moves forward.
  std::vector<size_t> first_free(in.partitions.size(), 0);
  size_t blocked_count = 0;
  auto set_reason = [&](const Job& job, PendingReason r) {
    if (job.reason != r) out.reasons.push_back({job.id, r});
  };
  uint32_t examined = 0;
  for (const PassJob& pj : in.queue) {
    if (in.queue_depth != 0 && examined++ >= in.queue_depth) {
      out.depth_reached = true;
      break;
    }
    const Job& job = *pj.job;
    if (PendingReason own = JobOwnReason(job, in.now); own != PendingReason::kNone) {
      set_reason(job, own);
      continue;
    }
    // Every partition blocked: the rest wait behind higher-priority jobs.
    if (blocked_count == in.partitions.size() && !in.partitions.empty()) {
      set_reason(job, PendingReason::kPriority);
      continue;
    }
    ++out.considered;
    PendingReason reason = PendingReason::kNone;
    auto note = [&](PendingReason r) {
      // Resources outranks Priority outranks the job's own limits, as squeue would want
      // the most actionable reason shown.
      auto rank = [](PendingReason x) {
        return x == PendingReason::kResources ? 3 : x == PendingReason::kPriority ? 2 : 1;
      };
      if (reason == PendingReason::kNone || rank(r) > rank(reason)) reason = r;
    };
    bool started = false;
    for (uint16_t pi : pj.partitions) {
      const Partition& part = in.partitions[pi];
      if (blocked[pi]) {
        note(PendingReason::kPriority);
        continue;
      }
      if (PendingReason r = PartitionLimitReason(job, part); r != PendingReason::kNone) {
        note(r);
        continue;
      }
      if (pj.unknown_required_node) {
        note(PendingReason::kReqNodeNotAvail);
        continue;
      }
      MatchRequest req = in.select->BuildRequest(job, part);
      req.required.assign(pj.required.begin(), pj.required.end());
      req.excluded.assign(pj.excluded.begin(), pj.excluded.end());
      bool in_partition = std::all_of(req.required.begin(), req.required.end(), [&](uint32_t n) {
        return std::find(part.node_indexes.begin(), part.node_indexes.end(), n) !=
               part.node_indexes.end();
      });
      if (!in_partition) {
        note(PendingReason::kReqNodeNotAvail);
        continue;
      }
      // Nodes before first_free[pi] have no unused CPU: skipping them changes no plan of a
      // job that does not share CPUs.
      std::span<const uint32_t> nodes(part.node_indexes);
      size_t& ff = first_free[pi];
      while (ff < nodes.size() &&
             ledger.FreeCpus(nodes[ff], 1, false, false, LedgerView::kNow) == 0) {
        ++ff;
      }
      if (req.share_limit <= 1) nodes = nodes.subspan(ff);
      if (auto alloc = MatchAndTake(req, ledger, nodes)) {
        out.starts.push_back({job.id, pi, std::move(*alloc)});
        started = true;
        break;
      }
      if (Plan(req, ledger, part.node_indexes, LedgerView::kIfEmpty)) {
        note(PendingReason::kResources);
        blocked[pi] = 1;
        ++blocked_count;
      } else if (Plan(req, ledger, part.node_indexes, LedgerView::kIfEmptyAnyState)) {
        note(PendingReason::kReqNodeNotAvail);
      } else {
        note(PendingReason::kBadConstraints);
      }
    }
    if (!started)
      set_reason(job, reason == PendingReason::kNone ? PendingReason::kResources : reason);
  }
  return out;
}

}  // namespace drover::sched
