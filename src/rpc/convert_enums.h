// Job states and pending reasons between core and the wire: drover.v1.JobState and
// drover.v1.PendingReason mirror DROVER_JOB_STATES / DROVER_PENDING_REASONS with
// number = core value + 1 (0 is UNSPECIFIED), as common.proto says.
//
// convert_enums.cc checks at compile time that both lists have the same length and that
// their first and last rows line up; convert_test.cc checks every row's name and number
// through the proto descriptor. A row added to one list and not the other fails one of them.
//
// Thread-safety: pure functions.
#pragma once

#include "base/result.h"
#include "core/job_state.h"
#include "core/pending_reason.h"
#include "drover/v1/common.pb.h"

namespace drover::rpc {

v1::JobState ToProto(JobState state);
// Errors: kInvalidArgument for UNSPECIFIED and numbers outside the list (a newer peer).
Result<JobState> FromProto(v1::JobState state);

v1::PendingReason ToProto(PendingReason reason);
// Errors: kInvalidArgument for UNSPECIFIED and numbers outside the list.
Result<PendingReason> FromProto(v1::PendingReason reason);

}  // namespace drover::rpc
