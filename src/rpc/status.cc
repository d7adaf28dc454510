#include "rpc/status.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace drover::rpc {
namespace {

// Every row of DROVER_ERROR_CODES (base/error_code.h): its drover.v1.ErrorCode enumerator
// (common.proto) and the gRPC code it travels under. The static_asserts below fail to
// compile when this table, that table and common.proto disagree: a row added there must
// be added here and to common.proto, with the same name and number.
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

// ---------------------------------------------------------------------------------------
// Compile-time checks.

// True when `proto` is "ERROR_CODE_" + UPPER_SNAKE(`enumerator` without its k):
// kInvalidPartitionName <-> ERROR_CODE_INVALID_PARTITION_NAME, kIo <-> ERROR_CODE_IO.
constexpr bool ProtoNameMatches(std::string_view enumerator, std::string_view proto) {
  constexpr std::string_view kPrefix = "ERROR_CODE_";
  if (!enumerator.starts_with('k') || !proto.starts_with(kPrefix)) return false;
  enumerator.remove_prefix(1);
  proto.remove_prefix(kPrefix.size());
  std::size_t j = 0;
  for (std::size_t i = 0; i < enumerator.size(); ++i) {
    char c = enumerator[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0 && (j >= proto.size() || proto[j++] != '_')) return false;
    } else if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    if (j >= proto.size() || proto[j++] != c) return false;
  }
  return j == proto.size();
}
static_assert(ProtoNameMatches("kInvalidPartitionName", "ERROR_CODE_INVALID_PARTITION_NAME"));
static_assert(ProtoNameMatches("kIo", "ERROR_CODE_IO"));
static_assert(!ProtoNameMatches("kInvalidQos", "ERROR_CODE_INVALID_Q_O_S"));
static_assert(!ProtoNameMatches("kNotFound", "ERROR_CODE_NOT_FOUNDX"));

// (1) Each row here: the drover.v1 enumerator has the ErrorCode's number and name.
#define DROVER_CHECK_WIRE_ROW(name, proto, grpc_code)                                    \
  static_assert(static_cast<int>(ErrorCode::name) == static_cast<int>(v1::proto),        \
                "ErrorCode::" #name " and drover.v1." #proto " have different numbers"); \
  static_assert(ProtoNameMatches(#name, #proto),                                         \
                "ErrorCode::" #name " is not named drover.v1." #proto);
DROVER_ERROR_WIRE(DROVER_CHECK_WIRE_ROW)
#undef DROVER_CHECK_WIRE_ROW

// (2) Each row of DROVER_ERROR_CODES is here, and this table has no other rows.
constexpr std::array kWireNumbers = {
#define DROVER_WIRE_NUMBER(name, proto, grpc_code) static_cast<int>(ErrorCode::name),
    DROVER_ERROR_WIRE(DROVER_WIRE_NUMBER)
#undef DROVER_WIRE_NUMBER
};
constexpr std::array kTableNumbers = {
#define DROVER_TABLE_NUMBER(name, number, slurm, text) number,
    DROVER_ERROR_CODES(DROVER_TABLE_NUMBER)
#undef DROVER_TABLE_NUMBER
};
constexpr bool InWireTable(int number) {
  for (int n : kWireNumbers) {
    if (n == number) return true;
  }
  return false;
}
static_assert(kWireNumbers.size() == kTableNumbers.size(),
              "DROVER_ERROR_WIRE (src/rpc/status.cc) and DROVER_ERROR_CODES "
              "(src/base/error_code.h) have different numbers of rows");
#define DROVER_CHECK_TABLE_ROW(name, number, slurm, text)                      \
  static_assert(InWireTable(number),                                           \
                "ErrorCode::" #name                                            \
                " is missing from DROVER_ERROR_WIRE in src/rpc/status.cc and " \
                "perhaps from proto/drover/v1/common.proto");
DROVER_ERROR_CODES(DROVER_CHECK_TABLE_ROW)
#undef DROVER_CHECK_TABLE_ROW

// (3) drover.v1.ErrorCode has no enumerator outside this table: the switch in FromProto
// below lists every row and no default, and -Wswitch is an error there.

// ---------------------------------------------------------------------------------------

std::optional<v1::ErrorDetail> DetailOf(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  v1::RpcStatus rpc_status;
  if (!rpc_status.ParseFromString(status.error_details())) return std::nullopt;
  for (const auto& any : rpc_status.details()) {
    v1::ErrorDetail detail;
    if (any.Is<v1::ErrorDetail>() && any.UnpackTo(&detail)) return detail;
  }
  return std::nullopt;
}

// For statuses without Drover details: made by gRPC itself (no connection, deadline,
// message too large) or by a peer that is not Drover.
ErrorCode CodeForBareStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
      return ErrorCode::kUnavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return ErrorCode::kTimeout;
    case grpc::StatusCode::CANCELLED:
      return ErrorCode::kCancelled;
    case grpc::StatusCode::UNIMPLEMENTED:
      return ErrorCode::kNotSupported;  // e.g. an older server without the RPC
    case grpc::StatusCode::UNAUTHENTICATED:
      return ErrorCode::kAuthCredInvalid;
    case grpc::StatusCode::PERMISSION_DENIED:
      return ErrorCode::kPermissionDenied;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return ErrorCode::kInvalidArgument;
    case grpc::StatusCode::NOT_FOUND:
      return ErrorCode::kNotFound;
    case grpc::StatusCode::ALREADY_EXISTS:
      return ErrorCode::kAlreadyExists;
    case grpc::StatusCode::INTERNAL:
      return ErrorCode::kInternal;
    default:
      return ErrorCode::kUnknown;
  }
}

}  // namespace

#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"

grpc::StatusCode GrpcCodeFor(ErrorCode code) {
  switch (code) {
#define DROVER_GRPC_CODE(name, proto, grpc_code) \
  case ErrorCode::name:                          \
    return grpc::StatusCode::grpc_code;
    DROVER_ERROR_WIRE(DROVER_GRPC_CODE)
#undef DROVER_GRPC_CODE
  }
  return grpc::StatusCode::UNKNOWN;  // a value cast from outside the table
}

v1::ErrorCode ToProto(ErrorCode code) {
  switch (code) {
#define DROVER_TO_PROTO(name, proto, grpc_code) \
  case ErrorCode::name:                         \
    return v1::proto;
    DROVER_ERROR_WIRE(DROVER_TO_PROTO)
#undef DROVER_TO_PROTO
  }
  return v1::ERROR_CODE_UNKNOWN;
}

ErrorCode FromProto(v1::ErrorCode code) {
  switch (code) {
#define DROVER_FROM_PROTO(name, proto, grpc_code) \
  case v1::proto:                                 \
    return ErrorCode::name;
    DROVER_ERROR_WIRE(DROVER_FROM_PROTO)
#undef DROVER_FROM_PROTO
    // protoc's sentinels, there only to make the enum 32 bits wide.
    case v1::ErrorCode_INT_MIN_SENTINEL_DO_NOT_USE_:
    case v1::ErrorCode_INT_MAX_SENTINEL_DO_NOT_USE_:
      return ErrorCode::kUnknown;
  }
  return ErrorCode::kUnknown;  // proto3 enums are open: a newer peer's code
}

#pragma GCC diagnostic pop

v1::ErrorDetail ToProto(const Error& error) {
  v1::ErrorDetail detail;
  detail.set_code(ToProto(error.code()));
  detail.set_message(error.message());
  detail.set_context(error.context());
  return detail;
}

Error FromProto(const v1::ErrorDetail& detail) {
  return Error(FromProto(detail.code()), detail.message(), detail.context());
}

grpc::Status ToGrpcStatus(const Error& error) {
  grpc::StatusCode grpc_code = GrpcCodeFor(error.code());
  std::string text = error.ToString();
  v1::RpcStatus rpc_status;
  rpc_status.set_code(static_cast<int>(grpc_code));
  rpc_status.set_message(text);
  rpc_status.add_details()->PackFrom(ToProto(error));
  return grpc::Status(grpc_code, std::move(text), rpc_status.SerializeAsString());
}

grpc::Status ToGrpcStatus(const Status& status) {
  return status.has_value() ? grpc::Status::OK : ToGrpcStatus(status.error());
}

Error FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return Error(ErrorCode::kInternal, "FromGrpcStatus called with an OK status");
  if (std::optional<v1::ErrorDetail> detail = DetailOf(status)) return FromProto(*detail);
  ErrorCode code = CodeForBareStatus(status.error_code());
  if (status.error_message().empty()) return Error(code);
  return Error(code, status.error_message());
}

Status ToStatus(const grpc::Status& status) {
  if (status.ok()) return Ok();
  return FromGrpcStatus(status);
}

}  // namespace drover::rpc
