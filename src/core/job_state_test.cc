#include "core/job_state.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <deque>
#include <set>
#include <string>

namespace drover {
namespace {

struct NameCase {
  JobState state;
  const char* name;
  const char* code;
};

// Spellings as Slurm 22.05-25.05 print them (scontrol JobState=, squeue %T / %t).
const NameCase kNames[] = {
    {JobState::kPending, "PENDING", "PD"},
    {JobState::kRunning, "RUNNING", "R"},
    {JobState::kSuspended, "SUSPENDED", "S"},
    {JobState::kCompleted, "COMPLETED", "CD"},
    {JobState::kCancelled, "CANCELLED", "CA"},
    {JobState::kFailed, "FAILED", "F"},
    {JobState::kTimeout, "TIMEOUT", "TO"},
    {JobState::kNodeFail, "NODE_FAIL", "NF"},
    {JobState::kPreempted, "PREEMPTED", "PR"},
    {JobState::kBootFail, "BOOT_FAIL", "BF"},
    {JobState::kDeadline, "DEADLINE", "DL"},
    {JobState::kOutOfMemory, "OUT_OF_MEMORY", "OOM"},
    {JobState::kCompleting, "COMPLETING", "CG"},
    {JobState::kStageOut, "STAGE_OUT", "SO"},
    {JobState::kConfiguring, "CONFIGURING", "CF"},
    {JobState::kResizing, "RESIZING", "RS"},
    {JobState::kRequeued, "REQUEUED", "RQ"},
    {JobState::kRequeueFed, "REQUEUE_FED", "RF"},
    {JobState::kRequeueHold, "REQUEUE_HOLD", "RH"},
    {JobState::kSpecialExit, "SPECIAL_EXIT", "SE"},
    {JobState::kStopped, "STOPPED", "ST"},
    {JobState::kRevoked, "REVOKED", "RV"},
    {JobState::kResvDelHold, "RESV_DEL_HOLD", "RD"},
    {JobState::kSignaling, "SIGNALING", "SI"},
};

TEST(JobStateTest, NamesAndCodesAsSlurmPrintsThem) {
  ASSERT_EQ(AllJobStates().size(), std::size(kNames));
  for (const NameCase& c : kNames) {
    EXPECT_EQ(JobStateName(c.state), c.name);
    EXPECT_EQ(JobStateCode(c.state), c.code);
  }
}

TEST(JobStateTest, NamesAndCodesAreUnique) {
  std::set<std::string> seen;
  for (JobState s : AllJobStates()) {
    EXPECT_TRUE(seen.insert(std::string(JobStateName(s))).second) << JobStateName(s);
    EXPECT_TRUE(seen.insert(std::string(JobStateCode(s))).second) << JobStateCode(s);
  }
}

TEST(JobStateTest, ParsesNamesAndCodesInAnyCase) {
  for (const NameCase& c : kNames) {
    EXPECT_EQ(*ParseJobState(c.name), c.state);
    EXPECT_EQ(*ParseJobState(c.code), c.state);
    std::string lower = c.name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
    EXPECT_EQ(*ParseJobState(lower), c.state) << lower;
  }
  EXPECT_EQ(*ParseJobState("pd"), JobState::kPending);
  EXPECT_EQ(*ParseJobState("Oom"), JobState::kOutOfMemory);
  EXPECT_EQ(*ParseJobState(" r "), JobState::kRunning);
}

TEST(JobStateTest, RejectsUnknownStates) {
  for (const char* bad : {"", "RUN", "COMPLETE", "CANCELED", "X", "all", "PD,R"}) {
    auto r = ParseJobState(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), std::string("Invalid job state specified: ") + bad);
  }
}

TEST(JobStateTest, ParsesSqueueStateLists) {
  auto r = ParseJobStateList("PD,running,R,cg");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r,
            (std::vector<JobState>{JobState::kPending, JobState::kRunning, JobState::kCompleting}));
  auto all = ParseJobStateList("all");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), AllJobStates().size());
  EXPECT_EQ(ParseJobStateList("R,ALL")->size(), AllJobStates().size());
  EXPECT_FALSE(ParseJobStateList("").has_value());
  EXPECT_FALSE(ParseJobStateList("R,").has_value());
  auto bad = ParseJobStateList("R,bogus");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "Invalid job state specified: bogus");
}

TEST(JobStateTest, Classification) {
  std::set<JobState> finished = {JobState::kCompleted, JobState::kCancelled, JobState::kFailed,
                                 JobState::kTimeout,   JobState::kNodeFail,  JobState::kPreempted,
                                 JobState::kBootFail,  JobState::kDeadline,  JobState::kOutOfMemory,
                                 JobState::kRevoked};
  for (JobState s : AllJobStates()) {
    EXPECT_EQ(IsFinished(s), finished.count(s) == 1) << JobStateName(s);
    // A state is at most one of finished / pending / holding nodes.
    int kinds = IsFinished(s) + IsPending(s) + HoldsAllocation(s);
    EXPECT_EQ(kinds, 1) << JobStateName(s);
  }
  EXPECT_TRUE(IsBaseState(JobState::kOutOfMemory));
  EXPECT_FALSE(IsBaseState(JobState::kCompleting));
  EXPECT_TRUE(IsPending(JobState::kRequeueHold));
  EXPECT_TRUE(HoldsAllocation(JobState::kCompleting));
}

// The whole table, one row per state. A change to the table must change this text.
constexpr const char* kGoldenTable =
    R"(PENDING -> RUNNING CANCELLED FAILED DEADLINE CONFIGURING REVOKED RESV_DEL_HOLD
RUNNING -> SUSPENDED COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL PREEMPTED DEADLINE OUT_OF_MEMORY COMPLETING RESIZING REQUEUED STOPPED SIGNALING
SUSPENDED -> RUNNING CANCELLED FAILED NODE_FAIL PREEMPTED COMPLETING REQUEUED
COMPLETED -> PENDING REQUEUE_HOLD SPECIAL_EXIT
CANCELLED -> PENDING REQUEUE_HOLD SPECIAL_EXIT
FAILED -> PENDING REQUEUE_HOLD SPECIAL_EXIT
TIMEOUT -> PENDING REQUEUE_HOLD SPECIAL_EXIT
NODE_FAIL -> PENDING REQUEUE_HOLD SPECIAL_EXIT
PREEMPTED -> PENDING REQUEUE_HOLD SPECIAL_EXIT
BOOT_FAIL -> PENDING REQUEUE_HOLD SPECIAL_EXIT
DEADLINE -> PENDING REQUEUE_HOLD SPECIAL_EXIT
OUT_OF_MEMORY -> PENDING REQUEUE_HOLD SPECIAL_EXIT
COMPLETING -> PENDING COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL PREEMPTED BOOT_FAIL DEADLINE OUT_OF_MEMORY STAGE_OUT REQUEUED REQUEUE_HOLD SPECIAL_EXIT
STAGE_OUT -> COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL PREEMPTED DEADLINE OUT_OF_MEMORY
CONFIGURING -> RUNNING CANCELLED FAILED NODE_FAIL BOOT_FAIL DEADLINE COMPLETING REQUEUED
RESIZING -> RUNNING CANCELLED FAILED NODE_FAIL COMPLETING
REQUEUED -> PENDING CANCELLED REQUEUE_FED REQUEUE_HOLD SPECIAL_EXIT
REQUEUE_FED -> PENDING CANCELLED REVOKED
REQUEUE_HOLD -> PENDING CANCELLED
SPECIAL_EXIT -> PENDING CANCELLED
STOPPED -> RUNNING CANCELLED FAILED TIMEOUT NODE_FAIL PREEMPTED COMPLETING REQUEUED SIGNALING
REVOKED -> PENDING REQUEUE_HOLD SPECIAL_EXIT
RESV_DEL_HOLD -> PENDING CANCELLED
SIGNALING -> RUNNING COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL PREEMPTED DEADLINE OUT_OF_MEMORY COMPLETING
)";

TEST(JobStateTransitionTest, WholeTableMatchesGolden) {
  std::string table;
  for (JobState from : AllJobStates()) {
    table += std::string(JobStateName(from)) + " ->";
    for (JobState to : AllJobStates()) {
      if (CanTransition(from, to)) table += " " + std::string(JobStateName(to));
    }
    table += "\n";
  }
  EXPECT_EQ(table, kGoldenTable);
}

TEST(JobStateTransitionTest, InvariantsOverEveryPair) {
  for (JobState from : AllJobStates()) {
    std::vector<JobState> next = NextStates(from);
    for (JobState to : AllJobStates()) {
      bool can = CanTransition(from, to);
      EXPECT_EQ(can, std::find(next.begin(), next.end(), to) != next.end());
      if (from == to) {
        EXPECT_FALSE(can) << JobStateName(from);
      }
      // Finished states are terminal but for a requeue into the pending family.
      if (IsFinished(from) && can) {
        EXPECT_TRUE(IsPending(to)) << JobStateName(to);
      }
      // Nothing reaches a finished state without having had nodes, except a pending
      // job being cancelled, failed, passing its deadline or revoked.
      if (IsPending(from) && IsFinished(to) && can) {
        EXPECT_TRUE(to == JobState::kCancelled || to == JobState::kFailed ||
                    to == JobState::kDeadline || to == JobState::kRevoked)
            << JobStateName(from) << " -> " << JobStateName(to);
      }
      // A job never jumps from waiting to COMPLETED: it has to run first.
      if (IsPending(from)) {
        EXPECT_FALSE(to == JobState::kCompleted && can);
      }
    }
  }
}

std::set<JobState> Reachable(JobState start) {
  std::set<JobState> seen = {start};
  std::deque<JobState> queue = {start};
  while (!queue.empty()) {
    JobState s = queue.front();
    queue.pop_front();
    for (JobState n : NextStates(s)) {
      if (seen.insert(n).second) queue.push_back(n);
    }
  }
  return seen;
}

TEST(JobStateTransitionTest, EveryStateIsReachableFromPending) {
  EXPECT_EQ(Reachable(JobState::kPending).size(), AllJobStates().size());
}

TEST(JobStateTransitionTest, EveryStateCanFinish) {
  for (JobState s : AllJobStates()) {
    bool can_finish = false;
    for (JobState r : Reachable(s)) can_finish |= IsFinished(r);
    EXPECT_TRUE(can_finish) << JobStateName(s);
  }
}

TEST(JobStateTransitionTest, TypicalLifecycles) {
  EXPECT_TRUE(CanTransition(JobState::kPending, JobState::kRunning));
  EXPECT_TRUE(CanTransition(JobState::kPending, JobState::kCancelled));
  EXPECT_TRUE(CanTransition(JobState::kRunning, JobState::kCompleting));
  EXPECT_TRUE(CanTransition(JobState::kCompleting, JobState::kCompleted));
  EXPECT_TRUE(CanTransition(JobState::kRunning, JobState::kSuspended));
  EXPECT_TRUE(CanTransition(JobState::kSuspended, JobState::kRunning));
  EXPECT_TRUE(CanTransition(JobState::kCompleted, JobState::kPending));  // requeue
  EXPECT_FALSE(CanTransition(JobState::kCompleted, JobState::kRunning));
  EXPECT_FALSE(CanTransition(JobState::kPending, JobState::kCompleted));
  EXPECT_FALSE(CanTransition(JobState::kPending, JobState::kTimeout));
  EXPECT_FALSE(CanTransition(JobState::kSuspended, JobState::kTimeout));
}

RC_GTEST_PROP(JobStateProp, NameAndCodeParseBack, (uint8_t raw)) {
  JobState s = AllJobStates()[raw % AllJobStates().size()];
  RC_ASSERT(*ParseJobState(JobStateName(s)) == s);
  RC_ASSERT(*ParseJobState(JobStateCode(s)) == s);
}

RC_GTEST_PROP(JobStateProp, ListOfNamesParsesBack, (std::vector<uint8_t> raw)) {
  RC_PRE(!raw.empty());
  std::string text;
  std::vector<JobState> expected;
  for (uint8_t r : raw) {
    JobState s = AllJobStates()[r % AllJobStates().size()];
    if (!text.empty()) text += ",";
    text += std::string(r % 2 ? JobStateCode(s) : JobStateName(s));
    if (std::find(expected.begin(), expected.end(), s) == expected.end()) expected.push_back(s);
  }
  auto parsed = ParseJobStateList(text);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == expected);
}

}  // namespace
}  // namespace drover
