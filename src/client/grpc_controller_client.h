// The ControllerClient that talks gRPC to droverctld over one channel.
//
// Every call gets its own ClientContext with a deadline of `timeout` (slurm.conf's
// MessageTimeout) and, through the channel's interceptor (rpc::CreateAuthenticatedChannel),
// a fresh MUNGE credential. Streaming lists are read to the end and gathered. A failed call
// comes back as the Error the controller returned (rpc::FromGrpcStatus); failures made by
// gRPC itself are worded as Slurm's commands word them: a controller that cannot be reached
// is kUnavailable "Unable to contact slurm controller (connect failure)", a deadline
// kTimeout "Socket timed out on send/recv operation".
//
// This header keeps <grpcpp/...> and the generated stubs out of its includers.
//
// Thread-safety: as ControllerClient (one thread at a time).
#pragma once

#include <chrono>
#include <memory>

#include "client/controller_client.h"

namespace grpc {
class Channel;
}

namespace drover::client {

// REQUIRES: `channel` attaches MUNGE credentials (rpc::CreateAuthenticatedChannel) unless
// the peer does not check them (tests).
std::unique_ptr<ControllerClient> NewGrpcControllerClient(std::shared_ptr<grpc::Channel> channel,
                                                          std::chrono::milliseconds timeout);

}  // namespace drover::client
