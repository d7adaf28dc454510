// The wire table of Drover's errors: each ErrorCode's drover.v1.ErrorCode enumerator and
// the gRPC status code it travels under. Private to src/rpc (status.cc, error_proto.cc).
#pragma once

#include <grpcpp/support/status_code_enum.h>

#include "base/error_code.h"
#include "drover/v1/common.pb.h"

// Every row of DROVER_ERROR_CODES (base/error_code.h) is here. The static_asserts in
// error_proto.cc fail to compile when this table, that table and common.proto disagree:
// a row added there must be added here and to common.proto, same name and number.
// X(ErrorCode enumerator, drover.v1 enumerator, grpc::StatusCode)
#define DROVER_ERROR_WIRE(X)                                                                   \
  X(kOk, ERROR_CODE_OK, UNKNOWN)                                                               \
  X(kUnknown, ERROR_CODE_UNKNOWN, UNKNOWN)                                                     \
  X(kInvalidArgument, ERROR_CODE_INVALID_ARGUMENT, INVALID_ARGUMENT)                           \
  X(kNotFound, ERROR_CODE_NOT_FOUND, NOT_FOUND)                                                \
  X(kAlreadyExists, ERROR_CODE_ALREADY_EXISTS, ALREADY_EXISTS)                                 \
  X(kPermissionDenied, ERROR_CODE_PERMISSION_DENIED, PERMISSION_DENIED)                        \
  X(kIo, ERROR_CODE_IO, INTERNAL)                                                              \
  X(kUnavailable, ERROR_CODE_UNAVAILABLE, UNAVAILABLE)                                         \
  X(kTimeout, ERROR_CODE_TIMEOUT, DEADLINE_EXCEEDED)                                           \
  X(kInternal, ERROR_CODE_INTERNAL, INTERNAL)                                                  \
  X(kNotSupported, ERROR_CODE_NOT_SUPPORTED, UNIMPLEMENTED)                                    \
  X(kCancelled, ERROR_CODE_CANCELLED, CANCELLED)                                               \
  X(kProtocol, ERROR_CODE_PROTOCOL, INTERNAL)                                                  \
  X(kConfigSyntax, ERROR_CODE_CONFIG_SYNTAX, FAILED_PRECONDITION)                              \
  X(kConfigValue, ERROR_CODE_CONFIG_VALUE, FAILED_PRECONDITION)                                \
  X(kConfigMissing, ERROR_CODE_CONFIG_MISSING, FAILED_PRECONDITION)                            \
  X(kInvalidHostlist, ERROR_CODE_INVALID_HOSTLIST, INVALID_ARGUMENT)                           \
  X(kInvalidTimeValue, ERROR_CODE_INVALID_TIME_VALUE, INVALID_ARGUMENT)                        \
  X(kInvalidMemory, ERROR_CODE_INVALID_MEMORY, INVALID_ARGUMENT)                               \
  X(kInvalidTres, ERROR_CODE_INVALID_TRES, INVALID_ARGUMENT)                                   \
  X(kInvalidPartitionName, ERROR_CODE_INVALID_PARTITION_NAME, INVALID_ARGUMENT)                \
  X(kDefaultPartitionNotSet, ERROR_CODE_DEFAULT_PARTITION_NOT_SET, FAILED_PRECONDITION)        \
  X(kAccessDenied, ERROR_CODE_ACCESS_DENIED, PERMISSION_DENIED)                                \
  X(kPartitionGroupDenied, ERROR_CODE_PARTITION_GROUP_DENIED, PERMISSION_DENIED)               \
  X(kNodesNotInPartition, ERROR_CODE_NODES_NOT_IN_PARTITION, INVALID_ARGUMENT)                 \
  X(kTooManyRequestedCpus, ERROR_CODE_TOO_MANY_REQUESTED_CPUS, INVALID_ARGUMENT)               \
  X(kInvalidNodeCount, ERROR_CODE_INVALID_NODE_COUNT, INVALID_ARGUMENT)                        \
  X(kJobScriptMissing, ERROR_CODE_JOB_SCRIPT_MISSING, INVALID_ARGUMENT)                        \
  X(kUserIdMissing, ERROR_CODE_USER_ID_MISSING, INVALID_ARGUMENT)                              \
  X(kDuplicateJobId, ERROR_CODE_DUPLICATE_JOB_ID, ALREADY_EXISTS)                              \
  X(kPathnameTooLong, ERROR_CODE_PATHNAME_TOO_LONG, INVALID_ARGUMENT)                          \
  X(kNodeConfigUnavailable, ERROR_CODE_NODE_CONFIG_UNAVAILABLE, FAILED_PRECONDITION)           \
  X(kPartitionConfigUnavailable, ERROR_CODE_PARTITION_CONFIG_UNAVAILABLE, FAILED_PRECONDITION) \
  X(kNodesBusy, ERROR_CODE_NODES_BUSY, RESOURCE_EXHAUSTED)                                     \
  X(kInvalidJobId, ERROR_CODE_INVALID_JOB_ID, NOT_FOUND)                                       \
  X(kInvalidNodeName, ERROR_CODE_INVALID_NODE_NAME, NOT_FOUND)                                 \
  X(kTransitionStateNoUpdate, ERROR_CODE_TRANSITION_STATE_NO_UPDATE, FAILED_PRECONDITION)      \
  X(kAlreadyDone, ERROR_CODE_ALREADY_DONE, FAILED_PRECONDITION)                                \
  X(kJobPending, ERROR_CODE_JOB_PENDING, FAILED_PRECONDITION)                                  \
  X(kInvalidJobCredential, ERROR_CODE_INVALID_JOB_CREDENTIAL, UNAUTHENTICATED)                 \
  X(kInvalidNodeState, ERROR_CODE_INVALID_NODE_STATE, INVALID_ARGUMENT)                        \
  X(kInvalidFeature, ERROR_CODE_INVALID_FEATURE, INVALID_ARGUMENT)                             \
  X(kDisabled, ERROR_CODE_DISABLED, FAILED_PRECONDITION)                                       \
  X(kDependency, ERROR_CODE_DEPENDENCY, INVALID_ARGUMENT)                                      \
  X(kJobHeld, ERROR_CODE_JOB_HELD, FAILED_PRECONDITION)                                        \
  X(kInvalidTaskMemory, ERROR_CODE_INVALID_TASK_MEMORY, INVALID_ARGUMENT)                      \
  X(kInvalidAccount, ERROR_CODE_INVALID_ACCOUNT, INVALID_ARGUMENT)                             \
  X(kInvalidLicenses, ERROR_CODE_INVALID_LICENSES, INVALID_ARGUMENT)                           \
  X(kAccountingPolicy, ERROR_CODE_ACCOUNTING_POLICY, RESOURCE_EXHAUSTED)                       \
  X(kInvalidTimeLimit, ERROR_CODE_INVALID_TIME_LIMIT, INVALID_ARGUMENT)                        \
  X(kReservationAccess, ERROR_CODE_RESERVATION_ACCESS, PERMISSION_DENIED)                      \
  X(kReservationInvalid, ERROR_CODE_RESERVATION_INVALID, INVALID_ARGUMENT)                     \
  X(kReservationBusy, ERROR_CODE_RESERVATION_BUSY, FAILED_PRECONDITION)                        \
  X(kReservationNotUsable, ERROR_CODE_RESERVATION_NOT_USABLE, FAILED_PRECONDITION)             \
  X(kReservationOverlap, ERROR_CODE_RESERVATION_OVERLAP, FAILED_PRECONDITION)                  \
  X(kInvalidQos, ERROR_CODE_INVALID_QOS, INVALID_ARGUMENT)                                     \
  X(kNodeNotAvail, ERROR_CODE_NODE_NOT_AVAIL, FAILED_PRECONDITION)                             \
  X(kPartitionNotAvail, ERROR_CODE_PARTITION_NOT_AVAIL, FAILED_PRECONDITION)                   \
  X(kCircularDependency, ERROR_CODE_CIRCULAR_DEPENDENCY, INVALID_ARGUMENT)                     \
  X(kInvalidGres, ERROR_CODE_INVALID_GRES, INVALID_ARGUMENT)                                   \
  X(kJobNotPending, ERROR_CODE_JOB_NOT_PENDING, FAILED_PRECONDITION)                           \
  X(kJobSuspended, ERROR_CODE_JOB_SUSPENDED, FAILED_PRECONDITION)                              \
  X(kCanNotStartImmediately, ERROR_CODE_CAN_NOT_START_IMMEDIATELY, RESOURCE_EXHAUSTED)         \
  X(kInvalidArray, ERROR_CODE_INVALID_ARRAY, INVALID_ARGUMENT)                                 \
  X(kJobFinished, ERROR_CODE_JOB_FINISHED, FAILED_PRECONDITION)                                \
  X(kJobNotRunning, ERROR_CODE_JOB_NOT_RUNNING, FAILED_PRECONDITION)                           \
  X(kPartitionDown, ERROR_CODE_PARTITION_DOWN, FAILED_PRECONDITION)                            \
  X(kAuthCredInvalid, ERROR_CODE_AUTH_CRED_INVALID, UNAUTHENTICATED)                           \
  X(kAuthExpired, ERROR_CODE_AUTH_EXPIRED, UNAUTHENTICATED)                                    \
  X(kAuthReplayed, ERROR_CODE_AUTH_REPLAYED, UNAUTHENTICATED)                                  \
  X(kAuthUnavailable, ERROR_CODE_AUTH_UNAVAILABLE, UNAVAILABLE)                                \
  X(kDbConnection, ERROR_CODE_DB_CONNECTION, UNAVAILABLE)                                      \
  X(kInvalidUser, ERROR_CODE_INVALID_USER, INVALID_ARGUMENT)
