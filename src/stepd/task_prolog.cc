#include "stepd/task_prolog.h"

#include <algorithm>

namespace drover::stepd {
namespace {

// A name the environment can hold: not empty, no '=', no whitespace, no NUL.
bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
  });
}

bool HasNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

}  // namespace

std::vector<TaskPrologRequest> ParseTaskPrologOutput(std::string_view output) {
  std::vector<TaskPrologRequest> requests;
  while (!output.empty()) {
    size_t nl = output.find('\n');
    std::string_view line = output.substr(0, nl);
    output.remove_prefix(nl == std::string_view::npos ? output.size() : nl + 1);
    if (line.starts_with("export ")) {
      std::string_view rest = line.substr(7);
      size_t eq = rest.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view name = rest.substr(0, eq), value = rest.substr(eq + 1);
      if (!ValidName(name) || HasNul(value)) continue;
      requests.push_back({TaskPrologRequest::Kind::kExport, std::string(name), std::string(value)});
    } else if (line.starts_with("unset ")) {
      std::string_view name = line.substr(6);
      if (!ValidName(name)) continue;
      requests.push_back({TaskPrologRequest::Kind::kUnset, std::string(name), {}});
    } else if (line.starts_with("print ")) {
      requests.push_back({TaskPrologRequest::Kind::kPrint, {}, std::string(line.substr(6))});
    }
  }
  return requests;
}

std::string ApplyTaskPrologRequests(const std::vector<TaskPrologRequest>& requests,
                                    std::vector<std::string>& env) {
  std::string printed;
  auto find = [&env](const std::string& name) {
    return std::find_if(env.begin(), env.end(), [&](const std::string& entry) {
      return entry.size() > name.size() && entry[name.size()] == '=' && entry.starts_with(name);
    });
  };
  for (const TaskPrologRequest& r : requests) {
    switch (r.kind) {
      case TaskPrologRequest::Kind::kExport: {
        std::string entry = r.name + "=" + r.value;
        if (auto it = find(r.name); it != env.end()) {
          *it = std::move(entry);
        } else {
          env.push_back(std::move(entry));
        }
        break;
      }
      case TaskPrologRequest::Kind::kUnset:
        std::erase_if(env, [&](const std::string& entry) {
          return entry.size() > r.name.size() && entry[r.name.size()] == '=' &&
                 entry.starts_with(r.name);
        });
        break;
      case TaskPrologRequest::Kind::kPrint:
        printed += r.value;
        printed += '\n';
        break;
    }
  }
  return printed;
}

}  // namespace drover::stepd
