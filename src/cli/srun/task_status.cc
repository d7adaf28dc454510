#include "cli/srun/task_status.h"

#include <fmt/format.h>
#include <string.h>
#include <sys/wait.h>

#include <algorithm>

namespace drover::cli::srun {

std::string FormatTaskRanges(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? std::to_string(ids[i]) : fmt::format("{}-{}", ids[i], ids[j]);
    i = j + 1;
  }
  return out;
}

std::string TaskExitText(std::string_view node, std::span<const uint32_t> tasks,
                         const v1::ExitCode& code, bool quiet_signals) {
  std::string which = fmt::format("{} {}", tasks.size() == 1 ? "task" : "tasks",
                                  FormatTaskRanges({tasks.begin(), tasks.end()}));
  if (code.signal() != 0) {
    if (quiet_signals) return "";
    return fmt::format("{}: {}: {}{}", node, which, strsignal(code.signal()),
                       code.core_dumped() ? " (core dumped)" : "");
  }
  if (code.status() == 0) return "";
  return fmt::format("{}: {}: Exited with exit code {}", node, which, code.status());
}

int WaitStatusOf(const v1::ExitCode& code) {
  if (code.signal() != 0) return (code.signal() & 0x7f) | (code.core_dumped() ? 0x80 : 0);
  return (code.status() & 0xff) << 8;
}

int SrunExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

TaskStates::TaskStates(uint32_t num_tasks) : states_(num_tasks, State::kUnknown) {}

void TaskStates::Launched(uint32_t task) {
  if (task < states_.size() && states_[task] == State::kUnknown) states_[task] = State::kRunning;
}

void TaskStates::Exited(uint32_t task, const v1::ExitCode& code) {
  if (task >= states_.size()) return;
  states_[task] = code.signal() == 0 && code.status() == 0 ? State::kExited : State::kAbnormal;
}

void TaskStates::FailedToStart(uint32_t task) {
  if (task < states_.size()) states_[task] = State::kFailed;
}

bool TaskStates::AllEnded() const {
  return std::none_of(states_.begin(), states_.end(),
                      [](State s) { return s == State::kRunning || s == State::kUnknown; });
}

std::vector<std::string> TaskStates::StatusLines(std::string_view step) const {
  constexpr std::pair<State, std::string_view> kOrder[] = {
      {State::kFailed, "failed to start"},
      {State::kRunning, "running"},
      {State::kAbnormal, "exited abnormally"},
      {State::kExited, "exited"},
      {State::kUnknown, "unknown"},
  };
  std::vector<std::string> lines;
  for (auto [state, text] : kOrder) {
    std::vector<uint32_t> ids;
    for (uint32_t i = 0; i < states_.size(); ++i) {
      if (states_[i] == state) ids.push_back(i);
    }
    if (ids.empty()) continue;
    lines.push_back(fmt::format("{} {} {}: {}", step, ids.size() == 1 ? "task" : "tasks",
                                FormatTaskRanges(ids), text));
  }
  return lines;
}

InterruptTracker::Action InterruptTracker::OnInterrupt(Clock::time_point now) {
  if (aborting_) return Action::kAbortInProgress;
  if (!last_ || now - *last_ > std::chrono::seconds(1)) {
    last_ = now;
    return Action::kPrintStatus;
  }
  aborting_ = true;
  return Action::kAbort;
}

}  // namespace drover::cli::srun
