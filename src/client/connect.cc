#include "client/connect.h"

#include "auth/munge.h"
#include "client/wire_controller_client.h"
#include "config/slurm_conf.h"
#include "wire/channel.h"

namespace drover::client {

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
    Result<std::unique_ptr<wire::Channel>> channel =
        wire::Channel::Dial(target, std::chrono::steady_clock::now() + endpoints.timeout);
    if (!channel) {
      // A bad address is the configuration's fault; say so rather than "connect failure".
      if (channel.error().code() == ErrorCode::kInvalidArgument) return channel.error();
      continue;
    }
    return NewWireControllerClient(std::move(channel).value(), auth::Munge(endpoints.munge_socket),
                                   endpoints.timeout);
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
