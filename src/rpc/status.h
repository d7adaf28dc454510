// Error <-> grpc::Status: the one place a Drover Error crosses the wire.
//
// A failed RPC carries a grpc::StatusCode chosen for generic gRPC clients and retry
// policies (NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE, ...), the error as text, and in the
// status details (the grpc-status-details-bin trailer) a drover.v1.RpcStatus wrapping an
// ErrorDetail with the exact ErrorCode, message and context. A Drover client therefore
// gets back exactly the Error the server returned. Statuses without Drover details (made
// by gRPC itself, or by a peer that is not Drover) are mapped by their gRPC code:
// UNAVAILABLE -> kUnavailable, DEADLINE_EXCEEDED -> kTimeout, ..., anything else
// -> kUnknown, keeping gRPC's message.
//
// The conversions that need no gRPC (enum and ErrorDetail <-> proto, a call's status
// fields -> Error) are in error_proto.h, for clients that speak the wire protocol
// without gRPC (src/wire).
//
// Thread-safety: pure functions.
#pragma once

#include <grpcpp/support/status.h>

#include "base/result.h"
#include "drover/v1/common.pb.h"
#include "rpc/error_proto.h"

namespace drover::rpc {

// The gRPC code a Drover error travels under. kOk (never a real error) travels as UNKNOWN
// so it cannot be mistaken for success.
grpc::StatusCode GrpcCodeFor(ErrorCode code);

// The status a handler returns for `error`.
grpc::Status ToGrpcStatus(const Error& error);
// OK for success, else ToGrpcStatus(status.error()).
grpc::Status ToGrpcStatus(const Status& status);

// The Error a failed call returned. REQUIRES: !status.ok() (an OK status gives kInternal).
Error FromGrpcStatus(const grpc::Status& status);
// Ok() for an OK status, else FromGrpcStatus(status).
Status ToStatus(const grpc::Status& status);

}  // namespace drover::rpc
