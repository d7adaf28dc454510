#include "core/job.h"

#include <algorithm>
#include <charconv>

namespace drover {

std::vector<std::string> JobPartitions(const JobSpec& spec, const std::string& default_partition) {
  if (!spec.partitions.empty()) return spec.partitions;
  if (default_partition.empty()) return {};
  return {default_partition};
}

uint32_t EffectiveTasks(const JobSpec& spec, uint32_t min_nodes) {
  if (spec.ntasks > 0) return spec.ntasks;
  uint32_t nodes = std::max<uint32_t>(min_nodes, 1);
  if (spec.ntasks_per_node > 0) return nodes * spec.ntasks_per_node;
  return nodes;
}

std::optional<JobSignal> JobSignalFromText(std::string_view text) {
  JobSignal out;
  if (text.starts_with("B:")) {
    out.batch_only = true;
    text.remove_prefix(2);
  } else if (text.starts_with("R:")) {
    out.reservation = true;
    text.remove_prefix(2);
  }
  auto number = [](std::string_view digits, int64_t* v) {
    if (digits.empty()) return false;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *v);
    return ec == std::errc() && end == digits.data() + digits.size() && *v >= 0;
  };
  size_t at = text.find('@');
  int64_t sig = 0;
  if (!number(text.substr(0, at), &sig) || sig <= 0 || sig > 64) return std::nullopt;
  out.number = static_cast<int>(sig);
  if (at != std::string_view::npos) {
    int64_t lead = 0;
    if (!number(text.substr(at + 1), &lead)) return std::nullopt;
    out.lead = Duration::FromSeconds(lead);
  }
  return out;
}

}  // namespace drover
