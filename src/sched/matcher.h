// Matcher: cons_tres first fit. Given a job's resource request and a ledger, picks nodes
// in the candidates' order (the partition's node order) and CPUs on them, or says no.
//
// Required nodes (-w) are taken first and must all be used; excluded nodes (-x) never.
// Nodes are then added while the job still needs tasks or nodes, up to max_nodes. Each
// chosen node first gets one task, then the remaining tasks fill nodes in order up to
// their capacity (ntasks-per-node caps it). CPUs per node are tasks x cpus-per-task,
// rounded up to whole cores with CR_Core; a whole-node job takes every CPU.
//
// Pure: no clock, no I/O. Thread-safety: const over the ledger.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/allocation.h"
#include "sched/ledger.h"

namespace drover::sched {

enum class MemRequest : uint8_t {
  kNone,       // memory is not a constraint
  kPerNode,    // mem_mb on every node
  kPerCpu,     // mem_mb per allocated CPU
  kWholeNode,  // all of each node's memory (--mem=0, or no default with CR_*_Memory)
};

struct MatchRequest {
  uint32_t min_nodes = 1;
  uint32_t max_nodes = 0;  // 0: unbounded
  uint32_t ntasks = 1;
  uint32_t cpus_per_task = 1;
  uint32_t ntasks_per_node = 0;  // 0: no cap
  MemRequest mem = MemRequest::kNone;
  uint64_t mem_mb = 0;
  bool whole_node = false;         // --exclusive, OverSubscribe=EXCLUSIVE
  uint8_t share_limit = 1;         // >1: may share CPUs with up to this many jobs
  bool whole_cores = false;        // CR_Core: allocate whole cores
  std::vector<uint32_t> required;  // node indexes that must all be used
  std::vector<uint32_t> excluded;  // node indexes never used (sorted)
};

// The planned use of one node, before CPUs are picked.
struct NodePlan {
  uint32_t node = 0;
  uint32_t tasks = 0;
  uint32_t cpus = 0;
  uint64_t mem_mb = 0;
};

// CPUs `tasks` tasks take on a node: tasks x cpus-per-task, whole cores when asked.
uint32_t CpusForTasks(const MatchRequest& req, const NodeCapacity& cap, uint32_t tasks);
// Memory the request books on a node where it takes `cpus` CPUs.
uint64_t MemForCpus(const MatchRequest& req, const NodeCapacity& cap, uint32_t cpus);

// A plan when the request fits `candidates` in `view`, else nullopt.
std::optional<std::vector<NodePlan>> Plan(const MatchRequest& req, const ResourceLedger& ledger,
                                          std::span<const uint32_t> candidates, LedgerView view);

// The node choice Plan() makes, given how many of the request's tasks each node can take
// (0: none); the backfill pass plans with a timeline's counts through it.
std::optional<std::vector<NodePlan>> PlanWithCapacity(
    const MatchRequest& req, const ResourceLedger& ledger, std::span<const uint32_t> candidates,
    const std::function<uint32_t(uint32_t node)>& task_capacity);

// Plans against free resources and books the plan. nullopt (nothing booked) when it
// does not fit now.
std::optional<Allocation> MatchAndTake(const MatchRequest& req, ResourceLedger& ledger,
                                       std::span<const uint32_t> candidates);

}  // namespace drover::sched
