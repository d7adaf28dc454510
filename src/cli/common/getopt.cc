#include "cli/common/getopt.h"

#include <fmt/core.h>

namespace drover::cli {
namespace {

Error Usage(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

// Finds the long option `name` names: an exact match, else the one option it is a prefix
// of. Prefixes of several options that behave alike are not ambiguous (getopt's rule).
Result<const OptionSpec*> FindLong(std::string_view name, std::span<const OptionSpec> specs) {
  const OptionSpec* found = nullptr;
  std::vector<const OptionSpec*> candidates;
  for (const OptionSpec& spec : specs) {
    if (spec.long_name.empty()) continue;
    if (spec.long_name == name) return &spec;
    if (spec.long_name.starts_with(name)) candidates.push_back(&spec);
  }
  if (candidates.empty()) return Usage(fmt::format("unrecognized option '--{}'", name));
  found = candidates.front();
  bool ambiguous = false;
  for (const OptionSpec* c : candidates) {
    if (c->id != found->id || c->arg != found->arg) ambiguous = true;
  }
  if (ambiguous) {
    std::string message = fmt::format("option '--{}' is ambiguous; possibilities:", name);
    for (const OptionSpec* c : candidates) message += fmt::format(" '--{}'", c->long_name);
    return Usage(std::move(message));
  }
  return found;
}

const OptionSpec* FindShort(char letter, std::span<const OptionSpec> specs) {
  for (const OptionSpec& spec : specs) {
    if (spec.short_name == letter) return &spec;
  }
  return nullptr;
}

}  // namespace

Result<ParsedArgs> ParseArgs(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             Permute permute) {
  ParsedArgs parsed;
  size_t i = 0;
  auto rest_are_positional = [&](size_t from) {
    for (size_t j = from; j < args.size(); ++j) parsed.positionals.push_back(args[j]);
  };
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (arg == "--") {
      rest_are_positional(i + 1);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (permute == Permute::kStopAtFirst) {
        rest_are_positional(i);
        break;
      }
      parsed.positionals.push_back(arg);
      ++i;
      continue;
    }
    if (arg[1] == '-') {
      std::string_view body = std::string_view(arg).substr(2);
      std::optional<std::string> inline_value;
      if (size_t eq = body.find('='); eq != std::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      ASSIGN_OR_RETURN(const OptionSpec* spec, FindLong(body, specs));
      ParsedOption option{spec->id, fmt::format("--{}", spec->long_name), std::nullopt};
      switch (spec->arg) {
        case ArgKind::kNone:
          if (inline_value) {
            return Usage(fmt::format("option '--{}' doesn't allow an argument", spec->long_name));
          }
          break;
        case ArgKind::kOptional:
          option.value = std::move(inline_value);
          break;
        case ArgKind::kRequired:
          if (inline_value) {
            option.value = std::move(inline_value);
          } else if (i + 1 < args.size()) {
            option.value = args[++i];
          } else {
            return Usage(fmt::format("option '--{}' requires an argument", spec->long_name));
          }
          break;
      }
      parsed.options.push_back(std::move(option));
      ++i;
      continue;
    }
    // A cluster of short options: -vvN2 is -v -v -N 2.
    for (size_t k = 1; k < arg.size(); ++k) {
      char letter = arg[k];
      const OptionSpec* spec = FindShort(letter, specs);
      if (spec == nullptr) return Usage(fmt::format("invalid option -- '{}'", letter));
      ParsedOption option{spec->id, fmt::format("-{}", letter), std::nullopt};
      bool consumed_rest = false;
      if (spec->arg != ArgKind::kNone) {
        if (k + 1 < arg.size()) {
          option.value = arg.substr(k + 1);
          consumed_rest = true;
        } else if (spec->arg == ArgKind::kRequired) {
          if (i + 1 >= args.size()) {
            return Usage(fmt::format("option requires an argument -- '{}'", letter));
          }
          option.value = args[++i];
        }
      }
      parsed.options.push_back(std::move(option));
      if (consumed_rest) break;
    }
    ++i;
  }
  return parsed;
}

}  // namespace drover::cli
