#include "rpc/auth_client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/interceptor.h>

#include <optional>
#include <utility>
#include <vector>

#include "rpc/auth_metadata.h"
#include "rpc/status.h"

namespace drover::rpc {
namespace {

using grpc::experimental::InterceptionHookPoints;

// One per call: gRPC creates it from the factory when the call starts.
class MungeInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MungeInterceptor(const auth::Munge& munge) : munge_(munge) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      std::multimap<std::string, std::string>* metadata = methods->GetSendInitialMetadata();
      if (metadata->count(kMungeMetadataKey) == 0) {
        Result<std::string> credential = munge_.Encode();
        if (credential) {
          metadata->emplace(kMungeMetadataKey, std::move(credential).value());
        } else {
          // Nothing goes out: the call is hijacked and finished below with the error, so
          // the caller sees "Munge encode failed" rather than the server's "missing".
          failure_ = ToGrpcStatus(credential.error());
          methods->Hijack();
          return;
        }
      }
    }
    if (failure_) {
      // The hijacked call's receive side: no message, then the failure as its status.
      if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_RECV_MESSAGE)) {
        methods->FailHijackedRecvMessage();
      }
      if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_RECV_STATUS)) {
        *methods->GetRecvStatus() = *failure_;
      }
    }
    methods->Proceed();
  }

 private:
  const auth::Munge& munge_;  // the factory's, which gRPC keeps alive with the channel
  std::optional<grpc::Status> failure_;
};

class MungeInterceptorFactoryImpl final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit MungeInterceptorFactoryImpl(auth::Munge munge) : munge_(std::move(munge)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new MungeInterceptor(munge_);
  }

 private:
  const auth::Munge munge_;
};

}  // namespace

Status AttachMungeCredential(grpc::ClientContext& context, const auth::Munge& munge) {
  ASSIGN_OR_RETURN(std::string credential, munge.Encode());
  context.AddMetadata(kMungeMetadataKey, credential);
  return Ok();
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MungeInterceptorFactory(
    auth::Munge munge) {
  return std::make_unique<MungeInterceptorFactoryImpl>(std::move(munge));
}

std::shared_ptr<grpc::Channel> CreateAuthenticatedChannel(const std::string& target,
                                                          auth::Munge munge,
                                                          grpc::ChannelArguments args) {
  // A retry policy from a resolver's service config would resend a decoded credential.
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(MungeInterceptorFactory(std::move(munge)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, grpc::InsecureChannelCredentials(), args, std::move(factories));
}

}  // namespace drover::rpc
