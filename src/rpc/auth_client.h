// Client side of call authentication: a fresh MUNGE credential on every call.
//
// How the credential travels: as call metadata (kMungeMetadataKey) over a plain insecure
// channel (TCP or Unix socket). gRPC's call credentials (MetadataCredentialsPlugin) are
// not used: gRPC 1.51 only sends them over channels with a security level of at least
// privacy-and-integrity (TLS; local credentials only for loopback), and Drover's channels
// are insecure. Instead an interceptor adds the metadata to each call, which works on any
// channel; AttachMungeCredential does the same for one ClientContext by hand.
//
// Replays: munged decodes a credential once. Each call (each ClientContext) gets a new
// credential, so a call retried by the application (a new context) is never refused as a
// replay. gRPC's own retries resend the first attempt's metadata, so configured retry
// policies must stay off for these channels: CreateAuthenticatedChannel ignores service
// configs from the resolver. Transparent retries stay on; they only resend calls the
// server application never saw, so the credential was never decoded.
//
// When munged cannot be reached the interceptor fails the call locally, without sending
// it, with the encoding error (kAuthUnavailable, "Munge encode failed: ...") in a
// grpc::Status made by ToGrpcStatus, so FromGrpcStatus gives the client that Error.
//
// Thread-safety: the factory and channels are thread-safe; Munge is an immutable value
// copied into the interceptor factory, so it need not outlive the channel.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/client_interceptor.h>

#include <memory>
#include <string>

#include "auth/munge.h"
#include "base/result.h"

namespace drover::rpc {

// Adds a fresh credential to `context`. REQUIRES: the call has not started.
Status AttachMungeCredential(grpc::ClientContext& context, const auth::Munge& munge);

// An interceptor factory that attaches a fresh credential to every call (unless the call
// already carries one), for grpc::experimental::CreateCustomChannelWithInterceptors.
std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MungeInterceptorFactory(
    auth::Munge munge);

// An insecure channel to `target` ("host:port", "unix:/path") whose every call carries a
// MUNGE credential from `munge`.
std::shared_ptr<grpc::Channel> CreateAuthenticatedChannel(
    const std::string& target, auth::Munge munge,
    grpc::ChannelArguments args = grpc::ChannelArguments());

}  // namespace drover::rpc
