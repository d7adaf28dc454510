// TaskPrologOutput: what a TaskProlog (slurm.conf, or srun --task-prolog) asks of the task
// it runs before, read from the script's standard output the way slurmstepd reads it.
// Each line is one request:
//   export NAME=value   sets NAME in the task's environment (value: the rest of the line)
//   unset NAME          removes NAME from it
//   print text          writes "text\n" to the task's standard output
// Anything else (other words, an export without '=', an empty or spaced name) is
// ignored, as Slurm ignores it. Requests apply in order: a later export of a name wins,
// an unset after an export removes it.
//
// Pure functions over values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drover::stepd {

struct TaskPrologRequest {
  enum class Kind { kExport, kUnset, kPrint };
  Kind kind = Kind::kPrint;
  std::string name;   // kExport, kUnset
  std::string value;  // kExport: the value; kPrint: the text (without the newline)
};

// The requests in `output`, in order. Lines end at '\n'; a last line without one counts.
std::vector<TaskPrologRequest> ParseTaskPrologOutput(std::string_view output);

// Applies `requests` to `env` ("NAME=value" entries; an exported name keeps its place
// when present, else is appended) and returns what the print requests write, each
// followed by a newline.
std::string ApplyTaskPrologRequests(const std::vector<TaskPrologRequest>& requests,
                                    std::vector<std::string>& env);

}  // namespace drover::stepd
