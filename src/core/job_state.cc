#include "core/job_state.h"

#include <fmt/format.h>
#include <strings.h>

#include <array>

namespace drover {
namespace {

struct StateRow {
  JobState state;
  std::string_view name;
  std::string_view code;
};

constexpr StateRow kRows[] = {
#define DROVER_JOB_STATE_ROW(e, long_name, code) {JobState::e, long_name, code},
    DROVER_JOB_STATES(DROVER_JOB_STATE_ROW)
#undef DROVER_JOB_STATE_ROW
};
constexpr size_t kNumStates = std::size(kRows);
static_assert(kNumStates <= 32, "transition masks are 32 bits wide");

constexpr std::array<JobState, kNumStates> kAll = [] {
  std::array<JobState, kNumStates> all{};
  for (size_t i = 0; i < kNumStates; ++i) all[i] = kRows[i].state;
  return all;
}();

constexpr bool RowsInEnumOrder() {
  for (size_t i = 0; i < kNumStates; ++i) {
    if (static_cast<size_t>(kRows[i].state) != i) return false;
  }
  return true;
}
static_assert(RowsInEnumOrder());

constexpr uint32_t Bit(JobState s) { return uint32_t{1} << static_cast<unsigned>(s); }

template <typename... S>
constexpr uint32_t Bits(S... s) {
  return (Bit(s) | ... | 0u);
}

using S = JobState;

// Where a job's run can end up: the finished states reachable once it has nodes.
constexpr uint32_t kRunEnds = Bits(S::kCompleted, S::kCancelled, S::kFailed, S::kTimeout,
                                   S::kNodeFail, S::kPreempted, S::kDeadline, S::kOutOfMemory);
// Requeue re-enters the pending family (plain, held, or held on a special exit).
constexpr uint32_t kRequeueTargets = Bits(S::kPending, S::kRequeueHold, S::kSpecialExit);

// The transition table. Slurm has no such table (it flips bits in place), so this is
// Drover's reading of where job_mgr.c moves a job; each row says why it is what it is.
constexpr uint32_t NextMask(JobState from) {
  switch (from) {
    // Starts (CONFIGURING while nodes boot), is cancelled, fails validation at launch
    // time, misses its --deadline, or its reservation / federation sibling goes away.
    case S::kPending:
      return Bits(S::kRunning, S::kConfiguring, S::kCancelled, S::kFailed, S::kDeadline,
                  S::kResvDelHold, S::kRevoked);
    // Nodes are booting: they come up, fail to boot, or the job is cancelled meanwhile.
    case S::kConfiguring:
      return Bits(S::kRunning, S::kCompleting, S::kCancelled, S::kFailed, S::kBootFail,
                  S::kNodeFail, S::kDeadline, S::kRequeued);
    // Ends via COMPLETING (epilog running) or directly when nothing is left on the nodes.
    case S::kRunning:
      return kRunEnds | Bits(S::kCompleting, S::kSuspended, S::kStopped, S::kResizing,
                             S::kSignaling, S::kRequeued);
    // Suspended jobs accrue no time, so no TIMEOUT/DEADLINE until resumed.
    case S::kSuspended:
      return Bits(S::kRunning, S::kCompleting, S::kCancelled, S::kFailed, S::kNodeFail,
                  S::kPreempted, S::kRequeued);
    // SIGSTOPped with resources kept; its clock keeps running.
    case S::kStopped:
      return Bits(S::kRunning, S::kCompleting, S::kSignaling, S::kCancelled, S::kFailed,
                  S::kTimeout, S::kNodeFail, S::kPreempted, S::kRequeued);
    case S::kResizing:
      return Bits(S::kRunning, S::kCompleting, S::kCancelled, S::kFailed, S::kNodeFail);
    // A signal (scancel -s, --signal) is on its way; the job is still running.
    case S::kSignaling:
      return kRunEnds | Bits(S::kRunning, S::kCompleting);
    // The epilog runs; the job then shows its end state, stages out, or is requeued
    // (Slurm shows a requeued job as CG until its nodes are clean, then PD).
    case S::kCompleting:
      return kRunEnds | kRequeueTargets | Bits(S::kBootFail, S::kStageOut, S::kRequeued);
    case S::kStageOut:
      return kRunEnds;
    case S::kRequeued:
      return kRequeueTargets | Bits(S::kRequeueFed, S::kCancelled);
    case S::kRequeueFed:
      return Bits(S::kPending, S::kRevoked, S::kCancelled);
    // Held until released (scontrol release) or cancelled.
    case S::kRequeueHold:
    case S::kSpecialExit:
    case S::kResvDelHold:
      return Bits(S::kPending, S::kCancelled);
    // Finished: only a requeue (scontrol requeue / requeuehold) brings a job back.
    case S::kCompleted:
    case S::kCancelled:
    case S::kFailed:
    case S::kTimeout:
    case S::kNodeFail:
    case S::kPreempted:
    case S::kBootFail:
    case S::kDeadline:
    case S::kOutOfMemory:
    case S::kRevoked:
      return kRequeueTargets;
  }
  return 0;
}

constexpr bool NoSelfLoops() {
  for (JobState s : kAll) {
    if (NextMask(s) & Bit(s)) return false;
  }
  return true;
}
static_assert(NoSelfLoops());

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const JobState> AllJobStates() { return kAll; }

std::string_view JobStateName(JobState state) {
  auto i = static_cast<size_t>(state);
  return i < kNumStates ? kRows[i].name : std::string_view("?");
}

std::string_view JobStateCode(JobState state) {
  auto i = static_cast<size_t>(state);
  return i < kNumStates ? kRows[i].code : std::string_view("?");
}

Result<JobState> ParseJobState(std::string_view text) {
  std::string_view t = Trim(text);
  for (const StateRow& row : kRows) {
    if (EqualsIgnoreCase(t, row.name) || EqualsIgnoreCase(t, row.code)) return row.state;
  }
  return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid job state specified: {}", text));
}

Result<std::vector<JobState>> ParseJobStateList(std::string_view text) {
  std::vector<JobState> out;
  uint32_t seen = 0;
  auto add = [&](JobState s) {
    if (!(seen & Bit(s))) {
      seen |= Bit(s);
      out.push_back(s);
    }
  };
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = Trim(text.substr(start, comma - start));
    if (EqualsIgnoreCase(item, "all")) {
      for (JobState s : kAll) add(s);
    } else {
      ASSIGN_OR_RETURN(JobState s, ParseJobState(item));
      add(s);
    }
    start = comma + 1;
  }
  return out;
}

bool IsBaseState(JobState state) { return state <= JobState::kOutOfMemory; }

bool IsFinished(JobState state) {
  constexpr uint32_t kFinished = kRunEnds | Bits(S::kBootFail, S::kRevoked);
  return (kFinished & Bit(state)) != 0;
}

bool IsPending(JobState state) {
  constexpr uint32_t kPendingFamily =
      Bits(S::kPending, S::kRequeueFed, S::kRequeueHold, S::kSpecialExit, S::kResvDelHold);
  return (kPendingFamily & Bit(state)) != 0;
}

bool HoldsAllocation(JobState state) {
  constexpr uint32_t kAllocated =
      Bits(S::kRunning, S::kSuspended, S::kStopped, S::kConfiguring, S::kResizing, S::kSignaling,
           S::kCompleting, S::kStageOut, S::kRequeued);
  return (kAllocated & Bit(state)) != 0;
}

bool CanTransition(JobState from, JobState to) {
  if (static_cast<size_t>(from) >= kNumStates || static_cast<size_t>(to) >= kNumStates) {
    return false;
  }
  return (NextMask(from) & Bit(to)) != 0;
}

std::vector<JobState> NextStates(JobState from) {
  std::vector<JobState> out;
  for (JobState to : kAll) {
    if (CanTransition(from, to)) out.push_back(to);
  }
  return out;
}

}  // namespace drover
