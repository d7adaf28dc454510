#include "sched/ledger.h"

#include <algorithm>

namespace drover::sched {

void ResourceLedger::SetNode(uint32_t index, NodeCapacity capacity, bool schedulable) {
  if (index >= nodes_.size()) nodes_.resize(index + 1);
  Entry& e = nodes_[index];
  e = Entry{};
  if (capacity.cpus == 0) capacity.cpus = 1;
  if (capacity.threads_per_core == 0) capacity.threads_per_core = 1;
  e.cap = capacity;
  e.schedulable = schedulable;
  e.use.assign(capacity.cpus, 0);
  e.min_limit.assign(capacity.cpus, 0);
}

void ResourceLedger::SetSchedulable(uint32_t index, bool schedulable) {
  nodes_[index].schedulable = schedulable;
}

bool ResourceLedger::Usable(uint32_t node, LedgerView view) const {
  if (node >= nodes_.size()) return false;
  return view == LedgerView::kIfEmptyAnyState || nodes_[node].schedulable;
}

bool ResourceLedger::CpuFree(const Entry& e, uint32_t cpu, uint8_t share_limit,
                             LedgerView view) const {
  if (view != LedgerView::kNow) return true;
  uint8_t u = e.use[cpu];
  if (u == 0) return true;
  if (u == kExclusiveUse || share_limit <= 1) return false;
  return u < share_limit && u < e.min_limit[cpu];
}

uint32_t ResourceLedger::FreeCpus(uint32_t node, uint8_t share_limit, bool whole_cores,
                                  bool whole_node, LedgerView view) const {
  if (!Usable(node, view)) return 0;
  const Entry& e = nodes_[node];
  if (view == LedgerView::kNow && (e.whole_node || (whole_node && e.jobs > 0))) return 0;
  uint32_t tpc = whole_cores ? e.cap.threads_per_core : 1;
  // Unshared CPUs one at a time: exactly the CPUs no job uses, without looking at each.
  if (share_limit <= 1 && tpc == 1) {
    return view == LedgerView::kNow ? e.cap.cpus - e.alloc_cpus : e.cap.cpus;
  }
  uint32_t free = 0;
  for (uint32_t c = 0; c + tpc <= e.cap.cpus; c += tpc) {
    bool ok = true;
    for (uint32_t t = 0; t < tpc && ok; ++t) ok = CpuFree(e, c + t, share_limit, view);
    if (ok) free += tpc;
  }
  return free;
}

uint64_t ResourceLedger::FreeMemMb(uint32_t node, LedgerView view) const {
  if (!Usable(node, view)) return 0;
  const Entry& e = nodes_[node];
  if (!track_memory_ || view != LedgerView::kNow) return e.cap.memory_mb;
  if (e.whole_node) return 0;
  return e.alloc_mem >= e.cap.memory_mb ? 0 : e.cap.memory_mb - e.alloc_mem;
}

Result<NodeAllocation> ResourceLedger::Take(uint32_t node, uint32_t cpus, uint64_t mem_mb,
                                            uint8_t share_limit, bool whole_cores,
                                            bool whole_node) {
  if (node >= nodes_.size()) return Error(ErrorCode::kInvalidNodeName, "no such node index");
  const Entry& e = nodes_[node];
  NodeAllocation a;
  a.node_index = node;
  a.mem_mb = mem_mb;
  a.share_limit = share_limit == 0 ? 1 : share_limit;
  a.whole_node = whole_node;
  uint32_t tpc = whole_cores ? e.cap.threads_per_core : 1;
  for (uint32_t c = 0; c + tpc <= e.cap.cpus && a.cpus.size() < cpus; c += tpc) {
    bool ok = true;
    for (uint32_t t = 0; t < tpc && ok; ++t)
      ok = CpuFree(e, c + t, a.share_limit, LedgerView::kNow);
    if (!ok) continue;
    for (uint32_t t = 0; t < tpc; ++t) a.cpus.push_back(static_cast<uint16_t>(c + t));
  }
  if (a.cpus.size() < cpus) return Error(ErrorCode::kNodesBusy, "not enough free CPUs");
  RETURN_IF_ERROR(Book(a));
  return a;
}

Status ResourceLedger::Book(const NodeAllocation& a) {
  if (a.node_index >= nodes_.size()) return Error(ErrorCode::kInvalidNodeName, a.node);
  Entry& e = nodes_[a.node_index];
  Error busy(ErrorCode::kNodesBusy, "allocation does not fit", a.node);
  if (e.whole_node || (a.whole_node && e.jobs > 0)) return busy;
  if (track_memory_ && e.alloc_mem + a.mem_mb > e.cap.memory_mb) return busy;
  uint8_t limit = a.share_limit == 0 ? 1 : a.share_limit;
  for (uint16_t c : a.cpus) {
    if (c >= e.cap.cpus || !CpuFree(e, c, limit, LedgerView::kNow)) return busy;
  }
  for (size_t i = 1; i < a.cpus.size(); ++i) {
    if (a.cpus[i] <= a.cpus[i - 1]) return busy;  // duplicates would double-book
  }
  for (uint16_t c : a.cpus) {
    if (e.use[c] == 0) ++e.alloc_cpus;
    if (limit <= 1) {
      e.use[c] = kExclusiveUse;
    } else {
      e.min_limit[c] = e.use[c] == 0 ? limit : std::min(e.min_limit[c], limit);
      ++e.use[c];
    }
  }
  e.alloc_mem += a.mem_mb;
  e.whole_node = a.whole_node;
  ++e.jobs;
  return Ok();
}

void ResourceLedger::Release(const NodeAllocation& a) {
  if (a.node_index >= nodes_.size()) return;
  Entry& e = nodes_[a.node_index];
  for (uint16_t c : a.cpus) {
    if (c >= e.cap.cpus || e.use[c] == 0) continue;
    if (e.use[c] == kExclusiveUse) {
      e.use[c] = 0;
    } else {
      --e.use[c];
    }
    // The remaining sharers' smallest limit is not tracked per sharer; keeping the old
    // (smaller or equal) bound is conservative and resets once the CPU is free.
    if (e.use[c] == 0) {
      e.min_limit[c] = 0;
      --e.alloc_cpus;
    }
  }
  e.alloc_mem = e.alloc_mem >= a.mem_mb ? e.alloc_mem - a.mem_mb : 0;
  if (a.whole_node) e.whole_node = false;
  if (e.jobs > 0) --e.jobs;
}

}  // namespace drover::sched
