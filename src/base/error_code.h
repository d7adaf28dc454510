// Drover's error codes: one table, each row a code, its number on the wire, the Slurm
// errno it corresponds to (0 where Slurm has none) and the text Slurm prints for it.
//
// The table is the single source: ErrorCode, ErrorText() and SlurmErrno() are generated
// from it here, and src/rpc checks at compile time that proto/drover/v1/common.proto's
// ErrorCode enum carries the same numbers. Add a row at the end of its group; never
// renumber one (numbers are on the wire and in the state store).
//
// Thread-safety: constants only.
#pragma once

#include <cstdint>
#include <string_view>

namespace drover {

// X(Name, wire number, Slurm errno, text as Slurm words it)
#define DROVER_ERROR_CODES(X)                                                                   \
  X(kOk, 0, 0, "No error")                                                                      \
  X(kUnknown, 1, -1, "Unspecified error")                                                       \
  X(kInvalidArgument, 2, 22, "Invalid argument")                                                \
  X(kNotFound, 3, 2, "No such file or directory")                                               \
  X(kAlreadyExists, 4, 17, "File exists")                                                       \
  X(kPermissionDenied, 5, 1, "Operation not permitted")                                         \
  X(kIo, 6, 5, "Input/output error")                                                            \
  X(kUnavailable, 7, 1800, "Unable to contact slurm controller (connect failure)")              \
  X(kTimeout, 8, 5004, "Socket timed out on send/recv operation")                               \
  X(kInternal, 9, 2090, "Slurmctld internal error")                                             \
  X(kNotSupported, 10, 2036, "Requested operation not supported on this system")                \
  X(kCancelled, 11, 0, "Operation cancelled")                                                   \
  X(kProtocol, 12, 1002, "Message receive failure")                                             \
  /* configuration */                                                                           \
  X(kConfigSyntax, 100, 0, "Configuration syntax error")                                        \
  X(kConfigValue, 101, 0, "Invalid configuration value")                                        \
  X(kConfigMissing, 102, 0, "Required configuration missing")                                   \
  /* parsing of user input */                                                                   \
  X(kInvalidHostlist, 200, 0, "Invalid hostlist")                                               \
  X(kInvalidTimeValue, 201, 2054, "Invalid time specified")                                     \
  X(kInvalidMemory, 202, 0, "Invalid memory specification")                                     \
  X(kInvalidTres, 203, 2115, "Invalid Trackable RESource (TRES) specification")                 \
  /* jobs, nodes, partitions: Slurm's ESLURM_* */                                               \
  X(kInvalidPartitionName, 2000, 2000, "Invalid partition name specified")                      \
  X(kDefaultPartitionNotSet, 2001, 2001, "No partition specified or system default partition")  \
  X(kAccessDenied, 2002, 2002, "Access/permission denied")                                      \
  X(kPartitionGroupDenied, 2003, 2003, "User's group not permitted to use this partition")      \
  X(kNodesNotInPartition, 2004, 2004, "Requested nodes not in this partition")                  \
  X(kTooManyRequestedCpus, 2005, 2005, "More processors requested than permitted")              \
  X(kInvalidNodeCount, 2006, 2006, "Node count specification invalid")                          \
  X(kJobScriptMissing, 2009, 2009, "Job script not specified")                                  \
  X(kUserIdMissing, 2010, 2010, "Invalid user id")                                              \
  X(kDuplicateJobId, 2011, 2011, "Duplicate job id")                                            \
  X(kPathnameTooLong, 2012, 2012, "Pathname of a file, directory or other parameter too long")  \
  X(kNodeConfigUnavailable, 2014, 2014, "Requested node configuration is not available")        \
  X(kPartitionConfigUnavailable, 2015, 2015,                                                    \
    "Requested partition configuration not available now")                                     \
  X(kNodesBusy, 2016, 2016, "Requested nodes are busy")                                         \
  X(kInvalidJobId, 2017, 2017, "Invalid job id specified")                                      \
  X(kInvalidNodeName, 2018, 2018, "Invalid node name specified")                                \
  X(kTransitionStateNoUpdate, 2020, 2020, "Job can not be altered now, try again later")        \
  X(kAlreadyDone, 2021, 2021, "Job/step already completing or completed")                       \
  X(kJobPending, 2024, 2024, "Job is pending execution")                                        \
  X(kInvalidJobCredential, 2026, 2026, "Error processing job credential")                       \
  X(kInvalidNodeState, 2028, 2028, "Invalid node state specified")                              \
  X(kInvalidFeature, 2029, 2029, "Invalid feature specification")                               \
  X(kDisabled, 2037, 2037, "Requested operation is presently disabled")                         \
  X(kDependency, 2038, 2038, "Job dependency problem")                                          \
  X(kJobHeld, 2042, 2042, "Job is in held state, pending scheduler release")                    \
  X(kInvalidTaskMemory, 2044, 2044, "Memory required by task is not available")                 \
  X(kInvalidAccount, 2045, 2045, "Invalid account or account/partition combination specified") \
  X(kInvalidLicenses, 2048, 2048, "Invalid license specification")                              \
  X(kAccountingPolicy, 2050, 2050,                                                              \
    "Job violates accounting/QOS policy (job submit limit, user's size and/or time limits)")   \
  X(kInvalidTimeLimit, 2051, 2051,                                                              \
    "Requested time limit is invalid (missing or exceeds some limit)")                         \
  X(kReservationAccess, 2052, 2052, "Access denied to requested reservation")                   \
  X(kReservationInvalid, 2053, 2053, "Requested reservation is invalid")                        \
  X(kReservationBusy, 2055, 2055, "Requested reservation is in use")                            \
  X(kReservationNotUsable, 2056, 2056, "Requested reservation not usable now")                  \
  X(kReservationOverlap, 2058, 2058, "Requested reservation overlaps with another reservation")  \
  X(kInvalidQos, 2066, 2066, "Invalid qos specification")                                       \
  X(kNodeNotAvail, 2068, 2068, "Required node not available (down, drained or reserved)")       \
  X(kPartitionNotAvail, 2070, 2070, "Required partition not available (inactive or drain)")     \
  X(kCircularDependency, 2071, 2071, "Circular job dependency")                                 \
  X(kInvalidGres, 2072, 2072, "Invalid generic resource (gres) specification")                  \
  X(kJobNotPending, 2073, 2073, "Job is no longer pending execution")                           \
  X(kJobSuspended, 2077, 2077, "Job is current suspended, requested operation disabled")       \
  X(kCanNotStartImmediately, 2078, 2078, "Job can not start immediately")                       \
  X(kInvalidArray, 2081, 2081, "Invalid job array specification")                               \
  X(kJobFinished, 2084, 2084, "Job has already finished")                                       \
  X(kJobNotRunning, 2085, 2085, "Job is not running")                                           \
  X(kPartitionDown, 2101, 2101, "Partition in DOWN state")                                      \
  /* identity */                                                                                \
  X(kAuthCredInvalid, 6000, 6000, "Invalid authentication credential")                          \
  X(kAuthExpired, 6001, 6000, "Expired credential")                                             \
  X(kAuthReplayed, 6002, 6000, "Replayed credential")                                           \
  X(kAuthUnavailable, 6003, 1800, "Unable to contact authentication service")                   \
  /* accounting */                                                                              \
  X(kDbConnection, 7000, 7000, "Unable to connect to database")                                 \
  X(kInvalidUser, 7002, 0, "Invalid user")

enum class ErrorCode : int32_t {
#define DROVER_ERROR_ENUM(name, number, slurm, text) name = number,
  DROVER_ERROR_CODES(DROVER_ERROR_ENUM)
#undef DROVER_ERROR_ENUM
};

// The text Slurm prints for the code ("Invalid partition name specified").
std::string_view ErrorText(ErrorCode code);
// The enumerator's name without its k ("InvalidPartitionName"), for logs and tests.
std::string_view ErrorName(ErrorCode code);
// Slurm's errno for the code; 0 where Slurm has no counterpart.
int SlurmErrno(ErrorCode code);
// True when `number` is a row of the table (for values read from the wire or disk).
bool IsKnownErrorCode(int32_t number);

}  // namespace drover
