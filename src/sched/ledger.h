// ResourceLedger: what is free on every node right now: CPUs (per CPU, so an allocation
// names exact CPUs) and memory.
//
// A CPU is free (use 0), held by one job that does not share it (kExclusiveUse), or
// shared by 1..254 jobs that asked to share (OverSubscribe=YES with --oversubscribe, or
// FORCE), each sharer bounded by its own share limit. Memory is consumable when the
// ledger tracks it (SelectTypeParameters=CR_*_Memory); otherwise a job only needs a node
// with enough RealMemory. A whole-node allocation (--exclusive) needs an empty node and
// keeps everyone else off it.
//
// Invariant (checked by the property test): no node ever has more memory booked than it
// has (when tracked), a CPU is never both exclusively held and shared, and a shared CPU
// never has more sharers than the smallest limit among them allows.
//
// Owner: the controller's engine (or a simulator). Thread-safety: none; one owner.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "core/allocation.h"

namespace drover::sched {

struct NodeCapacity {
  uint32_t cpus = 1;
  uint32_t threads_per_core = 1;
  uint64_t memory_mb = 1;
};

// How a matcher wants to read free resources.
enum class LedgerView : uint8_t {
  kNow,              // free resources on schedulable nodes
  kIfEmpty,          // every schedulable node, as if no job ran
  kIfEmptyAnyState,  // every node in any state, as if no job ran
};

class ResourceLedger {
 public:
  static constexpr uint8_t kExclusiveUse = 0xFF;

  explicit ResourceLedger(bool track_memory = true) : track_memory_(track_memory) {}

  // Sets node `index` (growing the table) with nothing allocated on it.
  void SetNode(uint32_t index, NodeCapacity capacity, bool schedulable);
  void SetSchedulable(uint32_t index, bool schedulable);
  size_t size() const { return nodes_.size(); }
  bool track_memory() const { return track_memory_; }

  const NodeCapacity& capacity(uint32_t node) const { return nodes_[node].cap; }
  bool schedulable(uint32_t node) const { return nodes_[node].schedulable; }
  uint32_t jobs(uint32_t node) const { return nodes_[node].jobs; }
  uint64_t alloc_mem_mb(uint32_t node) const { return nodes_[node].alloc_mem; }
  // CPUs in use by any job.
  uint32_t alloc_cpus(uint32_t node) const { return nodes_[node].alloc_cpus; }

  // Whether the node may be used at all in `view`.
  bool Usable(uint32_t node, LedgerView view) const;
  // CPUs a new job could take on the node in `view`: with share_limit 1 only unused
  // CPUs; with n > 1 also CPUs shared by fewer than n jobs. With whole_cores, only CPUs
  // of cores whose every thread qualifies. Zero when a whole-node job holds the node, or
  // when `whole_node` is asked and the node is not empty.
  uint32_t FreeCpus(uint32_t node, uint8_t share_limit, bool whole_cores, bool whole_node,
                    LedgerView view) const;
  // Memory a new job could book on the node in `view` (capacity when not tracked).
  uint64_t FreeMemMb(uint32_t node, LedgerView view) const;

  // Picks `cpus` CPUs (lowest first; whole cores first-fit when asked) and books them
  // with `mem_mb`. Errors (kNodesBusy) when that would over-allocate; nothing changes.
  Result<NodeAllocation> Take(uint32_t node, uint32_t cpus, uint64_t mem_mb, uint8_t share_limit,
                              bool whole_cores, bool whole_node);
  // Books an allocation made earlier (recovery, replay). Errors (kNodesBusy) when it
  // would over-allocate; nothing changes then.
  Status Book(const NodeAllocation& alloc);
  // Returns what Take/Book booked. REQUIRES: `alloc` is booked.
  void Release(const NodeAllocation& alloc);

 private:
  struct Entry {
    NodeCapacity cap;
    bool schedulable = false;
    bool whole_node = false;
    uint32_t jobs = 0;
    uint32_t alloc_cpus = 0;
    uint64_t alloc_mem = 0;
    std::vector<uint8_t> use;        // per CPU: 0, sharers, or kExclusiveUse
    std::vector<uint8_t> min_limit;  // per CPU: the smallest share limit among its sharers
  };
  bool CpuFree(const Entry& e, uint32_t cpu, uint8_t share_limit, LedgerView view) const;

  bool track_memory_;
  std::vector<Entry> nodes_;
};

}  // namespace drover::sched
