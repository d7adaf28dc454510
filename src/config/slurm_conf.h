// SlurmConfig: slurm.conf read into typed values.
//
// Every global key `scontrol show config` prints has a field here; a file that omits a key
// gets Slurm's default (the registry in slurm_conf_keys.cc holds one row per key: its
// name, parser and default). Nodes and partitions are in node_config.h and
// partition_config.h. Times are Durations in the unit Slurm reads for the key (KillWait=30 is
// seconds, OverTimeLimit=5 minutes, PriorityMaxAge=7-0 a time), memory is MiB.
//
// Diagnostics follow DESIGN.md: an unknown key is one ConfigWarning
// ("slurm.conf:12: unknown key 'Foo' ignored"); a bad value is kConfigValue
// ("slurm.conf:17: CPUs: invalid value 'abc': expected a positive integer"); a malformed
// line kConfigSyntax; a missing SlurmctldHost kConfigMissing.
//
// Owner: whoever loads it (controller, node daemon, CLI); thread-safety: a plain value,
// immutable once returned.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/result.h"
#include "config/conf_lexer.h"
#include "config/node_config.h"
#include "config/partition_config.h"

namespace drover::config {

struct ControllerHost {
  std::string name;  // "vm"
  std::string addr;  // "127.0.0.1"; empty when not given
  friend bool operator==(const ControllerHost&, const ControllerHost&) = default;
};

enum class EnforcePartLimits { kNo, kAny, kAll };

struct SlurmConfig {
  // --- cluster and controllers
  std::string cluster_name;
  std::vector<ControllerHost> slurmctld_hosts;  // [0] primary, then backups
  std::string slurmctld_addr;
  uint16_t slurmctld_port = 0;
  uint16_t slurmctld_port_count = 1;  // SlurmctldPort=6817-6820
  uint16_t slurmd_port = 0;
  std::string slurm_user, slurmd_user;
  std::string state_save_location, slurmd_spool_dir;
  std::string slurmctld_pid_file, slurmd_pid_file;
  std::string slurmctld_log_file, slurmd_log_file, slurm_sched_log_file;
  std::string slurmctld_debug, slurmd_debug;  // Slurm level names ("info", "debug2")
  std::string slurmctld_syslog_debug, slurmd_syslog_debug;
  uint16_t slurm_sched_log_level = 0;
  std::string slurmctld_parameters, slurmd_parameters, slurmctld_plugstack;
  std::string slurmctld_primary_off_prog, slurmctld_primary_on_prog;
  std::string log_time_format, plugin_dir, plug_stack_config;

  // --- authentication and plugins
  std::string auth_type, auth_alt_types, auth_alt_parameters, auth_info, cred_type;
  std::string job_credential_private_key, job_credential_public_certificate;
  std::string proctrack_type, task_plugin, task_plugin_param, switch_type, switch_parameters;
  std::string launch_type, launch_parameters, mpi_default, mpi_params;
  std::string core_spec_plugin, job_container_type, mcs_plugin, mcs_parameters;
  std::string burst_buffer_type, cli_filter_plugins, job_submit_plugins, route_plugin;
  std::string topology_plugin, topology_param, node_features_plugins, power_plugin;
  std::string power_parameters, ext_sensors_type, prep_plugins, prep_parameters;
  std::string communication_parameters, federation_parameters, dependency_parameters;
  std::string scron_parameters, bcast_exclude, bcast_parameters, x11_parameters;
  std::string gres_types, licenses, debug_flags, cpu_freq_def, cpu_freq_governors;
  std::string gpu_freq_def, interactive_step_options, tmp_fs, mail_prog, mail_domain;
  std::string reconfig_flags, requeue_exit, requeue_exit_hold, propagate_resource_limits;
  std::string propagate_resource_limits_except, health_check_program, health_check_node_state;
  std::string unkillable_step_program, reboot_program, job_defaults;

  // --- accounting
  std::string accounting_storage_type, accounting_storage_host, accounting_storage_backup_host;
  std::string accounting_storage_external_host, accounting_storage_parameters;
  std::string accounting_storage_user, accounting_storage_pass, accounting_storage_tres;
  std::string accounting_store_flags;
  std::vector<std::string> accounting_storage_enforce;  // empty: none
  uint16_t accounting_storage_port = 0;                 // 0: 6819 with slurmdbd
  std::string acct_gather_energy_type, acct_gather_filesystem_type;
  std::string acct_gather_interconnect_type, acct_gather_profile_type;
  Duration acct_gather_node_freq, ext_sensors_freq;
  std::string job_acct_gather_type, job_acct_gather_frequency, job_acct_gather_params;
  std::string job_comp_type, job_comp_loc, job_comp_host, job_comp_user, job_comp_pass;
  std::string job_comp_params;
  uint32_t job_comp_port = 0;
  bool track_wckey = false;

  // --- scheduling, selection, priority, preemption
  std::string scheduler_type, scheduler_parameters, select_type;
  std::string select_type_parameters;  // upper case, "CR_CPU_MEMORY"
  std::string priority_type, priority_flags, priority_parameters, priority_weight_tres;
  std::string priority_site_factor_plugin, priority_site_factor_parameters;
  std::string priority_usage_reset_period;  // NONE, NOW, DAILY, WEEKLY, MONTHLY, ...
  Duration priority_decay_half_life, priority_calc_period, priority_max_age;
  bool priority_favor_small = false;
  uint32_t priority_weight_age = 0, priority_weight_assoc = 0, priority_weight_fair_share = 0;
  uint32_t priority_weight_job_size = 0, priority_weight_partition = 0;
  uint32_t priority_weight_qos = 0;
  uint16_t fair_share_dampening_factor = 1;
  std::string preempt_type;
  uint16_t preempt_mode = 0;  // preempt:: bits
  Duration preempt_exempt_time;
  Duration scheduler_time_slice;
  EnforcePartLimits enforce_part_limits = EnforcePartLimits::kNo;
  std::vector<std::string> private_data;  // empty: none

  // --- limits and ids
  uint32_t first_job_id = 0, max_job_id = 0, max_job_count = 0, max_step_count = 0;
  uint32_t max_array_size = 0, max_tasks_per_node = 0, max_dbd_msgs = 0, max_node_count = 0;
  // At most one of each pair is set; see FormatShowConfig for how the pair prints.
  std::optional<uint64_t> def_mem_per_cpu_mb, def_mem_per_node_mb;
  std::optional<uint64_t> max_mem_per_cpu_mb, max_mem_per_node_mb;
  uint16_t vsize_factor = 0;  // percent

  // --- timers
  Duration batch_start_timeout, complete_wait, get_env_timeout, group_update_time;
  Duration health_check_interval, inactive_limit, kill_wait, message_timeout, min_job_age;
  Duration over_time_limit, resume_timeout, resv_over_run, slurmctld_timeout;
  Duration slurmd_timeout, suspend_time, suspend_timeout, tcp_timeout, unkillable_step_timeout;
  Duration wait_time;
  uint16_t eio_timeout = 0;                    // seconds; printed without a unit
  uint32_t epilog_msg_time_us = 0;             // microseconds
  uint16_t prolog_epilog_timeout = 0;          // seconds; 65534 = unset
  uint32_t resume_rate = 0, suspend_rate = 0;  // nodes per minute

  // --- jobs, prolog/epilog, power saving
  std::string prolog, epilog, prolog_slurmctld, epilog_slurmctld, prolog_flags;
  std::string srun_prolog, srun_epilog, task_prolog, task_epilog, resv_prolog, resv_epilog;
  std::string srun_port_range;
  std::string resume_program, resume_fail_program, suspend_program;
  std::string suspend_exc_nodes, suspend_exc_parts;
  bool allow_spec_resources_usage = false, disable_root_jobs = false, use_pam = false;
  uint16_t group_update_force = 0, job_file_append = 0, job_requeue = 0, kill_on_bad_exit = 0;
  uint16_t propagate_prio_process = 0, return_to_service = 0, tree_width = 0;

  // Keys Slurm accepts that Drover keeps but does not model (ControlMachine's relatives,
  // obsolete keys), by canonical name.
  std::map<std::string, std::string> other;

  std::vector<NodeConfig> nodes;            // in definition order
  std::vector<PartitionConfig> partitions;  // in definition order
  std::string default_partition;            // the last partition with Default=YES

  const NodeConfig* FindNode(std::string_view name) const;
  const PartitionConfig* FindPartition(std::string_view name) const;
};

// A SlurmConfig holding every key's default and no nodes or partitions.
SlurmConfig DefaultSlurmConfig();

// Parses slurm.conf text named `file_name` (used for messages and relative Includes).
// `warnings` may be null.
Result<SlurmConfig> ParseSlurmConf(std::string_view text, std::string_view file_name,
                                   const IncludeResolver& resolver,
                                   std::vector<ConfigWarning>* warnings);

// Reads `path` from disk (Includes too). Errors: kNotFound for a missing file, and those of
// ParseSlurmConf.
Result<SlurmConfig> LoadSlurmConf(const std::string& path, std::vector<ConfigWarning>* warnings);

}  // namespace drover::config
