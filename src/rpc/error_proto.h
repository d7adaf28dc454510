// Drover errors as the wire contract carries them, without gRPC: the ErrorCode enum and
// ErrorDetail messages of common.proto, and the Error a finished call's status fields
// (grpc-status, grpc-message, grpc-status-details-bin) stand for. status.h maps the same
// to and from grpc::Status for the gRPC servers and clients.
//
// error_proto.cc holds the compile-time check that drover.v1.ErrorCode has exactly the
// rows of DROVER_ERROR_CODES (base/error_code.h), name for name and number for number.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "base/result.h"
#include "drover/v1/common.pb.h"

namespace drover::rpc {

// The enum on the wire. Values outside the table (a newer peer, a corrupt record) map to
// kUnknown / ERROR_CODE_UNKNOWN.
v1::ErrorCode ToProto(ErrorCode code);
ErrorCode FromProto(v1::ErrorCode code);

// An Error as a message, for per-item results inside successful replies
// (JobActionResult) and for the status details.
v1::ErrorDetail ToProto(const Error& error);
Error FromProto(const v1::ErrorDetail& detail);

// The Error a failed call stands for: the ErrorDetail inside `details` (a serialized
// RpcStatus) when there is one, else one mapped from the gRPC code (UNAVAILABLE ->
// kUnavailable, DEADLINE_EXCEEDED -> kTimeout, ..., others kUnknown) with `message`.
// REQUIRES: grpc_code != 0 (OK gives kInternal).
Error ErrorFromCallStatus(int grpc_code, std::string_view message, std::string_view details);

}  // namespace drover::rpc
