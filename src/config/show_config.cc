// The `scontrol show config` layout: key order and value styles of Slurm 22.05.
#include "config/show_config.h"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>

#include "base/time_spec.h"
#include "config/config_values.h"

namespace drover::config {

namespace {

// Slurm always accounts these TRES; AccountingStorageTRES adds to them.
constexpr const char* kBaseTres[] = {"cpu",     "mem",     "energy", "node",
                                     "billing", "fs/disk", "vmem",   "pages"};

class Printer {
 public:
  void Add(std::string_view key, std::string_view value) {
    out_ += fmt::format("{:<23} = {}\n", key, value);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

std::string Null(const std::string& s) { return s.empty() ? "(null)" : s; }
std::string Sec(Duration d) {
  return d.infinite() ? "INFINITE" : fmt::format("{} sec", d.seconds());
}
std::string Min(Duration d) {
  return d.infinite() ? "UNLIMITED" : fmt::format("{} min", d.seconds() / 60);
}
std::string Hms(Duration d) { return FormatHms(d, "UNLIMITED"); }
std::string YesNo(bool b) { return b ? "Yes" : "No"; }

std::string User(const ShowConfigContext& ctx, const std::string& name) {
  if (ctx.uid_of) {
    if (auto uid = ctx.uid_of(name)) return fmt::format("{}({})", name, *uid);
  }
  return name;
}

std::string AccountingTres(const SlurmConfig& c) {
  std::vector<std::string> tres(std::begin(kBaseTres), std::end(kBaseTres));
  for (const std::string& t : SplitList(c.accounting_storage_tres)) {
    std::string lower = AsciiLower(t);
    if (std::find(tres.begin(), tres.end(), lower) == tres.end()) tres.push_back(lower);
  }
  return JoinList(tres);
}

std::string EnforceText(EnforcePartLimits e) {
  switch (e) {
    case EnforcePartLimits::kNo:
      return "NO";
    case EnforcePartLimits::kAny:
      return "ANY";
    case EnforcePartLimits::kAll:
      return "ALL";
  }
  return "NO";
}

void AddMemPair(Printer& p, std::string_view prefix, const std::optional<uint64_t>& per_cpu,
                const std::optional<uint64_t>& per_node) {
  if (per_cpu) {
    p.Add(fmt::format("{}PerCPU", prefix), std::to_string(*per_cpu));
  } else if (per_node) {
    p.Add(fmt::format("{}PerNode", prefix), std::to_string(*per_node));
  } else {
    p.Add(fmt::format("{}PerNode", prefix), "UNLIMITED");
  }
}

}  // namespace

std::string FormatShowConfig(const SlurmConfig& c, const ShowConfigContext& ctx) {
  Printer p;
  p.out() = fmt::format("Configuration data as of {}\n", FormatIsoTime(ctx.now));
  p.Add("AccountingStorageBackupHost", Null(c.accounting_storage_backup_host));
  p.Add("AccountingStorageEnforce",
        c.accounting_storage_enforce.empty() ? "none" : JoinList(c.accounting_storage_enforce));
  p.Add("AccountingStorageHost", Null(c.accounting_storage_host));
  p.Add("AccountingStorageExternalHost", Null(c.accounting_storage_external_host));
  p.Add("AccountingStorageParameters", Null(c.accounting_storage_parameters));
  p.Add("AccountingStoragePort", std::to_string(c.accounting_storage_port));
  p.Add("AccountingStorageTRES", AccountingTres(c));
  p.Add("AccountingStorageType", Null(c.accounting_storage_type));
  p.Add("AccountingStorageUser",
        c.accounting_storage_user.empty() ? "N/A" : c.accounting_storage_user);
  p.Add("AccountingStoreFlags", Null(c.accounting_store_flags));
  p.Add("AcctGatherEnergyType", Null(c.acct_gather_energy_type));
  p.Add("AcctGatherFilesystemType", Null(c.acct_gather_filesystem_type));
  p.Add("AcctGatherInterconnectType", Null(c.acct_gather_interconnect_type));
  p.Add("AcctGatherNodeFreq", Sec(c.acct_gather_node_freq));
  p.Add("AcctGatherProfileType", Null(c.acct_gather_profile_type));
  p.Add("AllowSpecResourcesUsage", YesNo(c.allow_spec_resources_usage));
  p.Add("AuthAltTypes", Null(c.auth_alt_types));
  p.Add("AuthAltParameters", Null(c.auth_alt_parameters));
  p.Add("AuthInfo", Null(c.auth_info));
  p.Add("AuthType", Null(c.auth_type));
  p.Add("BatchStartTimeout", Sec(c.batch_start_timeout));
  p.Add("BcastExclude", Null(c.bcast_exclude));
  p.Add("BcastParameters", Null(c.bcast_parameters));
  if (ctx.boot_time) p.Add("BOOT_TIME", FormatIsoTime(*ctx.boot_time));
  p.Add("BurstBufferType", Null(c.burst_buffer_type));
  p.Add("CliFilterPlugins", Null(c.cli_filter_plugins));
  p.Add("ClusterName", Null(c.cluster_name));
  p.Add("CommunicationParameters", Null(c.communication_parameters));
  p.Add("CompleteWait", Sec(c.complete_wait));
  p.Add("CoreSpecPlugin", Null(c.core_spec_plugin));
  p.Add("CpuFreqDef", c.cpu_freq_def.empty() ? "Unknown" : c.cpu_freq_def);
  p.Add("CpuFreqGovernors", Null(c.cpu_freq_governors));
  p.Add("CredType", Null(c.cred_type));
  p.Add("DebugFlags", Null(c.debug_flags));
  AddMemPair(p, "DefMem", c.def_mem_per_cpu_mb, c.def_mem_per_node_mb);
  p.Add("DependencyParameters", Null(c.dependency_parameters));
  p.Add("DisableRootJobs", YesNo(c.disable_root_jobs));
  p.Add("EioTimeout", std::to_string(c.eio_timeout));
  p.Add("EnforcePartLimits", EnforceText(c.enforce_part_limits));
  p.Add("Epilog", Null(c.epilog));
  p.Add("EpilogMsgTime", fmt::format("{} usec", c.epilog_msg_time_us));
  p.Add("EpilogSlurmctld", Null(c.epilog_slurmctld));
  p.Add("ExtSensorsType", Null(c.ext_sensors_type));
  p.Add("ExtSensorsFreq", Sec(c.ext_sensors_freq));
  p.Add("FairShareDampeningFactor", std::to_string(c.fair_share_dampening_factor));
  p.Add("FederationParameters", Null(c.federation_parameters));
  p.Add("FirstJobId", std::to_string(c.first_job_id));
  p.Add("GetEnvTimeout", Sec(c.get_env_timeout));
  p.Add("GresTypes", Null(c.gres_types));
  p.Add("GpuFreqDef", Null(c.gpu_freq_def));
  p.Add("GroupUpdateForce", std::to_string(c.group_update_force));
  p.Add("GroupUpdateTime", Sec(c.group_update_time));
  if (ctx.hash_val) p.Add("HASH_VAL", *ctx.hash_val);
  p.Add("HealthCheckInterval", Sec(c.health_check_interval));
  p.Add("HealthCheckNodeState", Null(c.health_check_node_state));
  p.Add("HealthCheckProgram", Null(c.health_check_program));
  p.Add("InactiveLimit", Sec(c.inactive_limit));
  p.Add("InteractiveStepOptions", Null(c.interactive_step_options));
  p.Add("JobAcctGatherFrequency", Null(c.job_acct_gather_frequency));
  p.Add("JobAcctGatherType", Null(c.job_acct_gather_type));
  p.Add("JobAcctGatherParams", Null(c.job_acct_gather_params));
  p.Add("JobCompHost", Null(c.job_comp_host));
  p.Add("JobCompLoc", Null(c.job_comp_loc));
  p.Add("JobCompPort", std::to_string(c.job_comp_port));
  p.Add("JobCompType", Null(c.job_comp_type));
  p.Add("JobCompUser", Null(c.job_comp_user));
  p.Add("JobContainerType", Null(c.job_container_type));
  p.Add("JobCredentialPrivateKey", Null(c.job_credential_private_key));
  p.Add("JobCredentialPublicCertificate", Null(c.job_credential_public_certificate));
  p.Add("JobDefaults", Null(c.job_defaults));
  p.Add("JobFileAppend", std::to_string(c.job_file_append));
  p.Add("JobRequeue", std::to_string(c.job_requeue));
  p.Add("JobSubmitPlugins", Null(c.job_submit_plugins));
  p.Add("KillOnBadExit", std::to_string(c.kill_on_bad_exit));
  p.Add("KillWait", Sec(c.kill_wait));
  p.Add("LaunchParameters", Null(c.launch_parameters));
  p.Add("LaunchType", Null(c.launch_type));
  p.Add("Licenses", Null(c.licenses));
  p.Add("LogTimeFormat", Null(c.log_time_format));
  p.Add("MailDomain", Null(c.mail_domain));
  p.Add("MailProg", Null(c.mail_prog));
  p.Add("MaxArraySize", std::to_string(c.max_array_size));
  p.Add("MaxDBDMsgs", std::to_string(c.max_dbd_msgs));
  p.Add("MaxJobCount", std::to_string(c.max_job_count));
  p.Add("MaxJobId", std::to_string(c.max_job_id));
  AddMemPair(p, "MaxMem", c.max_mem_per_cpu_mb, c.max_mem_per_node_mb);
  p.Add("MaxNodeCount", std::to_string(std::max<uint64_t>(c.max_node_count, c.nodes.size())));
  p.Add("MaxStepCount", std::to_string(c.max_step_count));
  p.Add("MaxTasksPerNode", std::to_string(c.max_tasks_per_node));
  p.Add("MCSPlugin", Null(c.mcs_plugin));
  p.Add("MCSParameters", Null(c.mcs_parameters));
  p.Add("MessageTimeout", Sec(c.message_timeout));
  p.Add("MinJobAge", Sec(c.min_job_age));
  p.Add("MpiDefault", Null(c.mpi_default));
  p.Add("MpiParams", Null(c.mpi_params));
  p.Add("MULTIPLE_SLURMD", "Yes");  // Drover always allows several node daemons per host
  if (ctx.next_job_id) p.Add("NEXT_JOB_ID", std::to_string(*ctx.next_job_id));
  p.Add("NodeFeaturesPlugins", Null(c.node_features_plugins));
  p.Add("OverTimeLimit", Min(c.over_time_limit));
  p.Add("PluginDir", Null(c.plugin_dir));
  p.Add("PlugStackConfig", Null(c.plug_stack_config));
  p.Add("PowerParameters", Null(c.power_parameters));
  p.Add("PowerPlugin", c.power_plugin);  // Slurm prints an unset plugin as empty here
  p.Add("PreemptMode", FormatPreemptMode(c.preempt_mode));
  p.Add("PreemptType", Null(c.preempt_type));
  p.Add("PreemptExemptTime", Hms(c.preempt_exempt_time));
  p.Add("PrEpParameters", Null(c.prep_parameters));
  p.Add("PrEpPlugins", Null(c.prep_plugins));
  p.Add("PriorityParameters", Null(c.priority_parameters));
  p.Add("PrioritySiteFactorParameters", Null(c.priority_site_factor_parameters));
  p.Add("PrioritySiteFactorPlugin", Null(c.priority_site_factor_plugin));
  p.Add("PriorityDecayHalfLife", Hms(c.priority_decay_half_life));
  p.Add("PriorityCalcPeriod", Hms(c.priority_calc_period));
  p.Add("PriorityFavorSmall", YesNo(c.priority_favor_small));
  p.Add("PriorityFlags", c.priority_flags);  // empty, not (null), when unset
  p.Add("PriorityMaxAge", Hms(c.priority_max_age));
  p.Add("PriorityUsageResetPeriod", c.priority_usage_reset_period);
  p.Add("PriorityType", Null(c.priority_type));
  p.Add("PriorityWeightAge", std::to_string(c.priority_weight_age));
  p.Add("PriorityWeightAssoc", std::to_string(c.priority_weight_assoc));
  p.Add("PriorityWeightFairShare", std::to_string(c.priority_weight_fair_share));
  p.Add("PriorityWeightJobSize", std::to_string(c.priority_weight_job_size));
  p.Add("PriorityWeightPartition", std::to_string(c.priority_weight_partition));
  p.Add("PriorityWeightQOS", std::to_string(c.priority_weight_qos));
  p.Add("PriorityWeightTRES", Null(c.priority_weight_tres));
  p.Add("PrivateData", c.private_data.empty() ? "none" : JoinList(c.private_data));
  p.Add("ProctrackType", Null(c.proctrack_type));
  p.Add("Prolog", Null(c.prolog));
  p.Add("PrologEpilogTimeout", std::to_string(c.prolog_epilog_timeout));
  p.Add("PrologSlurmctld", Null(c.prolog_slurmctld));
  p.Add("PrologFlags", Null(c.prolog_flags));
  p.Add("PropagatePrioProcess", std::to_string(c.propagate_prio_process));
  p.Add("PropagateResourceLimits", Null(c.propagate_resource_limits));
  p.Add("PropagateResourceLimitsExcept", Null(c.propagate_resource_limits_except));
  p.Add("RebootProgram", Null(c.reboot_program));
  p.Add("ReconfigFlags", Null(c.reconfig_flags));
  p.Add("RequeueExit", Null(c.requeue_exit));
  p.Add("RequeueExitHold", Null(c.requeue_exit_hold));
  p.Add("ResumeFailProgram", Null(c.resume_fail_program));
  p.Add("ResumeProgram", Null(c.resume_program));
  p.Add("ResumeRate", fmt::format("{} nodes/min", c.resume_rate));
  p.Add("ResumeTimeout", Sec(c.resume_timeout));
  p.Add("ResvEpilog", Null(c.resv_epilog));
  p.Add("ResvOverRun", Min(c.resv_over_run));
  p.Add("ResvProlog", Null(c.resv_prolog));
  p.Add("ReturnToService", std::to_string(c.return_to_service));
  p.Add("RoutePlugin", Null(c.route_plugin));
  p.Add("SchedulerParameters", Null(c.scheduler_parameters));
  p.Add("SchedulerTimeSlice", Sec(c.scheduler_time_slice));
  p.Add("SchedulerType", Null(c.scheduler_type));
  p.Add("ScronParameters", Null(c.scron_parameters));
  p.Add("SelectType", Null(c.select_type));
  p.Add("SelectTypeParameters", Null(c.select_type_parameters));
  p.Add("SlurmUser", User(ctx, c.slurm_user));
  p.Add("SlurmctldAddr", Null(c.slurmctld_addr));
  p.Add("SlurmctldDebug", Null(c.slurmctld_debug));
  for (size_t i = 0; i < c.slurmctld_hosts.size(); ++i) {
    const ControllerHost& h = c.slurmctld_hosts[i];
    p.Add(fmt::format("SlurmctldHost[{}]", i),
          h.addr.empty() ? h.name : fmt::format("{}({})", h.name, h.addr));
  }
  p.Add("SlurmctldLogFile", Null(c.slurmctld_log_file));
  p.Add("SlurmctldPort",
        c.slurmctld_port_count > 1
            ? fmt::format("{}-{}", c.slurmctld_port, c.slurmctld_port + c.slurmctld_port_count - 1)
            : std::to_string(c.slurmctld_port));
  p.Add("SlurmctldSyslogDebug", Null(c.slurmctld_syslog_debug));
  p.Add("SlurmctldPrimaryOffProg", Null(c.slurmctld_primary_off_prog));
  p.Add("SlurmctldPrimaryOnProg", Null(c.slurmctld_primary_on_prog));
  p.Add("SlurmctldTimeout", Sec(c.slurmctld_timeout));
  p.Add("SlurmctldParameters", Null(c.slurmctld_parameters));
  p.Add("SlurmdDebug", Null(c.slurmd_debug));
  p.Add("SlurmdLogFile", Null(c.slurmd_log_file));
  p.Add("SlurmdParameters", Null(c.slurmd_parameters));
  p.Add("SlurmdPidFile", Null(c.slurmd_pid_file));
  p.Add("SlurmdPort", std::to_string(c.slurmd_port));
  p.Add("SlurmdSpoolDir", Null(c.slurmd_spool_dir));
  p.Add("SlurmdSyslogDebug", Null(c.slurmd_syslog_debug));
  p.Add("SlurmdTimeout", Sec(c.slurmd_timeout));
  p.Add("SlurmdUser", User(ctx, c.slurmd_user));
  p.Add("SlurmSchedLogFile", Null(c.slurm_sched_log_file));
  p.Add("SlurmSchedLogLevel", std::to_string(c.slurm_sched_log_level));
  p.Add("SlurmctldPidFile", Null(c.slurmctld_pid_file));
  p.Add("SlurmctldPlugstack", Null(c.slurmctld_plugstack));
  p.Add("SLURM_CONF", ctx.slurm_conf_path);
  p.Add("SLURM_VERSION", ctx.version);
  p.Add("SrunEpilog", Null(c.srun_epilog));
  p.Add("SrunPortRange", Null(c.srun_port_range));
  p.Add("SrunProlog", Null(c.srun_prolog));
  p.Add("StateSaveLocation", Null(c.state_save_location));
  p.Add("SuspendExcNodes", Null(c.suspend_exc_nodes));
  p.Add("SuspendExcParts", Null(c.suspend_exc_parts));
  p.Add("SuspendProgram", Null(c.suspend_program));
  p.Add("SuspendRate", fmt::format("{} nodes/min", c.suspend_rate));
  p.Add("SuspendTime", Sec(c.suspend_time));
  p.Add("SuspendTimeout", Sec(c.suspend_timeout));
  p.Add("SwitchParameters", Null(c.switch_parameters));
  p.Add("SwitchType", Null(c.switch_type));
  p.Add("TaskEpilog", Null(c.task_epilog));
  p.Add("TaskPlugin", Null(c.task_plugin));
  p.Add("TaskPluginParam", c.task_plugin_param.empty() ? "(null type)" : c.task_plugin_param);
  p.Add("TaskProlog", Null(c.task_prolog));
  p.Add("TCPTimeout", Sec(c.tcp_timeout));
  p.Add("TmpFS", Null(c.tmp_fs));
  p.Add("TopologyParam", Null(c.topology_param));
  p.Add("TopologyPlugin", Null(c.topology_plugin));
  p.Add("TrackWCKey", YesNo(c.track_wckey));
  p.Add("TreeWidth", std::to_string(c.tree_width));
  p.Add("UsePam", YesNo(c.use_pam));
  p.Add("UnkillableStepProgram", Null(c.unkillable_step_program));
  p.Add("UnkillableStepTimeout", Sec(c.unkillable_step_timeout));
  p.Add("VSizeFactor", fmt::format("{} percent", c.vsize_factor));
  p.Add("WaitTime", Sec(c.wait_time));
  p.Add("X11Parameters", Null(c.x11_parameters));
  std::string out = std::move(p.out());
  for (size_t i = 0; i < ctx.controllers.size(); ++i) {
    if (i == 0) out += "\n";
    out += fmt::format("Slurmctld({}) at {} is {}\n", i == 0 ? "primary" : "backup",
                       ctx.controllers[i].host, ctx.controllers[i].up ? "UP" : "DOWN");
  }
  return out;
}

}  // namespace drover::config
