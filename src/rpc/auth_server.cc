#include "rpc/auth_server.h"

#include <grpcpp/server_context.h>

#include <iterator>
#include <string>

#include "rpc/auth_metadata.h"
#include "rpc/status.h"

namespace drover::rpc {

Result<Identity> Authenticate(const grpc::ServerContextBase& context, const auth::Munge& munge) {
  const auto& metadata = context.client_metadata();
  auto [first, last] = metadata.equal_range(kMungeMetadataKey);
  if (first == last) {
    return Error(ErrorCode::kAuthCredInvalid, "Missing MUNGE credential in the call metadata");
  }
  if (std::next(first) != last) {
    // Two credentials could be two identities; refuse rather than pick one.
    return Error(ErrorCode::kAuthCredInvalid,
                 "More than one MUNGE credential in the call metadata");
  }
  const std::string credential(first->second.data(), first->second.size());
  ASSIGN_OR_RETURN(auth::DecodedCredential decoded, munge.Decode(credential));
  return Identity{.uid = decoded.uid, .gid = decoded.gid};
}

grpc::Status AuthenticateCall(const grpc::ServerContextBase& context, const auth::Munge& munge,
                              Identity* identity) {
  Result<Identity> result = Authenticate(context, munge);
  if (!result) return ToGrpcStatus(result.error());
  *identity = *result;
  return grpc::Status::OK;
}

}  // namespace drover::rpc
