#include "auth/munge.h"

#include <munge.h>
#include <stdlib.h>

#include <memory>
#include <type_traits>

#include "fmt/format.h"

namespace drover::auth {
namespace {

// The code a caller acts on for a libmunge error. Decoding failures the peer caused are
// kAuthCredInvalid except expiry and replay, which have their own codes so a client can
// tell "get a new credential" from "you are not who you say".
ErrorCode CodeFor(munge_err_t e) {
  switch (e) {
    case EMUNGE_CRED_EXPIRED:
      return ErrorCode::kAuthExpired;
    case EMUNGE_CRED_REPLAYED:
      return ErrorCode::kAuthReplayed;
    case EMUNGE_SOCKET:
    case EMUNGE_TIMEOUT:
      return ErrorCode::kAuthUnavailable;
    case EMUNGE_SNAFU:
    case EMUNGE_NO_MEMORY:
    case EMUNGE_OVERFLOW:
      return ErrorCode::kInternal;
    default:
      // BAD_ARG/BAD_LENGTH (garbage), BAD_CRED/BAD_VERSION (not a credential),
      // BAD_CIPHER/BAD_MAC/BAD_ZIP/BAD_REALM/CRED_INVALID (another key, tampering),
      // CRED_REWOUND (encoded in the future), CRED_UNAUTHORIZED (restricted to another uid).
      return ErrorCode::kAuthCredInvalid;
  }
}

// "Munge decode failed: Expired credential", as Slurm logs it. libmunge's per-context
// text is more precise than munge_strerror (it names the socket when it cannot connect).
Error MungeError(const char* op, munge_err_t e, munge_ctx_t ctx) {
  const char* detail = ctx ? munge_ctx_strerror(ctx) : nullptr;
  if (detail == nullptr) detail = munge_strerror(e);
  return Error(CodeFor(e), fmt::format("Munge {} failed: {}", op, detail));
}

struct CtxDeleter {
  void operator()(munge_ctx_t ctx) const { munge_ctx_destroy(ctx); }
};
using Ctx = std::unique_ptr<std::remove_pointer_t<munge_ctx_t>, CtxDeleter>;

// libmunge allocates with malloc; the caller frees.
struct FreeDeleter {
  void operator()(void* p) const { free(p); }
};

// A fresh context per call: libmunge writes error text into the context, so sharing one
// across threads would race, and creating one is a malloc.
Result<Ctx> NewContext(const std::string& socket_path, const char* op) {
  Ctx ctx(munge_ctx_create());
  if (!ctx) return Error(ErrorCode::kInternal, fmt::format("Munge {} failed: out of memory", op));
  if (!socket_path.empty()) {
    munge_err_t e = munge_ctx_set(ctx.get(), MUNGE_OPT_SOCKET, socket_path.c_str());
    if (e != EMUNGE_SUCCESS) return MungeError(op, e, ctx.get());
  }
  return ctx;
}

}  // namespace

Result<std::string> Munge::Encode(std::string_view payload, const EncodeOptions& options) const {
  ASSIGN_OR_RETURN(Ctx ctx, NewContext(socket_path_, "encode"));
  if (options.ttl) {
    munge_err_t e = munge_ctx_set(ctx.get(), MUNGE_OPT_TTL, static_cast<int>(options.ttl->count()));
    if (e != EMUNGE_SUCCESS) return MungeError("encode", e, ctx.get());
  }
  if (options.restrict_uid) {
    munge_err_t e = munge_ctx_set(ctx.get(), MUNGE_OPT_UID_RESTRICTION, *options.restrict_uid);
    if (e != EMUNGE_SUCCESS) return MungeError("encode", e, ctx.get());
  }
  char* raw = nullptr;
  munge_err_t e = munge_encode(&raw, ctx.get(), payload.empty() ? nullptr : payload.data(),
                               static_cast<int>(payload.size()));
  std::unique_ptr<char, FreeDeleter> cred(raw);
  if (e != EMUNGE_SUCCESS) return MungeError("encode", e, ctx.get());
  return std::string(cred.get());
}

Result<DecodedCredential> Munge::Decode(std::string_view credential,
                                        const DecodeOptions& options) const {
  ASSIGN_OR_RETURN(Ctx ctx, NewContext(socket_path_, "decode"));
  const std::string text(credential);  // libmunge wants it NUL-terminated
  void* raw = nullptr;
  int len = 0;
  DecodedCredential out;
  munge_err_t e = munge_decode(text.c_str(), ctx.get(), &raw, &len, &out.uid, &out.gid);
  // Allocated even for some failures (expired, rewound, replayed).
  std::unique_ptr<void, FreeDeleter> payload(raw);
  if (e == EMUNGE_CRED_REPLAYED && options.allow_replay) {
    out.replayed = true;
  } else if (e != EMUNGE_SUCCESS) {
    return MungeError("decode", e, ctx.get());
  }
  if (raw != nullptr && len > 0) out.payload.assign(static_cast<const char*>(raw), len);
  time_t encoded = 0;
  if (munge_ctx_get(ctx.get(), MUNGE_OPT_ENCODE_TIME, &encoded) == EMUNGE_SUCCESS) {
    out.encode_time = std::chrono::system_clock::from_time_t(encoded);
  }
  int ttl = 0;
  if (munge_ctx_get(ctx.get(), MUNGE_OPT_TTL, &ttl) == EMUNGE_SUCCESS) out.ttl = Seconds(ttl);
  return out;
}

}  // namespace drover::auth
