// What the controller's gRPC services share: the Controller they post to, the munged that
// vouches for callers, and the few facts about the daemon that replies carry.
//
// Thread-safety: constant after construction; the pointers' targets are thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <memory>
#include <string>

#include "acct/accounting_store.h"
#include "auth/munge.h"
#include "base/clock.h"
#include "base/result.h"
#include "config/slurm_conf.h"
#include "ctld/controller.h"
#include "ctld/identity.h"

namespace grpc {
class ServerContextBase;
}

namespace drover::ctld::service {

inline constexpr const char* kSlurmCompatVersion = "22.05.8";  // what scontrol reports

struct ServiceOptions {
  Controller* controller = nullptr;  // not owned
  auth::Munge munge;
  const Clock* clock = nullptr;  // not owned
  uint32_t slurm_user_uid = 0;   // SlurmUser, resolved
  std::string slurm_conf_path;   // re-read by Reconfigure
  TimePoint boot_time{};
  uint64_t controller_epoch = 0;  // changes on every start (node daemons re-register)
  // Job accounting records (sacct); null: accounting storage is disabled.
  acct::AccountingStore* accounting = nullptr;  // not owned
};

// The caller, from the call's MUNGE credential; the refusal as the status to return.
grpc::Status Authenticate(const grpc::ServerContextBase& context, const ServiceOptions& options,
                          Identity* who);

// Reads slurm.conf at `path` as the controller does at start-up. Errors name file:line:key.
Result<std::shared_ptr<const config::SlurmConfig>> LoadControllerConfig(const std::string& path);

}  // namespace drover::ctld::service
