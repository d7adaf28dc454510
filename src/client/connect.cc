#include "client/connect.h"

#include <grpcpp/channel.h>

#include "auth/munge.h"
#include "client/grpc_controller_client.h"
#include "config/slurm_conf.h"
#include "rpc/auth_client.h"

namespace drover::client {
namespace {

// Whether `channel` reaches READY before `deadline`. A refused connection shows as
// TRANSIENT_FAILURE at once, so a down host costs a round trip, not the whole timeout.
bool Connects(grpc::Channel& channel, std::chrono::system_clock::time_point deadline) {
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) return false;
    if (!channel.WaitForStateChange(state, deadline)) return false;
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return true;
}

}  // namespace

std::string SlurmConfPath(const std::map<std::string, std::string>& env) {
  auto it = env.find("SLURM_CONF");
  if (it != env.end() && !it->second.empty()) return it->second;
  return kDefaultSlurmConf;
}

std::string MungeSocketFromAuthInfo(std::string_view auth_info) {
  while (!auth_info.empty()) {
    size_t comma = auth_info.find(',');
    std::string_view item = auth_info.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    constexpr std::string_view kKey = "socket=";
    if (item.size() > kKey.size()) {
      bool matches = true;
      for (size_t i = 0; i < kKey.size(); ++i) {
        if ((item[i] | 0x20) != kKey[i]) matches = false;
      }
      if (matches) return std::string(item.substr(kKey.size()));
    }
    if (comma == std::string_view::npos) break;
    auth_info.remove_prefix(comma + 1);
  }
  return {};
}

Result<ControllerEndpoints> EndpointsFromConfig(const config::SlurmConfig& config) {
  if (config.slurmctld_hosts.empty()) {
    return Error(ErrorCode::kConfigMissing, "SlurmctldHost is not set in slurm.conf");
  }
  ControllerEndpoints endpoints;
  for (const config::ControllerHost& host : config.slurmctld_hosts) {
    std::string addr = host.addr.empty() ? host.name : host.addr;
    if (addr.find(':') != std::string::npos) addr = "[" + addr + "]";  // IPv6 literal
    endpoints.targets.push_back(addr + ":" + std::to_string(config.slurmctld_port));
  }
  endpoints.munge_socket = MungeSocketFromAuthInfo(config.auth_info);
  if (config.message_timeout.seconds() > 0) {
    endpoints.timeout = std::chrono::seconds(config.message_timeout.seconds());
  }
  return endpoints;
}

Result<std::unique_ptr<ControllerClient>> ConnectController(const ControllerEndpoints& endpoints) {
  for (const std::string& target : endpoints.targets) {
    std::shared_ptr<grpc::Channel> channel =
        rpc::CreateAuthenticatedChannel(target, auth::Munge(endpoints.munge_socket));
    if (!Connects(*channel, std::chrono::system_clock::now() + endpoints.timeout)) continue;
    return NewGrpcControllerClient(std::move(channel), endpoints.timeout);
  }
  return Error(ErrorCode::kUnavailable);
}

Result<std::unique_ptr<ControllerClient>> ConnectController(
    const std::map<std::string, std::string>& env) {
  ASSIGN_OR_RETURN(config::SlurmConfig config,
                   config::LoadSlurmConf(SlurmConfPath(env), /*warnings=*/nullptr));
  ASSIGN_OR_RETURN(ControllerEndpoints endpoints, EndpointsFromConfig(config));
  return ConnectController(endpoints);
}

}  // namespace drover::client
