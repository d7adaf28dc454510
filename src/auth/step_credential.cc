#include "auth/step_credential.h"

#include "fmt/format.h"

namespace drover::auth {
namespace {

int64_t ToUnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<Seconds>(t.time_since_epoch()).count();
}

std::string StepName(const v1::StepCredentialPayload& payload) {
  const v1::StepId& id = payload.step_id();
  switch (id.kind()) {
    case v1::STEP_KIND_BATCH:
      return fmt::format("StepId={}.batch", id.job_id());
    case v1::STEP_KIND_EXTERN:
      return fmt::format("StepId={}.extern", id.job_id());
    case v1::STEP_KIND_INTERACTIVE:
      return fmt::format("StepId={}.interactive", id.job_id());
    default:
      return fmt::format("StepId={}.{}", id.job_id(), id.step_id());
  }
}

}  // namespace

Result<std::string> SignStepCredential(const Munge& munge, const v1::StepCredentialPayload& payload,
                                       EncodeOptions options) {
  std::string bytes;
  if (!payload.SerializeToString(&bytes)) {
    return Error(ErrorCode::kInternal, "Unable to serialize step credential", StepName(payload));
  }
  if (!options.ttl && payload.expire_time() > payload.issue_time() && payload.issue_time() > 0) {
    options.ttl = Seconds(payload.expire_time() - payload.issue_time());
  }
  auto credential = munge.Encode(bytes, options);
  if (!credential) return std::move(credential).error().WithContext(StepName(payload));
  return credential;
}

Result<v1::StepCredentialPayload> VerifyStepCredential(const Munge& munge,
                                                       std::string_view credential,
                                                       uid_t slurm_user_uid, TimePoint now) {
  ASSIGN_OR_RETURN(DecodedCredential decoded,
                   munge.Decode(credential, DecodeOptions{.allow_replay = true}));
  if (decoded.uid != slurm_user_uid) {
    return Error(ErrorCode::kInvalidJobCredential,
                 fmt::format("Step credential encoded by uid {}, not SlurmUser (uid {})",
                             decoded.uid, slurm_user_uid));
  }
  v1::StepCredentialPayload payload;
  if (!payload.ParseFromString(decoded.payload)) {
    return Error(ErrorCode::kInvalidJobCredential, "Unable to parse step credential payload");
  }
  if (payload.expire_time() <= 0) {
    return Error(ErrorCode::kInvalidJobCredential, "Step credential has no expiration time",
                 StepName(payload));
  }
  if (ToUnixSeconds(now) > payload.expire_time()) {
    return Error(ErrorCode::kAuthExpired,
                 fmt::format("Step credential expired at {} (now {})", payload.expire_time(),
                             ToUnixSeconds(now)),
                 StepName(payload));
  }
  return payload;
}

}  // namespace drover::auth
