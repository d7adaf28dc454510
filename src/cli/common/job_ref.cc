#include "cli/common/job_ref.h"

#include <charconv>

#include "base/strings.h"

namespace drover::cli {

std::optional<uint32_t> ReadUint32(std::string_view text) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> SplitJobList(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if ((c == ',' || c == ' ') && depth <= 0) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur.push_back(c);
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::optional<v1::JobRef> ReadJobRef(std::string_view text) {
  std::string_view s = text;
  v1::JobRef ref;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    std::string_view step = s.substr(dot + 1);
    s = s.substr(0, dot);
    v1::StepRef* step_ref = ref.mutable_step();
    if (step == "batch") {
      step_ref->set_kind(v1::STEP_KIND_BATCH);
    } else if (step == "extern") {
      step_ref->set_kind(v1::STEP_KIND_EXTERN);
    } else if (step == "interactive") {
      step_ref->set_kind(v1::STEP_KIND_INTERACTIVE);
    } else if (auto id = ReadUint32(step)) {
      step_ref->set_kind(v1::STEP_KIND_NORMAL);
      step_ref->set_step_id(*id);
    } else {
      return std::nullopt;
    }
  }
  size_t under = s.find('_');
  auto id = ReadUint32(s.substr(0, under));
  if (!id || *id == 0) return std::nullopt;
  ref.set_job_id(*id);
  if (under == std::string_view::npos) return ref;
  std::string_view tasks = s.substr(under + 1);
  if (tasks == "*") return ref;
  if (tasks.size() >= 2 && tasks.front() == '[' && tasks.back() == ']') {
    tasks = tasks.substr(1, tasks.size() - 2);
  }
  if (size_t pct = tasks.find('%'); pct != std::string_view::npos) tasks = tasks.substr(0, pct);
  for (const std::string& item : SplitList(tasks)) {
    size_t dash = item.find('-');
    auto first = ReadUint32(std::string_view(item).substr(0, dash));
    auto last =
        dash == std::string::npos ? first : ReadUint32(std::string_view(item).substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    v1::IdRange* range = ref.add_array_tasks();
    range->set_first(*first);
    range->set_last(*last);
  }
  if (ref.array_tasks_size() == 0) return std::nullopt;
  return ref;
}

}  // namespace drover::cli
