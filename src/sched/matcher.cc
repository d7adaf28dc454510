#include "sched/matcher.h"

#include <algorithm>

namespace drover::sched {
namespace {

uint64_t CeilDiv(uint64_t a, uint64_t b) { return b == 0 ? 0 : (a + b - 1) / b; }

// The most tasks the node can take now (0 when none).
uint32_t TaskCapacity(const MatchRequest& req, const ResourceLedger& ledger, uint32_t node,
                      LedgerView view) {
  if (!ledger.Usable(node, view)) return 0;
  const NodeCapacity& cap = ledger.capacity(node);
  uint32_t free_cpus =
      ledger.FreeCpus(node, req.share_limit, req.whole_cores, req.whole_node, view);
  if (req.whole_node && free_cpus < cap.cpus) return 0;
  uint32_t cpt = std::max<uint32_t>(req.cpus_per_task, 1);
  uint32_t tasks = free_cpus / cpt;
  if (req.ntasks_per_node > 0) tasks = std::min(tasks, req.ntasks_per_node);
  uint64_t free_mem = ledger.FreeMemMb(node, view);
  if (req.mem == MemRequest::kPerCpu && req.mem_mb > 0) {
    uint64_t by_mem = free_mem / (req.mem_mb * cpt);
    tasks = static_cast<uint32_t>(std::min<uint64_t>(tasks, by_mem));
    while (tasks > 0 && MemForCpus(req, cap, CpusForTasks(req, cap, tasks)) > free_mem) --tasks;
  } else if (tasks > 0 && MemForCpus(req, cap, 0) > free_mem) {
    return 0;
  }
  if (req.mem == MemRequest::kWholeNode && ledger.track_memory() && view == LedgerView::kNow &&
      ledger.alloc_mem_mb(node) > 0) {
    return 0;
  }
  return tasks;
}

}  // namespace

uint32_t CpusForTasks(const MatchRequest& req, const NodeCapacity& cap, uint32_t tasks) {
  uint64_t cpus = uint64_t{tasks} * std::max<uint32_t>(req.cpus_per_task, 1);
  if (req.whole_cores && cap.threads_per_core > 1) {
    cpus = CeilDiv(cpus, cap.threads_per_core) * cap.threads_per_core;
  }
  return static_cast<uint32_t>(std::min<uint64_t>(cpus, UINT32_MAX));
}

uint64_t MemForCpus(const MatchRequest& req, const NodeCapacity& cap, uint32_t cpus) {
  switch (req.mem) {
    case MemRequest::kNone:
      return 0;
    case MemRequest::kPerNode:
      return req.mem_mb;
    case MemRequest::kPerCpu:
      return req.mem_mb * cpus;
    case MemRequest::kWholeNode:
      return cap.memory_mb;
  }
  return 0;
}

std::optional<std::vector<NodePlan>> Plan(const MatchRequest& req, const ResourceLedger& ledger,
                                          std::span<const uint32_t> candidates, LedgerView view) {
  return PlanWithCapacity(req, ledger, candidates,
                          [&](uint32_t node) { return TaskCapacity(req, ledger, node, view); });
}

std::optional<std::vector<NodePlan>> PlanWithCapacity(
    const MatchRequest& req, const ResourceLedger& ledger, std::span<const uint32_t> candidates,
    const std::function<uint32_t(uint32_t node)>& task_capacity) {
  const uint32_t min_nodes = std::max<uint32_t>(req.min_nodes, 1);
  const uint32_t max_nodes = req.max_nodes == 0 ? UINT32_MAX : req.max_nodes;
  const uint32_t ntasks = std::max(req.ntasks, 1u);
  if (min_nodes > max_nodes || req.required.size() > max_nodes) return std::nullopt;

  std::vector<NodePlan> plan;
  std::vector<uint32_t> caps;
  uint64_t capacity_sum = 0;
  auto add = [&](uint32_t node, uint32_t cap) {
    plan.push_back({node, 0, 0, 0});
    caps.push_back(cap);
    capacity_sum += cap;
  };
  for (uint32_t node : req.required) {
    uint32_t cap = task_capacity(node);
    if (cap == 0) return std::nullopt;
    add(node, cap);
  }
  for (uint32_t node : candidates) {
    if (plan.size() >= max_nodes) break;
    if (plan.size() >= min_nodes && capacity_sum >= ntasks) break;
    if (std::find(req.required.begin(), req.required.end(), node) != req.required.end()) continue;
    if (std::binary_search(req.excluded.begin(), req.excluded.end(), node)) continue;
    uint32_t cap = task_capacity(node);
    if (cap > 0) add(node, cap);
  }
  if (plan.size() < min_nodes || capacity_sum < ntasks || plan.size() > ntasks) {
    return std::nullopt;
  }
  // One task per node, then fill in order.
  uint32_t left = ntasks;
  for (auto& p : plan) p.tasks = 1, --left;
  for (size_t i = 0; i < plan.size() && left > 0; ++i) {
    uint32_t more = std::min(caps[i] - plan[i].tasks, left);
    plan[i].tasks += more;
    left -= more;
  }
  for (auto& p : plan) {
    const NodeCapacity& cap = ledger.capacity(p.node);
    p.cpus = req.whole_node ? cap.cpus : CpusForTasks(req, cap, p.tasks);
    p.mem_mb = MemForCpus(req, cap, p.cpus);
  }
  return plan;
}

std::optional<Allocation> MatchAndTake(const MatchRequest& req, ResourceLedger& ledger,
                                       std::span<const uint32_t> candidates) {
  auto plan = Plan(req, ledger, candidates, LedgerView::kNow);
  if (!plan) return std::nullopt;
  Allocation alloc;
  for (const auto& p : *plan) {
    auto taken =
        ledger.Take(p.node, p.cpus, p.mem_mb, req.share_limit, req.whole_cores, req.whole_node);
    if (!taken) {
      for (const auto& a : alloc.nodes) ledger.Release(a);
      return std::nullopt;
    }
    alloc.nodes.push_back(std::move(*taken));
  }
  return alloc;
}

}  // namespace drover::sched
