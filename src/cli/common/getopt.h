// Command-line options read with glibc getopt_long's semantics, which Slurm's commands
// use and users' fingers know: `-N2`, `-N 2`, `--nodes=2`, `--nodes 2`, bundled flags
// (`-vvv`), unique prefixes of long names (`--part=debug`), `--` to end options, and
// getopt's own wording for mistakes ("unrecognized option '--nosuchoption'").
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::cli {

enum class ArgKind { kNone, kRequired, kOptional };

struct OptionSpec {
  std::string_view long_name;  // without "--"; empty when the option has only a letter
  char short_name = 0;         // 0 when the option has only a long name
  ArgKind arg = ArgKind::kNone;
  int id = 0;                  // what the caller switches on
};

struct ParsedOption {
  int id = 0;
  std::string spelled;               // as the user wrote it: "-N" or "--nodes"
  std::optional<std::string> value;  // the argument, when one was given
};

struct ParsedArgs {
  std::vector<ParsedOption> options;  // in the order given
  std::vector<std::string> positionals;
};

enum class Permute {
  kYes,           // glibc's default: options may follow positionals
  kStopAtFirst,   // "+" in the optstring: the first positional ends option parsing
};

// Errors (kInvalidArgument) carry getopt's message without the program name, e.g.
// "unrecognized option '--nosuchoption'" or "option requires an argument -- 'N'".
Result<ParsedArgs> ParseArgs(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             Permute permute = Permute::kYes);

}  // namespace drover::cli
