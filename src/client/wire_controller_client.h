// The ControllerClient the commands use: gRPC's wire protocol to droverctld over one
// wire::Channel (src/wire), without the gRPC library.
//
// A command makes one call or a few and exits, so what it pays for is start-up: a gRPC
// channel starts five threads, resolves names on one of them and waits for READY before
// the first call; linked in, gRPC's static initialisers run in every command, even
// `scontrol version`. The wire channel connects and sends the first call with the
// connection preface in one write. The controller's servers are unchanged gRPC.
//
// Every call carries a fresh MUNGE credential in the `x-drover-munge` metadata and a
// deadline of `timeout` (slurm.conf's MessageTimeout). Streaming lists are read to the
// end and gathered. AllocateJob is the exception: it stays open for the job's life, on
// its own connection to the same controller (wire_streams.h), with no deadline. A failed call comes back as the Error the controller returned
// (rpc::ErrorFromCallStatus); transport failures are worded as Slurm's commands word them:
// kUnavailable "Unable to contact slurm controller (connect failure)", kTimeout "Socket
// timed out on send/recv operation".
//
// Thread-safety: as ControllerClient (one thread at a time).
#pragma once

#include <chrono>
#include <memory>

#include "auth/munge.h"
#include "client/controller_client.h"

namespace drover::wire {
class Channel;
}

namespace drover::client {

std::unique_ptr<ControllerClient> NewWireControllerClient(std::unique_ptr<wire::Channel> channel,
                                                          auth::Munge munge,
                                                          std::chrono::milliseconds timeout);

}  // namespace drover::client
