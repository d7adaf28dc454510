// Finding and dialling droverctld, the way Slurm's commands find slurmctld.
//
// slurm.conf comes from SLURM_CONF, else /etc/slurm/slurm.conf. Its SlurmctldHost lines
// name the primary controller and its backups (the address in parentheses when given,
// else the host name), SlurmctldPort the port (the first of a range), AuthInfo's
// "socket=/path" the munged socket (as Slurm's auth/munge reads it; libmunge's default
// otherwise) and MessageTimeout each call's deadline.
//
// ConnectController tries the hosts in order and keeps the first that accepts a
// connection, so a down primary falls over to a backup; when none does it fails with
// kUnavailable "Unable to contact slurm controller (connect failure)", Slurm's words.
//
// Thread-safety: pure functions apart from the connection attempts.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "client/controller_client.h"

namespace drover::config {
struct SlurmConfig;
}

namespace drover::client {

inline constexpr char kDefaultSlurmConf[] = "/etc/slurm/slurm.conf";

// Where the controllers are and how to talk to them.
struct ControllerEndpoints {
  std::vector<std::string> targets;  // "host:port", primary first
  std::string munge_socket;          // empty: libmunge's default socket
  std::chrono::milliseconds timeout{10'000};
};

// SLURM_CONF in `env`, else kDefaultSlurmConf.
std::string SlurmConfPath(const std::map<std::string, std::string>& env);

// "socket=/run/munge/munge.socket.2" (possibly among other comma-separated options) ->
// the path; empty when AuthInfo names none.
std::string MungeSocketFromAuthInfo(std::string_view auth_info);

// The endpoints a parsed slurm.conf names. Errors: kConfigMissing without SlurmctldHost.
Result<ControllerEndpoints> EndpointsFromConfig(const config::SlurmConfig& config);

// Connects to the first controller that accepts a connection, within each host's
// `timeout`. Errors: kUnavailable when none does.
Result<std::unique_ptr<ControllerClient>> ConnectController(const ControllerEndpoints& endpoints);

// Reads slurm.conf (SlurmConfPath(env)) and connects. Errors: those of LoadSlurmConf
// (kNotFound for a missing file), and kUnavailable.
Result<std::unique_ptr<ControllerClient>> ConnectController(
    const std::map<std::string, std::string>& env);

}  // namespace drover::client
