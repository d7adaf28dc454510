#include "rpc/convert_enums.h"

#include <string>

namespace drover::rpc {
namespace {

#define DROVER_COUNT_ROW(...) +1
constexpr int kCoreJobStates = 0 DROVER_JOB_STATES(DROVER_COUNT_ROW);
constexpr int kCorePendingReasons = 0 DROVER_PENDING_REASONS(DROVER_COUNT_ROW);
#undef DROVER_COUNT_ROW

// Same length: the proto's largest value is the core's last enumerator + 1.
static_assert(v1::JobState_MAX == kCoreJobStates,
              "drover.v1.JobState (common.proto) and DROVER_JOB_STATES (core/job_state.h) "
              "have different lengths");
static_assert(v1::PendingReason_MAX == kCorePendingReasons,
              "drover.v1.PendingReason (common.proto) and DROVER_PENDING_REASONS "
              "(core/pending_reason.h) have different lengths");
// Same offset at both ends (a row inserted in the middle of one list shows up in the
// descriptor test, convert_test.cc).
static_assert(v1::JOB_STATE_PENDING == static_cast<int>(JobState::kPending) + 1);
static_assert(v1::JOB_STATE_SIGNALING == static_cast<int>(JobState::kSignaling) + 1);
static_assert(v1::JOB_STATE_COMPLETING == static_cast<int>(JobState::kCompleting) + 1);
static_assert(v1::PENDING_REASON_NONE == static_cast<int>(PendingReason::kNone) + 1);
static_assert(v1::PENDING_REASON_JOB_HELD_USER ==
              static_cast<int>(PendingReason::kJobHeldUser) + 1);
static_assert(v1::PENDING_REASON_MPI_PORTS_BUSY ==
              static_cast<int>(PendingReason::kMpiPortsBusy) + 1);

}  // namespace

v1::JobState ToProto(JobState state) {
  return static_cast<v1::JobState>(static_cast<int>(state) + 1);
}

Result<JobState> FromProto(v1::JobState state) {
  int n = static_cast<int>(state);
  if (n < 1 || n > kCoreJobStates) {
    return Error(ErrorCode::kInvalidArgument, "Invalid job state specified: " + std::to_string(n));
  }
  return static_cast<JobState>(n - 1);
}

v1::PendingReason ToProto(PendingReason reason) {
  return static_cast<v1::PendingReason>(static_cast<int>(reason) + 1);
}

Result<PendingReason> FromProto(v1::PendingReason reason) {
  int n = static_cast<int>(reason);
  if (n < 1 || n > kCorePendingReasons) {
    return Error(ErrorCode::kInvalidArgument, "Invalid job reason: " + std::to_string(n));
  }
  return static_cast<PendingReason>(n - 1);
}

}  // namespace drover::rpc
