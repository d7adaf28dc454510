#include <cstdio>
#include <cstdlib>

#include "base/result.h"

namespace drover {

std::string_view ErrorText(ErrorCode code) {
  switch (code) {
#define DROVER_ERROR_TEXT(name, number, slurm, text) \
  case ErrorCode::name:                              \
    return text;
    DROVER_ERROR_CODES(DROVER_ERROR_TEXT)
#undef DROVER_ERROR_TEXT
  }
  return "Unknown error code";
}

std::string_view ErrorName(ErrorCode code) {
  switch (code) {
#define DROVER_ERROR_NAME(name, number, slurm, text) \
  case ErrorCode::name:                              \
    return std::string_view(#name).substr(1);
    DROVER_ERROR_CODES(DROVER_ERROR_NAME)
#undef DROVER_ERROR_NAME
  }
  return "UnknownErrorCode";
}

int SlurmErrno(ErrorCode code) {
  switch (code) {
#define DROVER_ERROR_ERRNO(name, number, slurm, text) \
  case ErrorCode::name:                               \
    return slurm;
    DROVER_ERROR_CODES(DROVER_ERROR_ERRNO)
#undef DROVER_ERROR_ERRNO
  }
  return -1;
}

bool IsKnownErrorCode(int32_t number) {
  switch (number) {
#define DROVER_ERROR_KNOWN(name, value, slurm, text) case value:
    DROVER_ERROR_CODES(DROVER_ERROR_KNOWN)
#undef DROVER_ERROR_KNOWN
    return true;
    default:
      return false;
  }
}

Error Error::WithContext(std::string_view where) const {
  std::string ctx(where);
  if (!context_.empty()) ctx += ": " + context_;
  return Error(code_, message_, std::move(ctx));
}

std::string Error::ToString() const {
  if (context_.empty()) return message_;
  return context_ + ": " + message_;
}

void Die(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fatal: %s (%s:%d)\n", what, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace drover
