// The line reader shared by slurm.conf, gres.conf and cgroup.conf.
//
// Slurm's configuration files are lines of whitespace-separated Key=Value pairs:
//   NodeName=n[1-4] CPUs=8 Reason="down for repair"   # a comment
// with these rules, all kept here so that the three parsers agree:
//   - `#` starts a comment unless it is inside double quotes or written `\#`;
//   - a line ending in a backslash continues on the next line;
//   - a value in double quotes may hold spaces (the quotes are dropped);
//   - `Include <path>` (any case) reads another file in place. A relative path is taken
//     from the including file's folder; a glob pattern (`conf.d/*.conf`) includes every
//     match in sorted order; `%c` is replaced by the cluster name when the caller knows it.
//     Include cycles and nesting deeper than LexOptions::max_depth are errors.
// Keys are returned as written; callers compare them case-insensitively (KeyEquals).
// Every pair carries the file and line it came from, for warnings and errors.
//
// Files are read through an IncludeResolver so that tests and fuzzers can serve them from
// memory (MapIncludeResolver) while daemons read the disk (FileIncludeResolver).
//
// Thread-safety: LexConf is reentrant; resolvers are immutable after construction.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/strings.h"

namespace drover::config {

// Where a token came from: "slurm.conf", 12.
struct SourceLoc {
  std::string file;
  int line = 0;

  // "slurm.conf:12"
  std::string ToString() const;
};

// A problem that does not stop the parse (an unknown key, a deprecated spelling).
struct ConfigWarning {
  SourceLoc loc;
  std::string message;

  // "slurm.conf:12: unknown key 'Foo' ignored"
  std::string ToString() const;
};

struct ConfPair {
  std::string key;    // as written
  std::string value;  // quotes removed; empty for "Key="
  SourceLoc loc;
};

// One logical line (continuations joined) with at least one pair.
struct ConfLine {
  SourceLoc loc;
  std::vector<ConfPair> pairs;
};

// Reads the files an Include names.
class IncludeResolver {
 public:
  virtual ~IncludeResolver() = default;
  // The paths matching `pattern` in sorted order. A pattern without wildcards returns itself
  // when it exists; errors (kNotFound) when it does not. A wildcard pattern matching
  // nothing returns an empty list.
  virtual Result<std::vector<std::string>> Glob(const std::string& pattern) const = 0;
  // The whole file. Errors: kNotFound, kIo.
  virtual Result<std::string> Read(const std::string& path) const = 0;
};

// The real file system (glob(3), whole-file reads).
class FileIncludeResolver final : public IncludeResolver {
 public:
  Result<std::vector<std::string>> Glob(const std::string& pattern) const override;
  Result<std::string> Read(const std::string& path) const override;
};

// Files served from a map of path -> contents; for tests and fuzzers.
class MapIncludeResolver final : public IncludeResolver {
 public:
  MapIncludeResolver() = default;
  explicit MapIncludeResolver(std::map<std::string, std::string> files)
      : files_(std::move(files)) {}
  void Add(std::string path, std::string contents) {
    files_[std::move(path)] = std::move(contents);
  }
  Result<std::vector<std::string>> Glob(const std::string& pattern) const override;
  Result<std::string> Read(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

struct LexOptions {
  // Include nesting allowed below the top file (Slurm has no documented bound; a bound keeps
  // a self-including glob from recursing forever).
  int max_depth = 16;
  // Called at each Include for the %c substitution; returns the cluster name known so far.
  std::function<std::string()> cluster_name;
};

using LineSink = std::function<Status(const ConfLine&)>;

// Splits `text` (read from `file_name`) into lines and hands each to `sink` in order,
// following Includes through `resolver`. Stops at the first error from the sink or the lexer.
// Errors: kConfigSyntax (no `=`, unbalanced quote, include cycle or depth) and kNotFound
// (an Include naming a missing file), each with "file:line" as context.
Status LexConf(std::string_view text, std::string_view file_name, const IncludeResolver& resolver,
               const LexOptions& options, const LineSink& sink,
               std::vector<ConfigWarning>* warnings);

// ASCII case-insensitive equality, as Slurm compares keys and most keyword values.
bool KeyEquals(std::string_view a, std::string_view b);
std::string ToUpper(std::string_view s);

}  // namespace drover::config
