// #SBATCH directives: job options written into a batch script.
//
// As Slurm reads them: from the top of the script (the "#!" line is a comment) until the
// first line that is neither blank nor a comment; every line that starts with "#SBATCH"
// before it holds options, split into words like a shell would split them: whitespace
// separates, '...' and "..." group, a backslash escapes the next character, and an
// unquoted '#' starts a comment ("#SBATCH -N 2 # two nodes"). Lines after the first
// command are never read, so "#SBATCH" further down is an ordinary comment.
//
// Options from directives sit below input variables and the command line (see
// input_env.h). Each line is parsed on its own, so errors name the line; a word that is
// not an option (or an option's value) is "Invalid directive found in batch script".
//
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/common/job_options.h"

namespace drover::cli {

inline constexpr std::string_view kSbatchMagic = "#SBATCH";

struct Directive {
  int line = 0;                   // 1-based line number in the script
  std::string text;               // the line as written
  std::vector<std::string> args;  // its words after the magic word, unquoted
};

// Splits the text after a magic word into words (quotes, escapes, trailing comment).
// Errors (kInvalidArgument): an unmatched quote, "Unmatched `\"`".
Result<std::vector<std::string>> SplitDirectiveWords(std::string_view text);

// The directives of `script`. Errors name the line in their context ("line 3").
Result<std::vector<Directive>> ReadDirectives(std::string_view script,
                                              std::string_view magic = kSbatchMagic);

// Reads the directives of `script` and applies them to `options` as kScript options.
// `script_name` names the script in errors ("job.sh", or "(stdin)").
[[nodiscard]] OptionResult ApplyScriptDirectives(std::string_view script,
                                                 std::string_view script_name, CommandMask command,
                                                 JobOptions& options);

}  // namespace drover::cli
