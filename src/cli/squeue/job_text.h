// How a JobInfo's values read on screen, shared by squeue's columns and scontrol show job:
// the job id with its array part (35492_[1-5%2]), state and reason names, elapsed and
// limit times, absolute times, request summaries. All take `now` where the answer moves
// with time, so tests pin it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "drover/v1/job.pb.h"

namespace drover::cli::jobtext {

namespace v1 = ::drover::v1;

// "35483", "35492_3" (a task), "35492_[1-5%2]" (tasks not yet started, with the throttle).
std::string JobIdText(const v1::JobInfo& job);
// "1-5%2" for the pending tasks of an array, "3" for a task, "N/A" otherwise.
std::string ArrayTaskText(const v1::JobInfo& job);
// The ranges alone: "1-5", "1,3,5-7".
std::string IdRangesText(const google::protobuf::RepeatedPtrField<v1::IdRange>& ranges);

std::string_view StateName(v1::JobState state);  // "RUNNING"
std::string_view StateCode(v1::JobState state);  // "R"
bool IsPendingState(v1::JobState state);
bool IsFinishedState(v1::JobState state);
// "Resources"; UNSPECIFIED reads as "None".
std::string_view ReasonName(v1::PendingReason reason);
// "(Resources)" for a pending job ("(ReqNodeNotAvail, UnavailableNodes:node1)" with the
// detail), its node list otherwise: squeue's NODELIST(REASON).
std::string ReasonOrNodes(const v1::JobInfo& job);

// Seconds the job has run: 0 while pending, up to `now` while running, up to its end once
// over, less the time spent suspended. Negative when the record's times disagree.
int64_t TimeUsedSeconds(const v1::JobInfo& job, int64_t now);
// The time limit in seconds; -1 for UNLIMITED (absent counts as UNLIMITED).
int64_t TimeLimitSeconds(const v1::JobInfo& job);
// squeue's TIME: "0:07", "INVALID" when negative.
std::string TimeUsedText(const v1::JobInfo& job, int64_t now);
// squeue's TIME_LIMIT: "30:00", "UNLIMITED".
std::string TimeLimitText(const v1::JobInfo& job);
// squeue's TIME_LEFT.
std::string TimeLeftText(const v1::JobInfo& job, int64_t now);

// "2026-11-21T23:35:45" in local time, or `unset` when t is 0.
std::string IsoTimeOr(int64_t t, std::string_view unset);
// The text, or "(null)" when empty: Slurm's printf of a NULL string.
std::string OrNull(std::string_view s);

// "afterok:42(unfulfilled),singleton"; "(null)" with no dependency.
std::string DependencyText(const v1::DependencySpec& dep);
// scontrol's OverSubscribe= of a job: OK, NO, USER, MCS, TOPO, YES.
std::string_view SharingText(v1::SharingMode mode);
// "cpu=4,mem=200M,node=4,billing=4".
std::string TresText(const v1::TresList& tres);
// "gres:gpu:nvidia_l40s:1" per node, as TresPerNode= and squeue %b print it; "" when none.
std::string TresPerNodeText(const v1::JobSpec& spec);
// Memory request as squeue %m prints it: "50M", "10G"; "0" when none.
std::string MinMemoryText(const v1::JobSpec& spec);
// "matlab:2,foo@db:1"; "(null)" when none.
std::string LicensesText(const google::protobuf::RepeatedPtrField<v1::License>& licenses);

}  // namespace drover::cli::jobtext
