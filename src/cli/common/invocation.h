// Invocation: everything a command's Run() reads from its process, passed in so a test
// can call Run() directly with its own arguments, environment and streams.
//
// Thread-safety: borrowed references; the caller keeps them alive for the call.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace drover::cli {

using Environment = std::map<std::string, std::string>;

struct Invocation {
  std::string program;            // the name the user typed: "scontrol", "sbatch"
  std::vector<std::string> args;  // the arguments after the program name
  Environment env;
  std::ostream& out;
  std::ostream& err;

  std::optional<std::string> Getenv(const std::string& name) const {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  }
};

// Reads the process environment (environ) into an Environment.
Environment ProcessEnvironment();

}  // namespace drover::cli
