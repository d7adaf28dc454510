#include "sim/synthetic.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace drover::sim {

std::vector<SimJob> MakeSyntheticWorkload(const SyntheticSpec& spec) {
  std::mt19937_64 rng(spec.seed);
  const uint32_t max_cpus = static_cast<uint32_t>(std::max<uint64_t>(
      1, spec.max_cpus ? spec.max_cpus : std::max<uint64_t>(spec.total_cpus / 8, 1)));
  const double log_max = std::log2(static_cast<double>(max_cpus));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<SimJob> jobs(spec.jobs);
  double work = 0;
  for (uint64_t i = 0; i < spec.jobs; ++i) {
    SimJob& j = jobs[i];
    j.id = i + 1;
    // Size: 2^x with x skewed towards 0; a third of jobs are not powers of two.
    double x = log_max * std::pow(unit(rng), 2.0);
    double cpus = std::exp2(x);
    if (unit(rng) < 0.33) cpus *= 0.5 + unit(rng);
    j.cpus = static_cast<uint32_t>(std::clamp(std::round(cpus), 1.0, static_cast<double>(max_cpus)));
    double lr = std::log(static_cast<double>(spec.min_run_s)) +
                unit(rng) * (std::log(static_cast<double>(spec.max_run_s)) -
                             std::log(static_cast<double>(spec.min_run_s)));
    j.run_s = std::max<int64_t>(1, static_cast<int64_t>(std::exp(lr)));
    // Limits in whole minutes, 1-4x the run time.
    double limit = static_cast<double>(j.run_s) * (1.0 + 3.0 * unit(rng));
    j.limit_s = std::max<int64_t>(60, static_cast<int64_t>(std::ceil(limit / 60.0)) * 60);
    j.user = static_cast<uint32_t>(rng() % std::max<uint32_t>(spec.users, 1));
    work += static_cast<double>(j.cpus) * static_cast<double>(j.run_s);
  }
  // Poisson arrivals: mean gap so that the offered work per second is load x CPUs.
  const double mean_work = spec.jobs ? work / static_cast<double>(spec.jobs) : 0;
  const double rate =
      spec.load * static_cast<double>(spec.total_cpus) / std::max(mean_work, 1.0);  // jobs/s
  std::exponential_distribution<double> gap(std::max(rate, 1e-9));
  double t = 0;
  for (SimJob& j : jobs) {
    j.submit_s = static_cast<int64_t>(t);
    t += gap(rng);
  }
  return jobs;
}

}  // namespace drover::sim
