#include "cli/srun/srun_options.h"

#include <algorithm>

namespace drover::cli::srun {
namespace {

// Ids below the table's (which start at 1).
constexpr int kPty = -1;

}  // namespace

OptionResult ParseSrunArgs(std::span<const std::string> args, JobOptions& options,
                           SrunOnlyOptions& srun_only, std::vector<std::string>* positionals) {
  std::span<const OptionSpec> table = JobOptionSpecs(kSrun);
  std::vector<OptionSpec> specs(table.begin(), table.end());
  specs.push_back(OptionSpec{"pty", 0, ArgKind::kNone, kPty});
  auto parsed = ParseArgs(args, specs, Permute::kStopAtFirst);
  if (!parsed) return OptionFailure{true, parsed.error(), {}};
  std::erase_if(parsed->options, [&](const ParsedOption& o) {
    if (o.id != kPty) return false;
    srun_only.pty = true;
    return true;
  });
  if (Status status = ApplyParsedOptions(*parsed, options); !status) {
    return OptionFailure{false, status.error(), {}};
  }
  if (positionals != nullptr) *positionals = std::move(parsed->positionals);
  return std::nullopt;
}

}  // namespace drover::cli::srun
