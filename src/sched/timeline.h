// Timeline: what each node will have free from now on, as the backfill pass plans it:
// the CPUs and memory free now, then the changes to come (running jobs reaching their
// time limits give resources back; reservations take them over an interval and give them
// back). Times are seconds after `now` (0 is now); kForever is never.
//
// CPUs are counted, not named: the plan says "4 CPUs of n3 from t=600", and the pass that
// starts a job books exact CPUs in the ledger. A CPU shared by several jobs counts as
// used until the last of them could end, which only ever makes the plan more cautious.
//
// Cost: a node's changes are a short sorted vector (its running jobs and reservations),
// so MinFree is linear in them.
// Owner: one backfill pass. Thread-safety: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace drover::sched {

struct FreeAmount {
  uint32_t cpus = 0;
  uint64_t mem_mb = 0;
};

class Timeline {
 public:
  static constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

  explicit Timeline(size_t nodes = 0) : nodes_(nodes) {}
  size_t size() const { return nodes_.size(); }

  // The node's capacity and what is free on it now; clears its changes.
  void SetNode(uint32_t node, FreeAmount capacity, FreeAmount free_now);
  const FreeAmount& capacity(uint32_t node) const { return nodes_[node].cap; }

  // `amount` comes back on `node` at `t` (> 0): a running job's end.
  void Release(uint32_t node, int64_t t, FreeAmount amount);
  // `amount` is taken on `node` over [start, end) (end may be kForever).
  void Book(uint32_t node, int64_t start, int64_t end, FreeAmount amount);

  // The least free on `node` at any time in [start, end) (start < end).
  FreeAmount MinFree(uint32_t node, int64_t start, int64_t end) const;
  // What is free on `node` at `t`.
  FreeAmount FreeAt(uint32_t node, int64_t t) const { return MinFree(node, t, t + 1); }

 private:
  struct Change {
    int64_t t;
    int64_t cpus;
    int64_t mem;
  };
  struct NodeLine {
    FreeAmount cap;
    int64_t cpus_now = 0;
    int64_t mem_now = 0;
    std::vector<Change> changes;  // sorted by t
  };
  void Add(NodeLine& line, Change c);

  std::vector<NodeLine> nodes_;
};

}  // namespace drover::sched
