// JobState: the state of a job as squeue, scontrol and sacct show it, with Slurm's
// spellings, and the table of which state may follow which.
//
// Slurm keeps a base state (PENDING ... OUT_OF_MEMORY) plus flag bits (COMPLETING,
// CONFIGURING, REQUEUED, ...) and prints the first set flag in a fixed precedence, else
// the base state. Drover's enum is that *displayed* state: one value per name squeue can
// print, so the long name (`JobState=RUNNING`, squeue %T) and the short code (squeue %t,
// `ST` column) are functions of the value. Whoever owns a job record decides the
// displayed state; the transition table below says which moves are legal.
//
// Thread-safety: pure functions over constant tables; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover {

// X(Enumerator, long name as Slurm prints it, squeue %t code). Base states first, in
// Slurm's numbering order, then the flag states in Slurm's display precedence.
#define DROVER_JOB_STATES(X)              \
  X(kPending, "PENDING", "PD")            \
  X(kRunning, "RUNNING", "R")             \
  X(kSuspended, "SUSPENDED", "S")         \
  X(kCompleted, "COMPLETED", "CD")        \
  X(kCancelled, "CANCELLED", "CA")        \
  X(kFailed, "FAILED", "F")               \
  X(kTimeout, "TIMEOUT", "TO")            \
  X(kNodeFail, "NODE_FAIL", "NF")         \
  X(kPreempted, "PREEMPTED", "PR")        \
  X(kBootFail, "BOOT_FAIL", "BF")         \
  X(kDeadline, "DEADLINE", "DL")          \
  X(kOutOfMemory, "OUT_OF_MEMORY", "OOM") \
  X(kCompleting, "COMPLETING", "CG")      \
  X(kStageOut, "STAGE_OUT", "SO")         \
  X(kConfiguring, "CONFIGURING", "CF")    \
  X(kResizing, "RESIZING", "RS")          \
  X(kRequeued, "REQUEUED", "RQ")          \
  X(kRequeueFed, "REQUEUE_FED", "RF")     \
  X(kRequeueHold, "REQUEUE_HOLD", "RH")   \
  X(kSpecialExit, "SPECIAL_EXIT", "SE")   \
  X(kStopped, "STOPPED", "ST")            \
  X(kRevoked, "REVOKED", "RV")            \
  X(kResvDelHold, "RESV_DEL_HOLD", "RD")  \
  X(kSignaling, "SIGNALING", "SI")

enum class JobState : uint8_t {
#define DROVER_JOB_STATE_ENUM(name, long_name, code) name,
  DROVER_JOB_STATES(DROVER_JOB_STATE_ENUM)
#undef DROVER_JOB_STATE_ENUM
};

// Every state, in declaration order (for tables, tests and `squeue -t all`).
std::span<const JobState> AllJobStates();

// "RUNNING", "OUT_OF_MEMORY" (scontrol JobState=, squeue %T, sacct State).
std::string_view JobStateName(JobState state);
// "R", "OOM" (squeue %t and the ST column).
std::string_view JobStateCode(JobState state);

// Long name or short code, any case ("running", "R", "pd", "OUT_OF_MEMORY").
// Errors: kInvalidArgument "Invalid job state specified: <text>".
Result<JobState> ParseJobState(std::string_view text);

// squeue -t / --states: a comma-separated list of names or codes, or "all" (every
// state). Duplicates are dropped; order of first appearance is kept.
// Errors: as ParseJobState, for the first bad item; an empty list is an error.
Result<std::vector<JobState>> ParseJobStateList(std::string_view text);

// Slurm's base states (PENDING .. OUT_OF_MEMORY); the rest are flag states.
bool IsBaseState(JobState state);
// The job is over and holds no resources: COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL
// PREEMPTED BOOT_FAIL DEADLINE OUT_OF_MEMORY REVOKED. A finished job only moves again
// when requeued (back to PENDING).
bool IsFinished(JobState state);
// Waiting for resources, a hold, or a requeue to settle: PENDING REQUEUE_FED
// REQUEUE_HOLD SPECIAL_EXIT RESV_DEL_HOLD.
bool IsPending(JobState state);
// Holds an allocation: RUNNING SUSPENDED STOPPED CONFIGURING RESIZING SIGNALING
// COMPLETING STAGE_OUT REQUEUED (nodes are freed when COMPLETING/REQUEUED ends).
bool HoldsAllocation(JobState state);

// Whether a job in `from` may next be in `to`. A state never "moves" to itself.
bool CanTransition(JobState from, JobState to);
// The states `from` may move to, in declaration order.
std::vector<JobState> NextStates(JobState from);

}  // namespace drover
