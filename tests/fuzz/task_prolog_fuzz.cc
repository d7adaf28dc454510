// Fuzzes the TaskProlog output reader: any bytes give requests that are well formed
// (export/unset names non-empty with no '=', whitespace or NUL; no newline in any text),
// applying them to an environment leaves only NAME=value entries, each exported name
// present with its last value unless unset later, and the printed text is exactly the
// print requests' lines.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stepd/task_prolog.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool GoodName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using drover::stepd::TaskPrologRequest;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<TaskPrologRequest> requests = drover::stepd::ParseTaskPrologOutput(input);
  Check(requests.size() <= size / 6 + 1);  // "unset X" is the shortest request

  std::vector<std::string> env = {"PATH=/bin", "HOME=/root", "SLURM_JOB_ID=1"};
  std::map<std::string, std::string> expected = {
      {"PATH", "/bin"}, {"HOME", "/root"}, {"SLURM_JOB_ID", "1"}};
  std::string printed_expected;
  for (const TaskPrologRequest& r : requests) {
    Check(r.value.find('\n') == std::string::npos);
    switch (r.kind) {
      case TaskPrologRequest::Kind::kExport:
        Check(GoodName(r.name));
        Check(r.value.find('\0') == std::string::npos);
        expected[r.name] = r.value;
        break;
      case TaskPrologRequest::Kind::kUnset:
        Check(GoodName(r.name));
        expected.erase(r.name);
        break;
      case TaskPrologRequest::Kind::kPrint:
        Check(r.name.empty());
        printed_expected += r.value + "\n";
        break;
    }
  }
  std::string printed = drover::stepd::ApplyTaskPrologRequests(requests, env);
  Check(printed == printed_expected);
  Check(env.size() == expected.size());
  for (const std::string& entry : env) {
    size_t eq = entry.find('=');
    Check(eq != std::string::npos && eq > 0);
    auto it = expected.find(entry.substr(0, eq));
    Check(it != expected.end() && it->second == entry.substr(eq + 1));
  }
  return 0;
}
