// Munge: encodes and decodes MUNGE credentials through one munged socket.
//
// A MUNGE credential proves who encoded it: munged puts the caller's uid/gid (taken from
// the kernel, not from the caller) and an optional payload into a credential that only
// daemons holding the same cluster key can decode, and each daemon decodes a credential
// only once (replay cache) and only within its time-to-live. Drover attaches one to every
// RPC (src/rpc/auth_client.h) and signs step credentials with it (step_credential.h).
//
// Errors are worded as Slurm logs them ("Munge decode failed: Expired credential") and
// carry the code the caller acts on: kAuthExpired, kAuthReplayed, kAuthCredInvalid (a
// malformed credential or one made with another key), kAuthUnavailable (munged is not
// reachable on the socket). Encode/decode cost a round trip to munged (~100 µs here).
//
// This header is free of <munge.h> and of protobuf.
//
// Thread-safety: a Munge is an immutable value (the socket path); Encode and Decode may
// be called concurrently (each uses its own libmunge context).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"

namespace drover::auth {

struct EncodeOptions {
  // How long the credential stays valid; absent: munged's default (300 s). munged caps it
  // at its --max-ttl (3600 s by default).
  std::optional<Seconds> ttl = std::nullopt;
  // Only this uid may decode the credential (MUNGE_OPT_UID_RESTRICTION); for step
  // credentials meant for the node daemons' user. Absent: anyone with the key.
  std::optional<uid_t> restrict_uid = std::nullopt;
};

struct DecodeOptions {
  // Accept a credential this munged has decoded before. Only for credentials whose
  // payload has its own replay protection: a step credential is handed to every node of
  // the step, and node daemons sharing one host share one munged (Slurm tolerates replays
  // of its job credential signatures for the same reason). Never for call credentials.
  bool allow_replay = false;
};

// What a valid credential says.
struct DecodedCredential {
  uid_t uid = 0;  // the encoder's uid, as munged saw it
  gid_t gid = 0;
  std::string payload;  // bytes, possibly empty
  TimePoint encode_time;
  Seconds ttl{0};
  bool replayed = false;  // only ever true with DecodeOptions::allow_replay
};

class Munge {
 public:
  // libmunge's default socket (/run/munge/munge.socket.2).
  Munge() = default;
  // The munged listening on `socket_path`; empty means libmunge's default.
  explicit Munge(std::string socket_path) : socket_path_(std::move(socket_path)) {}

  // A credential (text, "MUNGE:...:") for `payload`, encoded as this process's uid/gid.
  Result<std::string> Encode(std::string_view payload = {},
                             const EncodeOptions& options = {}) const;
  // The uid/gid/payload of a credential made with this cluster's key, refused when it is
  // malformed, foreign, expired, rewound (from the future) or replayed.
  Result<DecodedCredential> Decode(std::string_view credential,
                                   const DecodeOptions& options = {}) const;

  // Empty when libmunge's default.
  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string socket_path_;
};

}  // namespace drover::auth
