// TaskOutput assembly: the tasks' output chunks, as they arrive from the nodes, turned
// into what srun writes on its stdout and stderr.
//
// By default output is written a line at a time per task and stream, so lines of
// different tasks never interleave mid-line; a last line without a newline is written
// when the step ends (Flush). With -u (unbuffered) chunks are written as they arrive.
// With -l every line starts with the task's rank, right-aligned to the width of the
// highest rank, and ": " ("0: ", " 3: " with 11 or more tasks), as Slurm labels them.
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace drover::cli::srun {

enum class OutputStreamKind : uint8_t { kStdout, kStderr };

class OutputAssembler {
 public:
  using Writer = std::function<void(OutputStreamKind, std::string_view)>;

  OutputAssembler(uint32_t num_tasks, bool label, bool unbuffered, Writer writer);

  void Add(uint32_t task, OutputStreamKind stream, std::string_view data);
  // Writes what is left of every task's last line.
  void Flush();

  // "3: " for task 3 of `num_tasks`.
  static std::string Label(uint32_t task, uint32_t num_tasks);

 private:
  struct Pending {
    std::string partial;        // buffered mode: the line so far
    bool at_line_start = true;  // unbuffered mode: the next byte starts a line
  };
  void Write(uint32_t task, OutputStreamKind stream, std::string_view line);

  const uint32_t num_tasks_;
  const bool label_;
  const bool unbuffered_;
  Writer writer_;
  std::map<std::pair<uint32_t, OutputStreamKind>, Pending> pending_;
};

}  // namespace drover::cli::srun
