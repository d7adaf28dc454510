#include "rpc/error_proto.h"

#include <array>
#include <string_view>

#include "rpc/error_wire_table.h"

namespace drover::rpc {
namespace {

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

// For statuses without Drover details: made by gRPC itself (no connection, deadline,
// message too large) or by a peer that is not Drover. Codes as numbers, so this file
// needs nothing of gRPC but its enum.
ErrorCode CodeForBareStatus(int code) {
  switch (static_cast<grpc::StatusCode>(code)) {
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

Error ErrorFromCallStatus(int grpc_code, std::string_view message, std::string_view details) {
  if (grpc_code == 0) return Error(ErrorCode::kInternal, "ErrorFromCallStatus called with OK");
  if (!details.empty()) {
    v1::RpcStatus rpc_status;
    if (rpc_status.ParseFromArray(details.data(), static_cast<int>(details.size()))) {
      for (const auto& any : rpc_status.details()) {
        v1::ErrorDetail detail;
        if (any.Is<v1::ErrorDetail>() && any.UnpackTo(&detail)) return FromProto(detail);
      }
    }
  }
  ErrorCode code = CodeForBareStatus(grpc_code);
  if (message.empty()) return Error(code);
  return Error(code, std::string(message));
}

}  // namespace drover::rpc
