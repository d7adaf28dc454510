#include "noded/controller_report.h"

#include <chrono>
#include <thread>

#include "base/log.h"
#include "rpc/auth_metadata.h"
#include "rpc/error_proto.h"
#include "wire/channel.h"

namespace drover::noded {
namespace {

using std::chrono::milliseconds;

const log::Logger& Log() {
  static const log::Logger logger("stepd");
  return logger;
}

bool Retryable(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJobId:
    case ErrorCode::kJobFinished:
    case ErrorCode::kAlreadyDone:
    case ErrorCode::kAccessDenied:
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotSupported:
      return false;
    default:
      return true;
  }
}

}  // namespace

bool ReportToController(const std::string& controller, const auth::Munge& munge,
                        std::string_view method, const std::string& body, std::string_view what) {
  milliseconds backoff(100);
  for (int attempt = 1;; ++attempt) {
    // A fresh connection per attempt: the controller may have restarted.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    Status outcome = [&]() -> Status {
      ASSIGN_OR_RETURN(std::unique_ptr<wire::Channel> channel,
                       wire::Channel::Dial(controller, deadline));
      ASSIGN_OR_RETURN(std::string credential, munge.Encode());
      const wire::Header metadata[] = {{rpc::kMungeMetadataKey, std::move(credential)}};
      ASSIGN_OR_RETURN(wire::CallStatus status,
                       channel->Call(method, metadata, body, deadline,
                                     [](std::string_view) -> Status { return Ok(); }));
      if (status.code == 0) return Ok();
      return rpc::ErrorFromCallStatus(status.code, status.message, status.details);
    }();
    if (outcome) {
      Log().Info("{} acknowledged by {}", what, controller);
      return true;
    }
    const Error& error = outcome.error();
    if (!Retryable(error.code())) {
      Log().Error("{} refused by {}: {}", what, controller, error.ToString());
      return false;
    }
    if (attempt == 1 || backoff >= milliseconds(5000)) {
      Log().Warn("{} to {} failed: {}; retrying", what, controller, error.ToString());
    }
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, milliseconds(5000));
  }
}

}  // namespace drover::noded
