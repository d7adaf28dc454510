#include "sched/backfill.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

namespace drover::sched {
namespace {

int64_t CeilTo(int64_t v, int64_t grid) { return grid <= 1 ? v : (v + grid - 1) / grid * grid; }

// Free CPUs per partition over time: a cheap upper bound that lets the search skip times
// when the partition as a whole has too few CPUs free for the job.
class PartitionLoad {
 public:
  PartitionLoad(std::span<const Partition> parts, size_t nodes) : free_now_(parts.size(), 0) {
    deltas_.resize(parts.size());
    node_parts_.resize(nodes);
    for (uint16_t p = 0; p < parts.size(); ++p) {
      for (uint32_t n : parts[p].node_indexes) {
        if (n < nodes) node_parts_[n].push_back(p);
      }
    }
  }
  void Now(uint32_t node, int64_t cpus) {
    for (uint16_t p : node_parts_[node]) free_now_[p] += cpus;
  }
  void At(uint32_t node, int64_t t, int64_t cpus) {
    if (t <= 0) return Now(node, cpus);
    if (t == Timeline::kForever) return;
    for (uint16_t p : node_parts_[node]) deltas_[p][t] += cpus;
  }
  // The least free CPUs of a partition over [s, e), for windows that only move forward
  // (a sliding-window minimum over the partition's step function).
  class WindowMin {
   public:
    WindowMin(const PartitionLoad& load, uint16_t p) {
      int64_t free = load.free_now_[p];
      t_.push_back(0);
      v_.push_back(free);
      for (const auto& [t, d] : load.deltas_[p]) {
        free += d;
        if (d == 0) continue;
        t_.push_back(t);
        v_.push_back(free);
      }
    }
    int64_t Min(int64_t s, int64_t e) {
      while (lo_ + 1 < t_.size() && t_[lo_ + 1] <= s) ++lo_;  // the step in force at s
      while (!dq_.empty() && dq_.front() < lo_) dq_.pop_front();
      for (; hi_ < t_.size() && (hi_ <= lo_ || t_[hi_] < e); ++hi_) {
        while (!dq_.empty() && v_[dq_.back()] >= v_[hi_]) dq_.pop_back();
        dq_.push_back(hi_);
      }
      while (!dq_.empty() && dq_.front() < lo_) dq_.pop_front();
      return dq_.empty() ? v_[lo_] : v_[dq_.front()];
    }

   private:
    std::vector<int64_t> t_, v_;
    size_t lo_ = 0, hi_ = 0;
    std::deque<size_t> dq_;
  };

 private:
  std::vector<int64_t> free_now_;
  std::vector<std::map<int64_t, int64_t>> deltas_;
  std::vector<std::vector<uint16_t>> node_parts_;
};

// The most of the request's tasks `node` can take if it offers `free` (0 when none).
uint32_t TasksOn(const MatchRequest& req, const ResourceLedger& ledger, uint32_t node,
                 FreeAmount free) {
  const NodeCapacity& cap = ledger.capacity(node);
  const bool track_mem = ledger.track_memory();
  if (!track_mem) free.mem_mb = cap.memory_mb;  // RealMemory is all that is checked
  if (req.whole_node) {
    if (free.cpus < cap.cpus || (track_mem && free.mem_mb < cap.memory_mb)) return 0;
  }
  uint32_t cpt = std::max<uint32_t>(req.cpus_per_task, 1);
  uint32_t tasks = free.cpus / cpt;
  if (req.ntasks_per_node > 0) tasks = std::min(tasks, req.ntasks_per_node);
  while (tasks > 0 && CpusForTasks(req, cap, tasks) > free.cpus) --tasks;
  if (tasks == 0) return 0;
  switch (req.mem) {
    case MemRequest::kNone:
      break;
    case MemRequest::kPerCpu:
      if (req.mem_mb > 0) {
        tasks = static_cast<uint32_t>(
            std::min<uint64_t>(tasks, free.mem_mb / (req.mem_mb * cpt)));
        while (tasks > 0 && MemForCpus(req, cap, CpusForTasks(req, cap, tasks)) > free.mem_mb) {
          --tasks;
        }
      }
      break;
    case MemRequest::kPerNode:
      if (req.mem_mb > free.mem_mb) return 0;
      break;
    case MemRequest::kWholeNode:
      if (free.mem_mb < cap.memory_mb) return 0;
      break;
  }
  return tasks;
}

}  // namespace

std::optional<std::vector<NodePlan>> PlanOnTimeline(const MatchRequest& req,
                                                    const Timeline& timeline,
                                                    const ResourceLedger& ledger,
                                                    std::span<const uint32_t> candidates,
                                                    int64_t start, int64_t end) {
  return PlanWithCapacity(req, ledger, candidates, [&](uint32_t node) -> uint32_t {
    if (!ledger.Usable(node, LedgerView::kNow) || node >= timeline.size()) return 0;
    return TasksOn(req, ledger, node, timeline.MinFree(node, start, end));
  });
}

BackfillResult RunBackfill(const BackfillInput& in, ResourceLedger& ledger) {
  BackfillResult out;
  const SchedulerParams& params = in.params;
  const int64_t grid = std::max<int64_t>(params.bf_resolution_s, 1);
  const int64_t window = std::max<int64_t>(params.bf_window_min, 1) * 60;
  const bool track_mem = ledger.track_memory();
  const size_t nodes = ledger.size();

  // The timeline now: what the ledger has free, then each running job's end.
  Timeline timeline(nodes);
  PartitionLoad load(in.partitions, nodes);
  for (uint32_t n = 0; n < nodes; ++n) {
    const NodeCapacity& cap = ledger.capacity(n);
    uint32_t cpus = cap.cpus - std::min(cap.cpus, ledger.alloc_cpus(n));
    uint64_t mem = track_mem ? cap.memory_mb - std::min(cap.memory_mb, ledger.alloc_mem_mb(n))
                             : cap.memory_mb;
    if (!ledger.schedulable(n)) cpus = 0;
    timeline.SetNode(n, {cap.cpus, cap.memory_mb}, {cpus, mem});
    load.Now(n, cpus);
  }
  std::set<int64_t> starts = {0};  // candidate start times: now and every release
  for (const RunningAlloc& r : in.running) {
    if (!r.alloc) continue;
    int64_t t = Timeline::kForever;
    if (r.end != TimePoint::max()) {
      // A job past its limit is about to be killed: free at the next grid point.
      t = std::max<int64_t>(
          grid, CeilTo(std::chrono::duration_cast<std::chrono::seconds>(r.end - in.now).count(),
                       grid));
    }
    for (const NodeAllocation& a : r.alloc->nodes) {
      if (a.node_index >= nodes) continue;
      // A shared CPU may still be held by another sharer: only memory comes back surely.
      uint32_t cpus = a.share_limit > 1 ? 0 : static_cast<uint32_t>(a.cpus.size());
      if (!ledger.schedulable(a.node_index)) cpus = 0;
      timeline.Release(a.node_index, t, {cpus, track_mem ? a.mem_mb : 0});
      load.At(a.node_index, t, cpus);
    }
    if (t <= window) starts.insert(t);
  }

  std::vector<uint32_t> reserved_in(in.partitions.size(), 0);
  std::unordered_map<uint32_t, uint32_t> per_user;
  for (const PassJob& pj : in.queue) {
    if (out.examined >= params.bf_max_job_test) break;
    const Job& job = *pj.job;
    if (JobOwnReason(job, in.now) != PendingReason::kNone || pj.unknown_required_node) continue;
    if (params.bf_max_job_user > 0) {
      uint32_t& n = per_user[job.spec->uid];
      if (n >= params.bf_max_job_user) continue;
      ++n;
    }
    ++out.examined;
    const int64_t duration =
        job.time_limit.infinite() ? Timeline::kForever
                                  : std::max<int64_t>(CeilTo(job.time_limit.seconds(), grid), grid);
    auto end_of = [&](int64_t s) {
      return duration == Timeline::kForever ? Timeline::kForever : s + duration;
    };

    struct Best {
      int64_t start = Timeline::kForever;
      uint16_t partition = 0;
      std::vector<NodePlan> plan;
      MatchRequest req;
    } best;
    for (uint16_t pi : pj.partitions) {
      const Partition& part = in.partitions[pi];
      if (PartitionLimitReason(job, part) != PendingReason::kNone) continue;
      MatchRequest req = in.select->BuildRequest(job, part);
      req.required.assign(pj.required.begin(), pj.required.end());
      req.excluded.assign(pj.excluded.begin(), pj.excluded.end());
      bool in_partition = std::all_of(req.required.begin(), req.required.end(), [&](uint32_t n) {
        return std::find(part.node_indexes.begin(), part.node_indexes.end(), n) !=
               part.node_indexes.end();
      });
      if (!in_partition) continue;
      const int64_t need = int64_t{std::max(req.ntasks, 1u)} * std::max(req.cpus_per_task, 1u);
      PartitionLoad::WindowMin agg(load, pi);
      for (int64_t s : starts) {
        if (s > window || s >= best.start) break;
        if (agg.Min(s, end_of(s)) < need) continue;
        auto plan = PlanOnTimeline(req, timeline, ledger, part.node_indexes, s, end_of(s));
        if (!plan) continue;
        best.start = s;
        best.partition = pi;
        best.plan = std::move(*plan);
        best.req = req;
        break;
      }
    }
    if (best.start == Timeline::kForever) continue;  // nothing within the window

    if (best.start == 0) {
      // Book the exact CPUs; each node takes what the plan counted, never more, so every
      // reservation keeps what it was promised.
      Allocation alloc;
      bool ok = true;
      for (const NodePlan& p : best.plan) {
        auto taken = ledger.Take(p.node, p.cpus, track_mem ? p.mem_mb : 0, best.req.share_limit,
                                 best.req.whole_cores, best.req.whole_node);
        if (!taken) {
          ok = false;
          break;
        }
        alloc.nodes.push_back(std::move(*taken));
      }
      if (!ok) {
        for (const auto& a : alloc.nodes) ledger.Release(a);
        continue;
      }
      for (const NodeAllocation& a : alloc.nodes) {
        uint32_t cpus = static_cast<uint32_t>(a.cpus.size());
        timeline.Book(a.node_index, 0, end_of(0), {cpus, track_mem ? a.mem_mb : 0});
        load.Now(a.node_index, -int64_t{cpus});
        if (a.share_limit <= 1) load.At(a.node_index, end_of(0), cpus);
        // A shared allocation's CPUs stay counted as held (see the running jobs above).
        if (a.share_limit > 1) timeline.Book(a.node_index, end_of(0), Timeline::kForever, {cpus, 0});
      }
      if (end_of(0) <= window) starts.insert(end_of(0));
      out.starts.push_back({job.id, best.partition, std::move(alloc)});
      continue;
    }

    const uint32_t depth = params.bf_job_part_count_reserve;
    bool reserve = depth == 0 || reserved_in[best.partition] < depth;
    if (reserve) {
      ++reserved_in[best.partition];
      const int64_t end = end_of(best.start);
      for (const NodePlan& p : best.plan) {
        timeline.Book(p.node, best.start, end, {p.cpus, track_mem ? p.mem_mb : 0});
        load.At(p.node, best.start, -int64_t{p.cpus});
        load.At(p.node, end, p.cpus);
      }
      if (end <= window) starts.insert(end);
    }
    out.planned.push_back({job.id, best.partition, in.now + std::chrono::seconds(best.start),
                           reserve, std::move(best.plan)});
  }
  return out;
}

}  // namespace drover::sched
