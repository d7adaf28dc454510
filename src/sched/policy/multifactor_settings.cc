#include "sched/policy/multifactor_settings.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace drover::sched {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits on ',' and drops empty items.
std::vector<std::string_view> SplitComma(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

constexpr std::array<std::pair<std::string_view, uint32_t>, 13> kFlags = {{
    {"ACCRUE_ALWAYS", priority_flag::kAccrueAlways},
    {"CALCULATE_RUNNING", priority_flag::kCalculateRunning},
    {"SMALL_RELATIVE_TO_TIME", priority_flag::kSmallRelativeToTime},
    {"NO_NORMAL_ALL", priority_flag::kNoNormalAll},
    {"NO_NORMAL_ASSOC", priority_flag::kNoNormalAssoc},
    {"NO_NORMAL_PART", priority_flag::kNoNormalPart},
    {"NO_NORMAL_QOS", priority_flag::kNoNormalQos},
    {"NO_NORMAL_TRES", priority_flag::kNoNormalTres},
    {"INCR_ONLY", priority_flag::kIncrOnly},
    {"MAX_TRES", priority_flag::kMaxTres},
    {"MAX_TRES_GRES", priority_flag::kMaxTresGres},
    {"DEPTH_OBLIVIOUS", priority_flag::kDepthOblivious},
    {"NO_FAIR_TREE", priority_flag::kNoFairTree},
}};

}  // namespace

bool MultifactorSettings::AllWeightsZero() const {
  bool tres = std::any_of(weight_tres.begin(), weight_tres.end(),
                          [](const TresWeight& w) { return w.weight != 0; });
  return weight_age == 0 && weight_assoc == 0 && weight_fair_share == 0 &&
         weight_job_size == 0 && weight_partition == 0 && weight_qos == 0 && !tres;
}

ParsedPriorityFlags ParsePriorityFlags(std::string_view text) {
  ParsedPriorityFlags out;
  for (std::string_view item : SplitComma(text)) {
    std::string word = Upper(item);
    auto it = std::find_if(kFlags.begin(), kFlags.end(),
                           [&](const auto& f) { return f.first == word; });
    if (it == kFlags.end()) {
      out.unknown.emplace_back(item);
    } else {
      out.flags |= it->second;
    }
  }
  return out;
}

Result<std::vector<TresWeight>> ParseTresWeights(std::string_view text) {
  std::vector<TresWeight> out;
  for (std::string_view item : SplitComma(text)) {
    auto bad = [&](std::string_view why) {
      return Error(ErrorCode::kConfigValue,
                   "PriorityWeightTRES: '" + std::string(item) + "': " + std::string(why));
    };
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return bad("expected TRES=weight");
    auto key = ParseTresKey(Trim(item.substr(0, eq)));
    if (!key) return bad(key.error().message());
    std::string_view num = Trim(item.substr(eq + 1));
    double w = 0;
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), w);
    if (num.empty() || ec != std::errc() || ptr != num.data() + num.size() || !std::isfinite(w) ||
        w < 0) {
      return bad("expected a non-negative number");
    }
    if (std::any_of(out.begin(), out.end(), [&](const TresWeight& t) { return t.key == *key; })) {
      return bad("given twice");
    }
    out.push_back({std::move(*key), w});
  }
  return out;
}

}  // namespace drover::sched
