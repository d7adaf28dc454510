#include "cli/common/sbatch_directives.h"

#include <fmt/format.h>

#include <cctype>

namespace drover::cli {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// True when the line is blank or a comment: directives may continue after it.
bool IsCommentOrBlank(std::string_view line) {
  for (char c : line) {
    if (IsSpace(c)) continue;
    return c == '#';
  }
  return true;
}

}  // namespace

Result<std::vector<std::string>> SplitDirectiveWords(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size() || text[i] == '#') break;
    std::string word;
    char quote = 0;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\\') {
        if (i + 1 < text.size()) word += text[++i];
        continue;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word += c;
        }
        continue;
      }
      if (IsSpace(c)) break;
      if (c == '"' || c == '\'') {
        quote = c;
        continue;
      }
      if (c == '#') break;  // an unquoted '#' starts a comment, even inside a word
      word += c;
    }
    if (quote != 0) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("Unmatched `{}`", quote));
    }
    words.push_back(std::move(word));
    if (i < text.size() && text[i] == '#') break;
  }
  return words;
}

Result<std::vector<Directive>> ReadDirectives(std::string_view script, std::string_view magic) {
  std::vector<Directive> out;
  int line_no = 0;
  size_t pos = 0;
  while (pos < script.size()) {
    size_t nl = script.find('\n', pos);
    std::string_view line =
        script.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? script.size() : nl + 1;
    ++line_no;
    if (!line.starts_with(magic)) {
      if (IsCommentOrBlank(line)) continue;
      break;  // the first command ends the directives
    }
    auto words = SplitDirectiveWords(line.substr(magic.size()));
    if (!words) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("{} in [{}]", words.error().message(), line),
                   fmt::format("line {}", line_no));
    }
    if (words->empty()) continue;
    out.push_back(Directive{line_no, std::string(line), std::move(*words)});
  }
  return out;
}

OptionResult ApplyScriptDirectives(std::string_view script, std::string_view script_name,
                                   CommandMask command, JobOptions& options) {
  auto directives = ReadDirectives(script);
  if (!directives) {
    return OptionFailure{false,
                         Error(ErrorCode::kInvalidArgument,
                               fmt::format("{}: {}: {}", script_name, directives.error().context(),
                                           directives.error().message())),
                         {}};
  }
  options.current_source = OptionSource::kScript;
  for (const Directive& d : *directives) {
    std::vector<std::string> positionals;
    OptionResult failure =
        ParseAndApply(d.args, command, Permute::kStopAtFirst, options, &positionals,
                      /*skip_command_line_only=*/true);
    if (!failure && !positionals.empty()) {
      failure = OptionFailure{
          false,
          Error(ErrorCode::kInvalidArgument,
                fmt::format("Invalid directive found in batch script: {}", positionals.front())),
          {}};
    }
    if (failure) {
      failure->where = fmt::format("in batch script {} line {}: {}", script_name, d.line, d.text);
      return failure;
    }
  }
  return std::nullopt;
}

}  // namespace drover::cli
