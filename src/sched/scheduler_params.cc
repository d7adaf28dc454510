#include "sched/scheduler_params.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace drover::sched {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<SchedulerParams> ParseSchedulerParams(std::string_view text) {
  SchedulerParams p;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    std::string key = Lower(Trim(item.substr(0, eq)));
    std::string_view value = eq == std::string_view::npos ? "" : Trim(item.substr(eq + 1));
    // min: smallest value accepted.
    auto number = [&](auto* out, int64_t min, int64_t max) -> Status {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || v < min ||
          v > max) {
        return Error(ErrorCode::kConfigValue,
                     "SchedulerParameters: " + key + ": invalid value '" + std::string(value) +
                         "': expected " +
                         (min >= 1 ? "a positive integer" : "a non-negative integer"));
      }
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(v);
      return Ok();
    };
    constexpr int64_t kMaxU32 = UINT32_MAX;
    Status s = Ok();
    if (key == "bf_interval") {
      s = number(&p.bf_interval_s, 1, 10800);
    } else if (key == "bf_window") {
      s = number(&p.bf_window_min, 1, 43200);
    } else if (key == "bf_resolution") {
      s = number(&p.bf_resolution_s, 1, 3600);
    } else if (key == "bf_max_job_test") {
      s = number(&p.bf_max_job_test, 1, kMaxU32);
    } else if (key == "bf_max_job_user") {
      s = number(&p.bf_max_job_user, 0, kMaxU32);
    } else if (key == "bf_job_part_count_reserve") {
      s = number(&p.bf_job_part_count_reserve, 0, kMaxU32);
    } else if (key == "default_queue_depth") {
      s = number(&p.default_queue_depth, 0, kMaxU32);
    } else if (key == "sched_interval") {
      s = number(&p.sched_interval_s, 0, 86400);
    } else {
      p.ignored.emplace_back(item);
    }
    RETURN_IF_ERROR(s);
  }
  return p;
}

}  // namespace drover::sched
