#include "client/step_io.h"

#include "auth/munge.h"
#include "client/connect.h"
#include "client/wire_streams.h"
#include "config/slurm_conf.h"

namespace drover::client {
namespace {

class WireStepIoDialer final : public StepIoDialer {
 public:
  WireStepIoDialer(auth::Munge munge, std::chrono::milliseconds timeout)
      : munge_(std::move(munge)), timeout_(timeout) {}

  Result<std::unique_ptr<StepIoStream>> LaunchTasks(std::string_view target,
                                                    const v1::StepIoRequest& launch) override {
    ASSIGN_OR_RETURN(std::string credential, munge_.Encode());
    return OpenLaunchTasksStream(target, std::move(credential), launch,
                                 std::chrono::steady_clock::now() + timeout_);
  }

 private:
  // Constant after construction.
  const auth::Munge munge_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace

Result<std::unique_ptr<StepIoDialer>> ConnectStepIo(const std::map<std::string, std::string>& env) {
  ASSIGN_OR_RETURN(config::SlurmConfig config,
                   config::LoadSlurmConf(SlurmConfPath(env), /*warnings=*/nullptr));
  std::chrono::milliseconds timeout{10'000};
  if (config.message_timeout.seconds() > 0) {
    timeout = std::chrono::seconds(config.message_timeout.seconds());
  }
  return std::unique_ptr<StepIoDialer>(
      new WireStepIoDialer(auth::Munge(MungeSocketFromAuthInfo(config.auth_info)), timeout));
}

}  // namespace drover::client
