#include "sim/simulator.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <numeric>
#include <queue>
#include <unordered_map>

#include "sched/backfill.h"
#include "sched/pass.h"
#include "sched/policy/select_cons_tres.h"

namespace drover::sim {
namespace {

using Clock = std::chrono::steady_clock;

// An arbitrary epoch for the virtual clock: trace second s is kEpoch + s.
const TimePoint kEpoch = TimePoint{} + std::chrono::seconds(1'000'000'000);

TimePoint At(int64_t s) { return kEpoch + std::chrono::seconds(s); }

// Every job asks for the one partition.
const uint16_t kOnlyPartition[1] = {0};

struct Queued {
  std::unique_ptr<Job> job;
  size_t index;  // into the workload
};

struct Running {
  std::unique_ptr<Job> job;
  size_t index;
  int64_t end_s;
};

class Simulation {
 public:
  Simulation(std::span<const SimJob> jobs, const SimConfig& config)
      : jobs_(jobs), config_(config), ledger_(/*track_memory=*/false),
        select_("CR_CPU", std::nullopt, std::nullopt) {
    Partition p;
    p.name = "sim";
    p.is_default = true;
    for (uint32_t n = 0; n < config.nodes; ++n) {
      ledger_.SetNode(n, {config.cpus_per_node, 1, 1}, true);
      p.node_indexes.push_back(n);
    }
    partitions_.push_back(std::move(p));
    params_ = config.params;
    params_.bf_job_part_count_reserve = config.mode == SimMode::kEasy ? 1 : 0;
    order_.resize(jobs.size());
    std::iota(order_.begin(), order_.end(), size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return jobs[a].submit_s < jobs[b].submit_s; });
  }

  SimResult Run() {
    const auto t0 = Clock::now();
    const uint64_t total_cpus = uint64_t{config_.nodes} * config_.cpus_per_node;
    const bool backfill = config_.mode != SimMode::kFifo;
    size_t next = 0;
    int64_t last_bf = INT64_MIN / 2;
    bool bf_dirty = false;
    while (true) {
      int64_t t = INT64_MAX;
      if (next < order_.size()) t = jobs_[order_[next]].submit_s;
      if (!ends_.empty()) t = std::min(t, ends_.top().first);
      if (backfill && bf_dirty && !queue_.empty()) t = std::min(t, last_bf + params_.bf_interval_s);
      if (t == INT64_MAX) break;
      bool changed = false;
      while (!ends_.empty() && ends_.top().first <= t) {
        Finish(ends_.top().second, t);
        ends_.pop();
        changed = true;
      }
      for (; next < order_.size() && jobs_[order_[next]].submit_s <= t; ++next) {
        const SimJob& sj = jobs_[order_[next]];
        if (sj.cpus > total_cpus) {
          ++result_.too_large;
          continue;
        }
        queue_.push_back({MakeJob(sj, t), order_[next]});
        changed = true;
      }
      if (changed) {
        bf_dirty = true;
        MainPasses(t);
      }
      if (backfill && bf_dirty && !queue_.empty() && t - last_bf >= params_.bf_interval_s) {
        last_bf = t;
        bf_dirty = false;
        BackfillPass(t);
      }
      if (queue_.empty()) bf_dirty = false;
    }
    result_.metrics = ComputeMetrics(outcomes_, total_cpus);
    if (config_.keep_outcomes) result_.outcomes = std::move(outcomes_);
    result_.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
    return std::move(result_);
  }

 private:
  std::unique_ptr<Job> MakeJob(const SimJob& sj, int64_t t) {
    auto spec = std::make_shared<JobSpec>();
    spec->ntasks = sj.cpus;
    spec->uid = sj.user;
    auto job = std::make_unique<Job>();
    job->id = static_cast<JobId>(sj.id);
    job->spec = std::move(spec);
    job->submit_seq = ++seq_;
    job->time_limit = Duration::FromSeconds(sj.limit_s);
    job->submit_time = job->eligible_time = At(t);
    return job;
  }

  // Builds the pass's view of the first `count` queued jobs.
  std::vector<sched::PassJob> Window(size_t count) const {
    std::vector<sched::PassJob> q;
    q.reserve(std::min(count, queue_.size()));
    for (size_t i = 0; i < queue_.size() && i < count; ++i) {
      q.push_back({queue_[i].job.get(), kOnlyPartition, {}, {}});
    }
    return q;
  }

  // Moves started jobs from the queue to the running set. `starts` come from a pass over
  // the first jobs of the queue.
  void Start(std::vector<sched::StartDecision>& starts, size_t window, int64_t t,
             bool backfilled) {
    if (starts.empty()) return;
    std::unordered_map<JobId, sched::StartDecision*> by_id;
    for (auto& s : starts) by_id[s.job] = &s;
    std::vector<size_t> gone;
    for (size_t i = 0; i < window && i < queue_.size(); ++i) {
      auto it = by_id.find(queue_[i].job->id);
      if (it == by_id.end()) continue;
      Queued& q = queue_[i];
      const SimJob& sj = jobs_[q.index];
      q.job->state = JobState::kRunning;
      q.job->start_time = At(t);
      q.job->backfilled = backfilled;
      q.job->alloc = std::move(it->second->alloc);
      const int64_t end = t + sj.run_s;
      const JobId id = q.job->id;
      ends_.push({end, id});
      running_.emplace(id, Running{std::move(q.job), q.index, end});
      gone.push_back(i);
    }
    // Started jobs sit near the front: erasing them there moves few entries.
    for (auto it = gone.rbegin(); it != gone.rend(); ++it) queue_.erase(queue_.begin() + *it);
    if (backfilled) result_.started_by_backfill += starts.size();
  }

  void Finish(JobId id, int64_t t) {
    auto it = running_.find(id);
    if (it == running_.end()) return;
    Running& r = it->second;
    for (const auto& a : r.job->alloc.nodes) ledger_.Release(a);
    const SimJob& sj = jobs_[r.index];
    int64_t start = (r.job->start_time - kEpoch) / std::chrono::seconds(1);
    outcomes_.push_back({sj.submit_s, start, t, sj.cpus, r.job->backfilled});
    running_.erase(it);
  }

  void Charge(PassCost& cost, Clock::time_point t0) {
    double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    ++cost.cycles;
    cost.total_us += us;
    cost.max_us = std::max(cost.max_us, us);
  }

  // The main pass over the first default_queue_depth jobs, again while it started every
  // job it looked at and more wait.
  void MainPasses(int64_t t) {
    const size_t depth = params_.default_queue_depth ? params_.default_queue_depth : SIZE_MAX;
    while (!queue_.empty()) {
      auto q = Window(depth);
      const auto t0 = Clock::now();
      sched::PassResult r = sched::RunPass({At(t), q, partitions_, &select_}, ledger_);
      Charge(result_.main, t0);
      const size_t started = r.starts.size();
      Start(r.starts, q.size(), t, false);
      if (started < q.size() || queue_.empty()) break;
    }
  }

  void BackfillPass(int64_t t) {
    auto q = Window(params_.bf_max_job_test);
    std::vector<sched::RunningAlloc> running;
    running.reserve(running_.size());
    for (const auto& [id, r] : running_) {
      running.push_back({&r.job->alloc, r.job->start_time + std::chrono::seconds(
                                                                r.job->time_limit.seconds())});
    }
    const auto t0 = Clock::now();
    sched::BackfillResult r =
        sched::RunBackfill({At(t), q, partitions_, &select_, running, params_}, ledger_);
    Charge(result_.backfill, t0);
    Start(r.starts, q.size(), t, true);
  }

  std::span<const SimJob> jobs_;
  SimConfig config_;
  sched::SchedulerParams params_;
  sched::ResourceLedger ledger_;
  sched::ConsTresSelect select_;
  std::vector<Partition> partitions_;
  std::vector<size_t> order_;
  std::deque<Queued> queue_;
  std::unordered_map<JobId, Running> running_;
  std::priority_queue<std::pair<int64_t, JobId>, std::vector<std::pair<int64_t, JobId>>,
                      std::greater<>>
      ends_;
  std::vector<JobOutcome> outcomes_;
  SimResult result_;
  uint64_t seq_ = 0;
};

}  // namespace

std::string_view SimModeName(SimMode mode) {
  switch (mode) {
    case SimMode::kFifo:
      return "fifo";
    case SimMode::kEasy:
      return "easy";
    case SimMode::kFull:
      return "backfill";
  }
  return "?";
}

Result<SimResult> Simulate(std::span<const SimJob> jobs, const SimConfig& config) {
  if (config.nodes == 0 || config.cpus_per_node == 0) {
    return Error(ErrorCode::kInvalidArgument, "the simulated cluster needs nodes and CPUs");
  }
  if (config.cpus_per_node > 65535) {
    return Error(ErrorCode::kInvalidArgument, "at most 65535 CPUs per node");
  }
  return Simulation(jobs, config).Run();
}

}  // namespace drover::sim
