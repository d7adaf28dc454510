// Server side of call authentication: who is calling, from the call's MUNGE credential.
//
// Authenticate decodes the one credential under kMungeMetadataKey with the server's
// munged and returns the uid/gid inside it. It refuses a call with no credential, more
// than one, or a malformed or foreign-key one (kAuthCredInvalid), an expired one
// (kAuthExpired), one decoded before (kAuthReplayed), and fails with kAuthUnavailable
// when the server's munged is down. Each call costs one decode (~100 µs round trip to
// munged), small beside the RPC itself; munged's replay cache is what makes a captured
// credential useless, so there is deliberately no cache of decoded credentials here.
//
// In a handler:
//   Identity caller;
//   if (grpc::Status s = AuthenticateCall(*context, munge_, &caller); !s.ok()) return s;
//
// Thread-safety: pure functions; safe from any handler thread.
#pragma once

#include <grpcpp/support/status.h>
#include <sys/types.h>

#include "auth/munge.h"
#include "base/result.h"

namespace grpc {
class ServerContextBase;
}

namespace drover::rpc {

// The caller as MUNGE vouches for it.
struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  friend bool operator==(const Identity&, const Identity&) = default;
};

// Works for the sync (ServerContext) and callback (CallbackServerContext) APIs alike.
Result<Identity> Authenticate(const grpc::ServerContextBase& context, const auth::Munge& munge);

// OK with `*identity` set, or the refusal as the status the handler returns
// (ToGrpcStatus: the client's FromGrpcStatus gives back the exact Error).
grpc::Status AuthenticateCall(const grpc::ServerContextBase& context, const auth::Munge& munge,
                              Identity* identity);

}  // namespace drover::rpc
