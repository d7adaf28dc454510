// `scontrol show config`: a SlurmConfig printed exactly as Slurm prints it
// (shared/reference/scontrol_show_config.txt): the "Configuration data as of <time>"
// header, one "Key = value" line per key in Slurm's order with the key padded to 23
// columns, and, when a controller answered, a blank line and "Slurmctld(primary) at vm is UP".
//
// Values that only a live controller knows (BOOT_TIME, NEXT_JOB_ID, HASH_VAL) come from the
// context and their lines are left out when it does not have them, as for a config check
// with no controller running.
//
// Thread-safety: pure function; the context's uid lookup must be callable from the caller's
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "config/slurm_conf.h"

namespace drover::config {

struct ShowConfigContext {
  TimePoint now;                       // the header's "as of" time (local time)
  std::string slurm_conf_path;         // SLURM_CONF
  std::string version;                 // SLURM_VERSION
  std::optional<TimePoint> boot_time;  // the controller's start
  std::optional<uint32_t> next_job_id;
  std::optional<std::string> hash_val;  // "Match" when the controller's file matches
  // User name -> uid for "SlurmUser = root(0)"; nullopt prints the name alone.
  std::function<std::optional<uint32_t>(std::string_view)> uid_of;

  struct ControllerStatus {
    std::string host;
    bool up = false;
  };
  // Empty when no controller was asked; [0] is the primary.
  std::vector<ControllerStatus> controllers;
};

std::string FormatShowConfig(const SlurmConfig& config, const ShowConfigContext& context);

}  // namespace drover::config
