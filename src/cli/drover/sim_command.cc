#include "cli/drover/sim_command.h"

#include <charconv>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "sched/scheduler_params.h"
#include "sim/simulator.h"
#include "sim/swf.h"
#include "sim/synthetic.h"

namespace drover::cli::drover {
namespace {

constexpr const char* kSimUsage =
    "Usage: drover sim [--swf FILE | --synthetic JOBS] [options]\n"
    "  --swf FILE          replay a Standard Workload Format trace\n"
    "  --synthetic JOBS    a seeded random workload of JOBS jobs (default 1000)\n"
    "  --nodes N           simulated nodes (default 16)\n"
    "  --cpus C            CPUs per node (default 32)\n"
    "  --seed S            synthetic workload seed (default 1)\n"
    "  --load L            synthetic offered load, 1.0 = the cluster's capacity (0.9)\n"
    "  --mode M            fifo, easy, backfill or compare (all three; the default)\n"
    "  --params TEXT       SchedulerParameters (bf_interval=30,bf_max_job_test=500,...)\n";

template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::string Row(std::string_view mode, const sim::SimResult& r) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-9s %8llu %6.3f %10.0f %10.0f %8.2f %10lld %9llu %11.1f %11.1f\n",
                std::string(mode).c_str(), static_cast<unsigned long long>(r.metrics.jobs),
                r.metrics.utilization, r.metrics.mean_wait_s, r.metrics.median_wait_s,
                r.metrics.mean_bounded_slowdown, static_cast<long long>(r.metrics.makespan_s),
                static_cast<unsigned long long>(r.started_by_backfill), r.main.mean_us(),
                r.backfill.mean_us());
  return buf;
}

}  // namespace

int SimCommand(const Invocation& inv) {
  std::string swf, mode = "compare", params_text;
  sim::SyntheticSpec synth;
  sim::SimConfig config;
  const auto& a = inv.args;
  auto fail = [&](const std::string& msg) {
    inv.err << "drover: error: sim: " << msg << "\n" << kSimUsage;
    return 1;
  };
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "--help" || a[i] == "-h") {
      inv.out << kSimUsage;
      return 0;
    }
    if (i + 1 >= a.size()) return fail("'" + a[i] + "' needs a value");
    const std::string& v = a[++i];
    const std::string& opt = a[i - 1];
    bool ok = true;
    if (opt == "--swf") {
      swf = v;
    } else if (opt == "--synthetic") {
      ok = ParseNumber(v, &synth.jobs) && synth.jobs > 0;
    } else if (opt == "--nodes") {
      ok = ParseNumber(v, &config.nodes) && config.nodes > 0;
    } else if (opt == "--cpus") {
      ok = ParseNumber(v, &config.cpus_per_node) && config.cpus_per_node > 0;
    } else if (opt == "--seed") {
      ok = ParseNumber(v, &synth.seed);
    } else if (opt == "--load") {
      ok = ParseNumber(v, &synth.load) && synth.load > 0;
    } else if (opt == "--mode") {
      mode = v;
      ok = mode == "fifo" || mode == "easy" || mode == "backfill" || mode == "compare";
    } else if (opt == "--params") {
      params_text = v;
    } else {
      return fail("unknown option '" + opt + "'");
    }
    if (!ok) return fail("invalid value '" + v + "' for " + opt);
  }
  auto params = sched::ParseSchedulerParams(params_text);
  if (!params) return fail(params.error().message());
  config.params = *params;

  std::vector<sim::SimJob> jobs;
  std::string source;
  if (!swf.empty()) {
    auto trace = sim::ReadSwfFile(swf);
    if (!trace) return fail(trace.error().ToString());
    jobs = std::move(trace->jobs);
    source = swf + " (" + std::to_string(jobs.size()) + " jobs, " +
             std::to_string(trace->skipped) + " skipped)";
  } else {
    synth.total_cpus = uint64_t{config.nodes} * config.cpus_per_node;
    jobs = sim::MakeSyntheticWorkload(synth);
    source = "synthetic (" + std::to_string(jobs.size()) + " jobs, seed " +
             std::to_string(synth.seed) + ", load " + std::to_string(synth.load).substr(0, 4) + ")";
  }
  inv.out << "workload: " << source << "; cluster: " << config.nodes << " nodes x "
          << config.cpus_per_node << " CPUs\n";
  inv.out << "mode          jobs   util  mean_wait med_wait(s)   bsld  makespan(s) bf_starts "
             "main_us/pass   bf_us/pass\n";
  std::vector<sim::SimMode> modes;
  if (mode == "fifo" || mode == "compare") modes.push_back(sim::SimMode::kFifo);
  if (mode == "easy" || mode == "compare") modes.push_back(sim::SimMode::kEasy);
  if (mode == "backfill" || mode == "compare") modes.push_back(sim::SimMode::kFull);
  uint64_t too_large = 0;
  for (sim::SimMode m : modes) {
    config.mode = m;
    auto r = sim::Simulate(jobs, config);
    if (!r) return fail(r.error().ToString());
    too_large = r->too_large;
    inv.out << Row(sim::SimModeName(m), *r);
  }
  if (too_large > 0) {
    inv.out << too_large << " jobs asked for more CPUs than the cluster has and were not run\n";
  }
  return 0;
}

}  // namespace drover::cli::drover
