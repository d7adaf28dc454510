// The call metadata that carries a caller's identity (see common.proto's header comment).
//
// Every Drover RPC carries one MUNGE credential, text ("MUNGE:...:"), under this key: a
// plain ASCII value, so no -bin suffix. The server trusts the uid/gid munged decodes from
// it and nothing else the client states. auth_client.h attaches it, auth_server.h checks it.
#pragma once

namespace drover::rpc {

inline constexpr char kMungeMetadataKey[] = "x-drover-munge";

}  // namespace drover::rpc
