// Fuzzes the getopt_long-style option reader with arbitrary argument vectors (arguments
// separated by NUL bytes), against an option table shaped like sbatch's.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/common/getopt.h"

using drover::cli::ArgKind;
using drover::cli::OptionSpec;

namespace {
constexpr OptionSpec kSpecs[] = {
    {"nodes", 'N', ArgKind::kRequired, 1},   {"ntasks", 'n', ArgKind::kRequired, 2},
    {"verbose", 'v', ArgKind::kNone, 3},     {"parsable", 0, ArgKind::kOptional, 4},
    {"mem", 0, ArgKind::kRequired, 5},       {"mem-per-cpu", 0, ArgKind::kRequired, 6},
    {"exclusive", 0, ArgKind::kOptional, 7}, {"export", 0, ArgKind::kRequired, 8},
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.emplace_back();
    } else {
      args.back() += static_cast<char>(data[i]);
    }
  }
  for (auto permute : {drover::cli::Permute::kYes, drover::cli::Permute::kStopAtFirst}) {
    auto parsed = drover::cli::ParseArgs(args, kSpecs, permute);
    if (!parsed) continue;
    // Every argument is accounted for: as an option, an option's value, or a positional.
    if (parsed->positionals.size() + parsed->options.size() > 2 * args.size() + size) {
      __builtin_trap();
    }
    for (const auto& option : parsed->options) {
      if (option.id < 1 || option.id > 8) __builtin_trap();
    }
  }
  return 0;
}
