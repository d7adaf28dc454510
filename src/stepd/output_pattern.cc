#include "stepd/output_pattern.h"

#include <fmt/core.h>

#include <cctype>

namespace drover::stepd {
namespace {

constexpr int kMaxWidth = 10;
constexpr uint32_t kNoArrayTask = 4294967294u;  // Slurm's NO_VAL - 1 for %a outside arrays

std::string Number(uint64_t value, int width) { return fmt::format("{:0{}}", value, width); }

}  // namespace

std::string ExpandOutputPattern(std::string_view pattern, const PatternContext& ctx) {
  std::string out;
  if (pattern.find('\\') != std::string_view::npos) {
    for (char c : pattern) {
      if (c != '\\') out += c;
    }
    return out;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 >= pattern.size()) {
      out += pattern[i];
      continue;
    }
    size_t j = i + 1;
    int width = 0;
    while (j < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[j]))) {
      width = std::min(kMaxWidth, width * 10 + (pattern[j] - '0'));
      ++j;
    }
    if (j >= pattern.size()) {  // "%3" at the end: nothing to expand
      out.append(pattern.substr(i));
      break;
    }
    switch (pattern[j]) {
      case '%':
        out += '%';
        break;
      case 'A':
        out += Number(ctx.array_job_id.value_or(ctx.job_id), width);
        break;
      case 'a':
        out += Number(ctx.array_task_id.value_or(kNoArrayTask), width);
        break;
      case 'b':
        out += Number(ctx.array_task_id.value_or(kNoArrayTask) % 10, width);
        break;
      case 'J':
        out += Number(ctx.job_id, width);
        if (ctx.step_id) out += fmt::format(".{}", *ctx.step_id);
        break;
      case 'j':
        out += Number(ctx.job_id, width);
        break;
      case 'N':
        out += ctx.node_name;
        break;
      case 'n':
        out += Number(ctx.node_index, width);
        break;
      case 's':
        out += ctx.step_id ? Number(*ctx.step_id, width) : std::string("batch");
        break;
      case 't':
        out += Number(ctx.task_id, width);
        break;
      case 'u':
        out += ctx.user;
        break;
      case 'x':
        out += ctx.job_name;
        break;
      default:
        out.append(pattern.substr(i, j - i + 1));
        break;
    }
    i = j;
  }
  return out;
}

std::string_view DefaultOutputPattern(bool array_task) {
  return array_task ? "slurm-%A_%a.out" : "slurm-%j.out";
}

std::string ResolveOutputPath(std::string_view pattern, const PatternContext& ctx,
                              std::string_view work_dir) {
  if (pattern.empty()) pattern = DefaultOutputPattern(ctx.array_task_id.has_value());
  std::string path = ExpandOutputPattern(pattern, ctx);
  if (path.starts_with('/') || work_dir.empty()) return path;
  std::string joined(work_dir);
  if (!joined.ends_with('/')) joined += '/';
  return joined + path;
}

}  // namespace drover::stepd
