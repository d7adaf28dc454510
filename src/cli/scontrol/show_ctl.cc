// scontrol show config and scontrol ping: the controller's own view of itself.
#include <fmt/format.h>

#include <ostream>

#include "cli/scontrol/show.h"
#include "cli/squeue/job_text.h"
#include "client/connect.h"
#include "config/slurm_conf.h"

namespace drover::cli::scontrol {
namespace {

std::string_view RoleText(v1::ControllerRole role) {
  return role == v1::CONTROLLER_ROLE_BACKUP ? "backup" : "primary";
}

}  // namespace

std::string RenderPing(const v1::PingResponse& ping) {
  return fmt::format("Slurmctld({}) at {} is UP\n", RoleText(ping.role()), ping.hostname());
}

std::string RenderPings(const std::vector<ControllerPing>& pings) {
  std::string out;
  for (size_t i = 0; i < pings.size(); ++i) {
    const ControllerPing& p = pings[i];
    std::string name =
        p.reply && !p.reply->hostname().empty() ? p.reply->hostname() : p.configured_name;
    out += fmt::format("Slurmctld({}) at {} is {}\n", i == 0 ? "primary" : "backup", name,
                       p.reply ? "UP" : "DOWN");
  }
  return out;
}

std::string RenderConfig(const v1::GetConfigResponse& config, const v1::PingResponse* ping) {
  std::string out =
      "Configuration data as of " + jobtext::IsoTimeOr(config.config_time(), "Unknown") + "\n";
  for (const v1::ConfigEntry& e : config.entries()) {
    out += fmt::format("{:<23} = {}\n", e.key(), e.value());
  }
  out += "\n";
  for (int i = 0; i < config.controllers_size(); ++i) {
    const std::string& name = config.controllers(i).name();
    bool up = ping != nullptr && ping->hostname() == name;
    out += fmt::format("Slurmctld({}) at {} is {}\n", i == 0 ? "primary" : "backup", name,
                       up ? "UP" : "DOWN");
  }
  if (config.controllers_size() == 0 && ping != nullptr) out += RenderPing(*ping);
  return out;
}

int ShowConfig(const Invocation& inv, client::ControllerClient& client) {
  Result<v1::GetConfigResponse> config = client.GetConfig(v1::GetConfigRequest());
  if (!config) {
    inv.err << "slurm_load_ctl_conf error: " << config.error().message() << "\n";
    return 1;
  }
  Result<v1::PingResponse> ping = client.Ping(v1::PingRequest());
  inv.out << RenderConfig(*config, ping ? &*ping : nullptr);
  return 0;
}

int Ping(const Invocation& inv, client::ControllerClient& client) {
  Result<v1::PingResponse> ping = client.Ping(v1::PingRequest());
  if (!ping) {
    inv.err << "slurm_ping error: " << ping.error().message() << "\n";
    return 1;
  }
  inv.out << RenderPing(*ping);
  return 0;
}

int PingControllers(const Invocation& inv, const std::function<int()>& ping_one_controller) {
  Result<config::SlurmConfig> conf =
      config::LoadSlurmConf(client::SlurmConfPath(inv.env), /*warnings=*/nullptr);
  if (!conf || conf->slurmctld_hosts.size() < 2) return ping_one_controller();
  Result<client::ControllerEndpoints> endpoints = client::EndpointsFromConfig(*conf);
  if (!endpoints || endpoints->targets.size() != conf->slurmctld_hosts.size()) {
    return ping_one_controller();
  }
  std::vector<ControllerPing> pings;
  bool any_up = false;
  for (size_t i = 0; i < conf->slurmctld_hosts.size(); ++i) {
    ControllerPing p;
    p.configured_name = conf->slurmctld_hosts[i].name;
    client::ControllerEndpoints one = *endpoints;
    one.targets = {endpoints->targets[i]};  // this controller only, no fail-over
    if (auto client = client::ConnectController(one); client) {
      if (Result<v1::PingResponse> reply = (*client)->Ping(v1::PingRequest()); reply) {
        p.reply = std::move(*reply);
        any_up = true;
      }
    }
    pings.push_back(std::move(p));
  }
  inv.out << RenderPings(pings);
  return any_up ? 0 : 1;
}

}  // namespace drover::cli::scontrol
