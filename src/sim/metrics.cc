#include "sim/metrics.h"

#include <algorithm>
#include <vector>

namespace drover::sim {

Metrics ComputeMetrics(std::span<const JobOutcome> outcomes, uint64_t total_cpus) {
  Metrics m;
  m.jobs = outcomes.size();
  if (outcomes.empty()) return m;
  int64_t first = outcomes.front().submit_s, last = outcomes.front().end_s;
  double used = 0, wait_sum = 0, slowdown_sum = 0;
  std::vector<int64_t> waits;
  waits.reserve(outcomes.size());
  for (const JobOutcome& o : outcomes) {
    first = std::min(first, o.submit_s);
    last = std::max(last, o.end_s);
    const int64_t run = o.end_s - o.start_s, wait = o.start_s - o.submit_s;
    used += static_cast<double>(run) * o.cpus;
    wait_sum += static_cast<double>(wait);
    waits.push_back(wait);
    slowdown_sum += std::max(1.0, static_cast<double>(wait + run) /
                                      static_cast<double>(std::max<int64_t>(run, 10)));
  }
  const double n = static_cast<double>(outcomes.size());
  m.makespan_s = last - first;
  m.utilization = m.makespan_s > 0 && total_cpus > 0
                      ? used / (static_cast<double>(m.makespan_s) * static_cast<double>(total_cpus))
                      : 0;
  m.mean_wait_s = wait_sum / n;
  m.mean_bounded_slowdown = slowdown_sum / n;
  // The median of an even count is the mean of the two middle values.
  const size_t mid = waits.size() / 2;
  std::nth_element(waits.begin(), waits.begin() + mid, waits.end());
  double median = static_cast<double>(waits[mid]);
  if (waits.size() % 2 == 0) {
    int64_t below = *std::max_element(waits.begin(), waits.begin() + mid);
    median = (median + static_cast<double>(below)) / 2;
  }
  m.median_wait_s = median;
  return m;
}

}  // namespace drover::sim
