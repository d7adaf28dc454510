#include "rpc/status.h"

#include <string>

#include "rpc/error_wire_table.h"

namespace drover::rpc {

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

#pragma GCC diagnostic pop

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
  return ErrorFromCallStatus(static_cast<int>(status.error_code()), status.error_message(),
                             status.error_details());
}

Status ToStatus(const grpc::Status& status) {
  if (status.ok()) return Ok();
  return FromGrpcStatus(status);
}

}  // namespace drover::rpc
