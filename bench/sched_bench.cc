// Scheduler benchmark: the controller's passes at scale, and the simulator over a large
// synthetic trace. Prints its figures (wall time on this machine); see bench/RESULTS.md.
//
//   sched_bench [--nodes 10000] [--cpus 32] [--pending 100000] [--sim-jobs 1000000]
//               [--skip-sim]
//
// 1. Main pass: 100,000 pending jobs (1-64 CPUs each, random time limits) on 10,000
//    nodes, once on an empty cluster (it starts jobs until the cluster is full, then
//    every later job waits behind the first that does not fit) and once on a full one.
// 2. Backfill pass over the same queue, on the cluster the first main pass filled (the
//    running jobs end at random times within a day): with Slurm's default
//    bf_max_job_test=500 and with every pending job examined.
// 3. The simulator: a 1,000,000-job synthetic trace on 10,000 nodes, EASY backfill.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sched/backfill.h"
#include "sched/pass.h"
#include "sched/policy/select_cons_tres.h"
#include "sim/simulator.h"
#include "sim/synthetic.h"

namespace {

using namespace drover;
using Steady = std::chrono::steady_clock;

double MsSince(Steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t0).count();
}

struct Options {
  uint32_t nodes = 10000, cpus = 32;
  uint32_t pending = 100000;
  uint64_t sim_jobs = 1000000;
  bool sim = true;
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return i + 1 < argc ? std::strtoull(argv[++i], nullptr, 10) : 0ull; };
    if (!std::strcmp(argv[i], "--nodes")) o.nodes = static_cast<uint32_t>(next());
    else if (!std::strcmp(argv[i], "--cpus")) o.cpus = static_cast<uint32_t>(next());
    else if (!std::strcmp(argv[i], "--pending")) o.pending = static_cast<uint32_t>(next());
    else if (!std::strcmp(argv[i], "--sim-jobs")) o.sim_jobs = next();
    else if (!std::strcmp(argv[i], "--skip-sim")) o.sim = false;
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = Parse(argc, argv);
  const TimePoint now = TimePoint{} + std::chrono::seconds(1'000'000'000);
  sched::ConsTresSelect select("CR_CPU", std::nullopt, std::nullopt);
  sched::ResourceLedger ledger(false);
  Partition part;
  part.name = "batch";
  for (uint32_t n = 0; n < opt.nodes; ++n) {
    ledger.SetNode(n, {opt.cpus, 1, 1}, true);
    part.node_indexes.push_back(n);
  }
  std::vector<Partition> parts = {part};
  static const uint16_t kPart[1] = {0};

  std::mt19937_64 rng(42);
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<sched::PassJob> queue;
  for (uint32_t i = 0; i < opt.pending; ++i) {
    auto spec = std::make_shared<JobSpec>();
    spec->ntasks = 1 + static_cast<uint32_t>(rng() % 64);
    spec->uid = static_cast<uint32_t>(rng() % 500);
    auto job = std::make_unique<Job>();
    job->id = i + 1;
    job->spec = spec;
    job->submit_seq = i + 1;
    job->time_limit = Duration::FromMinutes(1 + static_cast<int64_t>(rng() % 1440));
    queue.push_back({job.get(), kPart, {}, {}});
    jobs.push_back(std::move(job));
  }
  std::printf("cluster: %u nodes x %u CPUs; %u pending jobs\n", opt.nodes, opt.cpus,
              opt.pending);

  // 1. Main pass on the empty cluster, then again on the now-full one.
  auto t0 = Steady::now();
  sched::PassResult first = sched::RunPass({now, queue, parts, &select}, ledger);
  double ms_empty = MsSince(t0);
  std::printf("main pass, empty cluster: %.1f ms (%zu started, %u examined)\n", ms_empty,
              first.starts.size(), first.considered);
  std::vector<bool> started(opt.pending + 1, false);
  for (const auto& s : first.starts) started[s.job] = true;
  std::vector<sched::PassJob> rest;
  for (const auto& q : queue)
    if (!started[q.job->id]) rest.push_back(q);
  t0 = Steady::now();
  sched::PassResult second = sched::RunPass({now, rest, parts, &select}, ledger);
  std::printf("main pass, full cluster:  %.1f ms (%zu pending, %zu started)\n", MsSince(t0),
              rest.size(), second.starts.size());

  // 2. Backfill over what is left; the running jobs end within a day.
  std::vector<Allocation> allocs;
  allocs.reserve(first.starts.size());
  for (auto& s : first.starts) allocs.push_back(s.alloc);
  std::vector<sched::RunningAlloc> running;
  for (auto& a : allocs)
    running.push_back({&a, now + std::chrono::seconds(60 + rng() % 86400)});
  for (uint32_t test : {500u, opt.pending}) {
    sched::ResourceLedger copy = ledger;
    sched::SchedulerParams params;
    params.bf_max_job_test = test;
    t0 = Steady::now();
    sched::BackfillResult bf =
        sched::RunBackfill({now, rest, parts, &select, running, params}, copy);
    std::printf(
        "backfill pass, bf_max_job_test=%u: %.1f ms (%u examined, %zu started, %zu planned)\n",
        test, MsSince(t0), bf.examined, bf.starts.size(), bf.planned.size());
  }

  // 3. The simulator.
  if (opt.sim) {
    sim::SyntheticSpec spec;
    spec.jobs = opt.sim_jobs;
    spec.total_cpus = uint64_t{opt.nodes} * opt.cpus;
    spec.load = 0.9;
    auto trace = sim::MakeSyntheticWorkload(spec);
    sim::SimConfig config;
    config.nodes = opt.nodes;
    config.cpus_per_node = opt.cpus;
    config.mode = sim::SimMode::kEasy;
    auto r = sim::Simulate(trace, config);
    if (!r) {
      std::fprintf(stderr, "sim: %s\n", r.error().ToString().c_str());
      return 1;
    }
    std::printf(
        "simulation, %llu jobs, EASY: %.1f s wall; utilization %.3f, mean wait %.0f s, "
        "median wait %.0f s, mean bounded slowdown %.2f, makespan %lld s; main pass %.1f us "
        "mean (%llu), backfill %.1f us mean / %.1f ms max (%llu)\n",
        static_cast<unsigned long long>(opt.sim_jobs), r->wall_s, r->metrics.utilization,
        r->metrics.mean_wait_s, r->metrics.median_wait_s, r->metrics.mean_bounded_slowdown,
        static_cast<long long>(r->metrics.makespan_s), r->main.mean_us(),
        static_cast<unsigned long long>(r->main.cycles), r->backfill.mean_us(),
        r->backfill.max_us / 1000, static_cast<unsigned long long>(r->backfill.cycles));
  }
  return 0;
}
