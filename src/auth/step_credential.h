// Step credentials: the controller's signed grant to launch one step, which srun carries
// to the node daemons so they can launch without asking the controller again.
//
// A step credential is a MUNGE credential encoded by SlurmUser (the controller's uid)
// whose payload is a serialized drover.v1.StepCredentialPayload (credential.proto).
// Verifying it checks what MUNGE proves (made with the cluster key, within its TTL), that
// SlurmUser encoded it, and that the payload's own expire_time has not passed at `now`.
// What is left to the node daemon: that the payload names this node and that the caller
// is the step's user (or root).
//
// A credential decoded before is accepted (DecodeOptions::allow_replay): srun sends the
// same credential to every node, node daemons sharing a host share a munged, and a
// launch may be retried. The node daemon refuses a second launch of the same step.
//
// Thread-safety: pure functions over a Munge (itself thread-safe).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "auth/munge.h"
#include "base/clock.h"
#include "base/result.h"
#include "drover/v1/credential.pb.h"

namespace drover::auth {

// Encodes `payload` as this process's uid (the controller runs as SlurmUser). Without an
// explicit TTL in `options`, the MUNGE TTL is the payload's validity (expire_time -
// issue_time) when both are set, so MUNGE and the payload expire together.
Result<std::string> SignStepCredential(const Munge& munge, const v1::StepCredentialPayload& payload,
                                       EncodeOptions options = {});

// The grant inside `credential`, refused with:
//   MUNGE's own codes (kAuthCredInvalid, kAuthExpired, kAuthUnavailable) when it fails to
//     decode;
//   kInvalidJobCredential when it was not encoded by `slurm_user_uid` or the payload does
//     not parse or has no expire_time;
//   kAuthExpired when `now` is past the payload's expire_time.
Result<v1::StepCredentialPayload> VerifyStepCredential(const Munge& munge,
                                                       std::string_view credential,
                                                       uid_t slurm_user_uid, TimePoint now);

}  // namespace drover::auth
