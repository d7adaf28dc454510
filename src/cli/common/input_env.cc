#include "cli/common/input_env.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace drover::cli {

bool EnvFlagEnabled(std::string_view value) {
  if (value.empty()) return true;
  std::string lower(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "yes") return true;
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return std::any_of(value.begin(), value.end(), [](char c) { return c != '0'; });
}

OptionResult ApplyInputEnvironment(const Environment& env, CommandMask command,
                                   JobOptions& options) {
  options.current_source = OptionSource::kEnvironment;
  for (const JobOptionRow& row : JobOptionTable()) {
    if ((row.commands & command) == 0) continue;
    for (std::string_view name : EnvNamesFor(row, command)) {
      auto it = env.find(std::string(name));
      if (it == env.end()) continue;
      const std::string& value = it->second;
      std::optional<std::string_view> arg;
      if (row.arg == ArgKind::kNone) {
        if (!EnvFlagEnabled(value)) break;
      } else if (row.arg == ArgKind::kOptional) {
        // SBATCH_EXCLUSIVE=user passes the value; SBATCH_EXCLUSIVE= or =1 is the flag.
        if (!EnvFlagEnabled(value)) arg = value;
      } else {
        arg = value;
      }
      if (auto status = row.set(options, arg); !status) {
        return OptionFailure{false, status.error(),
                             fmt::format("in input environment variable {}={}", name, value)};
      }
      break;  // the first variable present wins
    }
  }
  return std::nullopt;
}

}  // namespace drover::cli
