// The global key table. Defaults are those of Slurm 22.05 as `scontrol show config` prints
// them for a file that omits the key (shared/reference/scontrol_show_config.txt), except
// where newer Slurm changed them and Drover follows the newer one (marked "newer").
#include "config/slurm_conf_keys.h"

#include <fmt/core.h>

#include <algorithm>
#include <type_traits>

#include "config/config_values.h"

namespace drover::config {

namespace {

template <typename T>
using Member = std::remove_reference_t<T>;

template <auto M>
Status Str(SlurmConfig& c, const ConfPair& p, std::string_view) {
  c.*M = p.value;
  return Ok();
}

template <auto M, uint64_t Min = 0, uint64_t Max = UINT32_MAX>
Status Uint(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseUint(p.value, Min, Max);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = static_cast<Member<decltype(c.*M)>>(*v);
  return Ok();
}

template <auto M>
Status U16(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  return Uint<M, 0, UINT16_MAX>(c, p, k);
}

template <auto M>
Status Bool(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseYesNo(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

template <auto M, bool kInfinite = false>
Status Secs(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseSecondsValue(p.value, kInfinite);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

template <auto M>
Status Mins(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseMinutesValue(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

template <auto M>
Status Time(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseTimeValue(p.value);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = *v;
  return Ok();
}

// Memory where 0 or UNLIMITED means "no value"; setting one of a CPU/node pair clears
// the other, as Slurm keeps only the last one given.
template <auto M, auto Other>
Status Mem(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  auto v = ParseMemoryValue(p.value, /*allow_unlimited=*/true);
  if (!v.has_value()) return ValueError(p, k, v.error());
  c.*M = (v->has_value() && **v == 0) ? std::nullopt : *v;
  c.*Other = std::nullopt;
  return Ok();
}

// A comma list whose words must come from `Words`; stored lower case.
template <auto M, const std::vector<std::string_view>* Words>
Status WordList(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  std::vector<std::string> out;
  for (const std::string& w : SplitList(p.value)) {
    if (!FindKeyword(w, *Words)) {
      return ValueError(p, k, fmt::format("unknown word '{}'", w));
    }
    std::string lower = AsciiLower(w);
    if (lower == "none") continue;
    if (std::find(out.begin(), out.end(), lower) == out.end()) out.push_back(lower);
  }
  c.*M = std::move(out);
  return Ok();
}

Status Other(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  c.other[std::string(k)] = p.value;
  return Ok();
}

const std::vector<std::string_view> kEnforceWords = {
    "all", "associations", "limits", "nojobs", "nosteps", "qos", "safe", "wckeys", "none"};
const std::vector<std::string_view> kPrivateWords = {
    "accounts",   "all",          "cloud", "events", "jobs", "nodes",
    "partitions", "reservations", "usage", "users",  "none"};
const std::vector<std::string_view> kDebugLevels = {
    "quiet", "fatal", "error", "info", "verbose", "debug", "debug2", "debug3", "debug4", "debug5"};
const std::vector<std::string_view> kResetPeriods = {"NONE",    "NOW",       "DAILY", "WEEKLY",
                                                     "MONTHLY", "QUARTERLY", "YEARLY"};
const std::vector<std::string_view> kSelectParams = {"CR_CPU",
                                                     "CR_CPU_Memory",
                                                     "CR_Core",
                                                     "CR_Core_Memory",
                                                     "CR_Socket",
                                                     "CR_Socket_Memory",
                                                     "CR_Memory",
                                                     "CR_Board",
                                                     "CR_Board_Memory",
                                                     "CR_ONE_TASK_PER_CORE",
                                                     "CR_CORE_DEFAULT_DIST_BLOCK",
                                                     "CR_LLN",
                                                     "CR_Pack_Nodes",
                                                     "LL_SHARED_GRES",
                                                     "MULTIPLE_SHARING_GRES_PJ",
                                                     "ENFORCE_BINDING_GRES",
                                                     "ONE_TASK_PER_SHARING_GRES"};

template <auto M>
Status DebugLevel(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  // Slurm also takes the old numbers 0..9 for the same levels.
  auto num = ParseUint(p.value, 0, 9);
  if (num.has_value()) {
    c.*M = std::string(kDebugLevels[*num]);
    return Ok();
  }
  if (!FindKeyword(p.value, kDebugLevels)) {
    return ValueError(p, k, "expected quiet, fatal, error, info, verbose or debug..debug5");
  }
  c.*M = AsciiLower(p.value);
  return Ok();
}

Status SelectTypeParams(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  for (const std::string& w : SplitList(p.value)) {
    if (!FindKeyword(w, kSelectParams)) {
      return ValueError(p, k, fmt::format("unknown parameter '{}'", w));
    }
  }
  c.select_type_parameters = ToUpper(p.value);
  return Ok();
}

Status ResetPeriod(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  if (!FindKeyword(p.value, kResetPeriods)) {
    return ValueError(p, k, "expected NONE, NOW, DAILY, WEEKLY, MONTHLY, QUARTERLY or YEARLY");
  }
  c.priority_usage_reset_period = ToUpper(p.value);
  return Ok();
}

Status EnforceParts(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  if (KeyEquals(p.value, "NO") || p.value == "0") {
    c.enforce_part_limits = EnforcePartLimits::kNo;
  } else if (KeyEquals(p.value, "ANY")) {
    c.enforce_part_limits = EnforcePartLimits::kAny;
  } else if (KeyEquals(p.value, "ALL") || KeyEquals(p.value, "YES") || p.value == "1") {
    c.enforce_part_limits = EnforcePartLimits::kAll;
  } else {
    return ValueError(p, k, "expected NO, ANY or ALL");
  }
  return Ok();
}

Status PreemptModeKey(SlurmConfig& c, const ConfPair& p, std::string_view k);

Status CtldHost(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  ControllerHost host;
  std::string_view v = p.value;
  size_t open = v.find('(');
  if (open != std::string_view::npos) {
    if (v.back() != ')' || open == 0) return ValueError(p, k, "expected host or host(address)");
    host.name = std::string(v.substr(0, open));
    host.addr = std::string(v.substr(open + 1, v.size() - open - 2));
  } else {
    host.name = std::string(v);
  }
  if (host.name.empty() || host.name.find_first_of("() ") != std::string::npos) {
    return ValueError(p, k, "expected host or host(address)");
  }
  c.slurmctld_hosts.push_back(std::move(host));
  return Ok();
}

// The pre-18.08 spelling: ControlMachine/ControlAddr are host 0, Backup* host 1.
template <size_t kIndex, bool kAddr>
Status OldCtldHost(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  if (p.value.empty()) return ValueError(p, k, "expected a host name");
  if (c.slurmctld_hosts.size() <= kIndex) c.slurmctld_hosts.resize(kIndex + 1);
  (kAddr ? c.slurmctld_hosts[kIndex].addr : c.slurmctld_hosts[kIndex].name) = p.value;
  return Ok();
}

Status CtldPort(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  size_t dash = p.value.find('-');
  auto lo = ParseUint(std::string_view(p.value).substr(0, dash), 1, UINT16_MAX);
  if (!lo.has_value()) return ValueError(p, k, "expected a port or a port range like 6817-6820");
  uint64_t hi = *lo;
  if (dash != std::string::npos) {
    auto h = ParseUint(std::string_view(p.value).substr(dash + 1), *lo, UINT16_MAX);
    if (!h.has_value()) return ValueError(p, k, "expected a port or a port range like 6817-6820");
    hi = *h;
  }
  c.slurmctld_port = static_cast<uint16_t>(*lo);
  c.slurmctld_port_count = static_cast<uint16_t>(hi - *lo + 1);
  return Ok();
}

#define R(name, setter, dflt) \
  GlobalKey { name, setter, dflt }
using C = SlurmConfig;

const GlobalKey kKeys[] = {
    R("AccountingStorageBackupHost", Str<&C::accounting_storage_backup_host>, nullptr),
    R("AccountingStorageEnforce", (WordList<&C::accounting_storage_enforce, &kEnforceWords>),
      "none"),
    R("AccountingStorageExternalHost", Str<&C::accounting_storage_external_host>, nullptr),
    R("AccountingStorageHost", Str<&C::accounting_storage_host>, nullptr),
    R("AccountingStorageParameters", Str<&C::accounting_storage_parameters>, nullptr),
    R("AccountingStoragePass", Str<&C::accounting_storage_pass>, nullptr),
    R("AccountingStoragePort", U16<&C::accounting_storage_port>, "0"),
    R("AccountingStorageTRES", Str<&C::accounting_storage_tres>, nullptr),
    R("AccountingStorageType", Str<&C::accounting_storage_type>, "accounting_storage/none"),
    R("AccountingStorageUser", Str<&C::accounting_storage_user>, nullptr),
    R("AccountingStoreFlags", Str<&C::accounting_store_flags>, nullptr),
    R("AccountingStorageLoc", Other, nullptr),
    R("AcctGatherEnergyType", Str<&C::acct_gather_energy_type>, "acct_gather_energy/none"),
    R("AcctGatherFilesystemType", Str<&C::acct_gather_filesystem_type>,
      "acct_gather_filesystem/none"),
    R("AcctGatherInterconnectType", Str<&C::acct_gather_interconnect_type>,
      "acct_gather_interconnect/none"),
    R("AcctGatherInfinibandType", Str<&C::acct_gather_interconnect_type>, nullptr),
    R("AcctGatherNodeFreq", Secs<&C::acct_gather_node_freq>, "0"),
    R("AcctGatherProfileType", Str<&C::acct_gather_profile_type>, "acct_gather_profile/none"),
    R("AllowSpecResourcesUsage", Bool<&C::allow_spec_resources_usage>, "no"),
    R("AuthAltTypes", Str<&C::auth_alt_types>, nullptr),
    R("AuthAltParameters", Str<&C::auth_alt_parameters>, nullptr),
    R("AuthInfo", Str<&C::auth_info>, nullptr),
    R("AuthType", Str<&C::auth_type>, "auth/munge"),
    R("BackupAddr", (OldCtldHost<1, true>), nullptr),
    R("BackupController", (OldCtldHost<1, false>), nullptr),
    R("BatchStartTimeout", Secs<&C::batch_start_timeout>, "10"),
    R("BcastExclude", Str<&C::bcast_exclude>, "/lib,/usr/lib,/lib64,/usr/lib64"),
    R("BcastParameters", Str<&C::bcast_parameters>, nullptr),
    R("BurstBufferType", Str<&C::burst_buffer_type>, nullptr),
    R("CliFilterPlugins", Str<&C::cli_filter_plugins>, nullptr),
    R("ClusterName", Str<&C::cluster_name>, nullptr),
    R("CommunicationParameters", Str<&C::communication_parameters>, nullptr),
    R("CompleteWait", Secs<&C::complete_wait>, "0"),
    R("ControlAddr", (OldCtldHost<0, true>), nullptr),
    R("ControlMachine", (OldCtldHost<0, false>), nullptr),
    R("CoreSpecPlugin", Str<&C::core_spec_plugin>, "core_spec/none"),
    R("CpuFreqDef", Str<&C::cpu_freq_def>, nullptr),
    R("CpuFreqGovernors", Str<&C::cpu_freq_governors>, "OnDemand,Performance,UserSpace"),
    R("CredType", Str<&C::cred_type>, "cred/munge"),
    R("CryptoType", Other, nullptr),
    R("DebugFlags", Str<&C::debug_flags>, nullptr),
    R("DefCpuPerGPU", Other, nullptr),
    R("DefMemPerCPU", (Mem<&C::def_mem_per_cpu_mb, &C::def_mem_per_node_mb>), nullptr),
    R("DefMemPerGPU", Other, nullptr),
    R("DefMemPerNode", (Mem<&C::def_mem_per_node_mb, &C::def_mem_per_cpu_mb>), nullptr),
    R("DependencyParameters", Str<&C::dependency_parameters>, nullptr),
    R("DisableRootJobs", Bool<&C::disable_root_jobs>, "no"),
    R("EioTimeout", (Uint<&C::eio_timeout, 0, 65533>), "60"),
    R("EnforcePartLimits", EnforceParts, "NO"),
    R("Epilog", Str<&C::epilog>, nullptr),
    R("EpilogMsgTime", Uint<&C::epilog_msg_time_us>, "2000"),
    R("EpilogSlurmctld", Str<&C::epilog_slurmctld>, nullptr),
    R("ExtSensorsFreq", Secs<&C::ext_sensors_freq>, "0"),
    R("ExtSensorsType", Str<&C::ext_sensors_type>, "ext_sensors/none"),
    R("FairShareDampeningFactor", (Uint<&C::fair_share_dampening_factor, 1, UINT16_MAX>), "1"),
    R("FastSchedule", Other, nullptr),  // obsolete since 20.02; accepted and ignored
    R("FederationParameters", Str<&C::federation_parameters>, nullptr),
    R("FirstJobId", (Uint<&C::first_job_id, 1>), "1"),
    R("GetEnvTimeout", Secs<&C::get_env_timeout>, "2"),
    R("GpuFreqDef", Str<&C::gpu_freq_def>, "high,memory=high"),
    R("GresTypes", Str<&C::gres_types>, nullptr),
    R("GroupUpdateForce", U16<&C::group_update_force>, "1"),
    R("GroupUpdateTime", Secs<&C::group_update_time>, "600"),
    R("HealthCheckInterval", Secs<&C::health_check_interval>, "0"),
    R("HealthCheckNodeState", Str<&C::health_check_node_state>, "ANY"),
    R("HealthCheckProgram", Str<&C::health_check_program>, nullptr),
    R("InactiveLimit", Secs<&C::inactive_limit>, "0"),
    R("InteractiveStepOptions", Str<&C::interactive_step_options>,
      "--interactive --preserve-env --pty $SHELL"),
    R("JobAcctGatherFrequency", Str<&C::job_acct_gather_frequency>, "30"),
    R("JobAcctGatherParams", Str<&C::job_acct_gather_params>, nullptr),
    R("JobAcctGatherType", Str<&C::job_acct_gather_type>, "jobacct_gather/none"),
    R("JobCompHost", Str<&C::job_comp_host>, "localhost"),
    R("JobCompLoc", Str<&C::job_comp_loc>, "/var/log/slurm_jobcomp.log"),
    R("JobCompParams", Str<&C::job_comp_params>, nullptr),
    R("JobCompPass", Str<&C::job_comp_pass>, nullptr),
    R("JobCompPort", Uint<&C::job_comp_port>, "0"),
    R("JobCompType", Str<&C::job_comp_type>, "jobcomp/none"),
    R("JobCompUser", Str<&C::job_comp_user>, "root"),
    R("JobContainerType", Str<&C::job_container_type>, "job_container/none"),
    R("JobCredentialPrivateKey", Str<&C::job_credential_private_key>, nullptr),
    R("JobCredentialPublicCertificate", Str<&C::job_credential_public_certificate>, nullptr),
    R("JobDefaults", Str<&C::job_defaults>, nullptr),
    R("JobFileAppend", U16<&C::job_file_append>, "0"),
    R("JobRequeue", U16<&C::job_requeue>, "1"),
    R("JobSubmitPlugins", Str<&C::job_submit_plugins>, nullptr),
    R("KillOnBadExit", U16<&C::kill_on_bad_exit>, "0"),
    R("KillWait", Secs<&C::kill_wait>, "30"),
    R("LaunchParameters", Str<&C::launch_parameters>, nullptr),
    R("LaunchType", Str<&C::launch_type>, "launch/slurm"),
    R("Licenses", Str<&C::licenses>, nullptr),
    R("LogTimeFormat", Str<&C::log_time_format>, "iso8601_ms"),
    R("MailDomain", Str<&C::mail_domain>, nullptr),
    R("MailProg", Str<&C::mail_prog>, "/bin/mail"),
    R("MaxArraySize", (Uint<&C::max_array_size, 0, 4000001>), "1001"),
    R("MaxDBDMsgs", Uint<&C::max_dbd_msgs>, "0"),  // 0: derived at the end of the parse
    R("MaxJobCount", (Uint<&C::max_job_count, 1>), "10000"),
    R("MaxJobId", (Uint<&C::max_job_id, 1>), "67043328"),
    R("MaxMemPerCPU", (Mem<&C::max_mem_per_cpu_mb, &C::max_mem_per_node_mb>), nullptr),
    R("MaxMemPerNode", (Mem<&C::max_mem_per_node_mb, &C::max_mem_per_cpu_mb>), nullptr),
    R("MaxNodeCount", Uint<&C::max_node_count>, "0"),
    R("MaxStepCount", (Uint<&C::max_step_count, 1>), "40000"),
    R("MaxTasksPerNode", (Uint<&C::max_tasks_per_node, 1, 65533>), "512"),
    R("MCSParameters", Str<&C::mcs_parameters>, nullptr),
    R("MCSPlugin", Str<&C::mcs_plugin>, "mcs/none"),
    R("MessageTimeout", (Secs<&C::message_timeout>), "10"),
    R("MinJobAge", Secs<&C::min_job_age>, "300"),
    R("MpiDefault", Str<&C::mpi_default>, "none"),
    R("MpiParams", Str<&C::mpi_params>, nullptr),
    R("NodeFeaturesPlugins", Str<&C::node_features_plugins>, nullptr),
    R("OverTimeLimit", Mins<&C::over_time_limit>, "0"),
    R("PluginDir", Str<&C::plugin_dir>, "/usr/lib/x86_64-linux-gnu/slurm-wlm"),
    R("PlugStackConfig", Str<&C::plug_stack_config>, nullptr),
    R("PowerParameters", Str<&C::power_parameters>, nullptr),
    R("PowerPlugin", Str<&C::power_plugin>, nullptr),
    R("PreemptExemptTime", Time<&C::preempt_exempt_time>, "0"),
    R("PreemptMode", PreemptModeKey, "OFF"),
    R("PreemptType", Str<&C::preempt_type>, "preempt/none"),
    R("PrEpParameters", Str<&C::prep_parameters>, nullptr),
    R("PrEpPlugins", Str<&C::prep_plugins>, "prep/script"),
    R("PriorityCalcPeriod", Time<&C::priority_calc_period>, "5"),
    R("PriorityDecayHalfLife", Time<&C::priority_decay_half_life>, "7-0"),
    R("PriorityFavorSmall", Bool<&C::priority_favor_small>, "no"),
    R("PriorityFlags", Str<&C::priority_flags>, nullptr),
    R("PriorityMaxAge", Time<&C::priority_max_age>, "7-0"),
    R("PriorityParameters", Str<&C::priority_parameters>, nullptr),
    R("PrioritySiteFactorParameters", Str<&C::priority_site_factor_parameters>, nullptr),
    R("PrioritySiteFactorPlugin", Str<&C::priority_site_factor_plugin>, nullptr),
    // newer: 23.11 made multifactor the default (22.05: priority/basic).
    R("PriorityType", Str<&C::priority_type>, "priority/multifactor"),
    R("PriorityUsageResetPeriod", ResetPeriod, "NONE"),
    R("PriorityWeightAge", Uint<&C::priority_weight_age>, "0"),
    R("PriorityWeightAssoc", Uint<&C::priority_weight_assoc>, "0"),
    R("PriorityWeightFairshare", Uint<&C::priority_weight_fair_share>, "0"),
    R("PriorityWeightJobSize", Uint<&C::priority_weight_job_size>, "0"),
    R("PriorityWeightPartition", Uint<&C::priority_weight_partition>, "0"),
    R("PriorityWeightQOS", Uint<&C::priority_weight_qos>, "0"),
    R("PriorityWeightTRES", Str<&C::priority_weight_tres>, nullptr),
    R("PrivateData", (WordList<&C::private_data, &kPrivateWords>), "none"),
    R("ProctrackType", Str<&C::proctrack_type>, "proctrack/cgroup"),
    R("Prolog", Str<&C::prolog>, nullptr),
    R("PrologEpilogTimeout", U16<&C::prolog_epilog_timeout>, "65534"),
    R("PrologFlags", Str<&C::prolog_flags>, nullptr),
    R("PrologSlurmctld", Str<&C::prolog_slurmctld>, nullptr),
    R("PropagatePrioProcess", (Uint<&C::propagate_prio_process, 0, 2>), "0"),
    R("PropagateResourceLimits", Str<&C::propagate_resource_limits>, "ALL"),
    R("PropagateResourceLimitsExcept", Str<&C::propagate_resource_limits_except>, nullptr),
    R("RebootProgram", Str<&C::reboot_program>, nullptr),
    R("ReconfigFlags", Str<&C::reconfig_flags>, nullptr),
    R("RequeueExit", Str<&C::requeue_exit>, nullptr),
    R("RequeueExitHold", Str<&C::requeue_exit_hold>, nullptr),
    R("ResumeFailProgram", Str<&C::resume_fail_program>, nullptr),
    R("ResumeProgram", Str<&C::resume_program>, nullptr),
    R("ResumeRate", Uint<&C::resume_rate>, "300"),
    R("ResumeTimeout", Secs<&C::resume_timeout>, "60"),
    R("ResvEpilog", Str<&C::resv_epilog>, nullptr),
    R("ResvOverRun", Mins<&C::resv_over_run>, "0"),
    R("ResvProlog", Str<&C::resv_prolog>, nullptr),
    R("ReturnToService", (Uint<&C::return_to_service, 0, 2>), "0"),
    R("RoutePlugin", Str<&C::route_plugin>, "route/default"),
    R("SchedulerParameters", Str<&C::scheduler_parameters>, nullptr),
    R("SchedulerTimeSlice", (Secs<&C::scheduler_time_slice>), "30"),
    R("SchedulerType", Str<&C::scheduler_type>, "sched/backfill"),
    R("ScronParameters", Str<&C::scron_parameters>, nullptr),
    // newer: 23.02 made cons_tres the default (22.05: select/linear).
    R("SelectType", Str<&C::select_type>, "select/cons_tres"),
    R("SelectTypeParameters", SelectTypeParams, "CR_Core_Memory"),
    R("SlurmctldAddr", Str<&C::slurmctld_addr>, nullptr),
    R("SlurmctldDebug", DebugLevel<&C::slurmctld_debug>, "info"),
    R("SlurmctldHost", CtldHost, nullptr),
    R("SlurmctldLogFile", Str<&C::slurmctld_log_file>, nullptr),
    R("SlurmctldParameters", Str<&C::slurmctld_parameters>, nullptr),
    R("SlurmctldPidFile", Str<&C::slurmctld_pid_file>, "/var/run/slurmctld.pid"),
    R("SlurmctldPlugstack", Str<&C::slurmctld_plugstack>, nullptr),
    R("SlurmctldPort", CtldPort, "6817"),
    R("SlurmctldPrimaryOffProg", Str<&C::slurmctld_primary_off_prog>, nullptr),
    R("SlurmctldPrimaryOnProg", Str<&C::slurmctld_primary_on_prog>, nullptr),
    R("SlurmctldSyslogDebug", Str<&C::slurmctld_syslog_debug>, nullptr),
    R("SlurmctldTimeout", Secs<&C::slurmctld_timeout>, "120"),
    R("SlurmdDebug", DebugLevel<&C::slurmd_debug>, "info"),
    R("SlurmdLogFile", Str<&C::slurmd_log_file>, nullptr),
    R("SlurmdParameters", Str<&C::slurmd_parameters>, nullptr),
    R("SlurmdPidFile", Str<&C::slurmd_pid_file>, "/var/run/slurmd.pid"),
    R("SlurmdPort", (Uint<&C::slurmd_port, 1, UINT16_MAX>), "6818"),
    R("SlurmdSpoolDir", Str<&C::slurmd_spool_dir>, "/var/spool/slurmd"),
    R("SlurmdSyslogDebug", Str<&C::slurmd_syslog_debug>, nullptr),
    R("SlurmdTimeout", Secs<&C::slurmd_timeout>, "300"),
    R("SlurmdUser", Str<&C::slurmd_user>, "root"),
    R("SlurmSchedLogFile", Str<&C::slurm_sched_log_file>, nullptr),
    R("SlurmSchedLogLevel", (Uint<&C::slurm_sched_log_level, 0, 1>), "0"),
    R("SlurmUser", Str<&C::slurm_user>, "root"),
    R("SrunEpilog", Str<&C::srun_epilog>, nullptr),
    R("SrunPortRange", Str<&C::srun_port_range>, "0-0"),
    R("SrunProlog", Str<&C::srun_prolog>, nullptr),
    R("StateSaveLocation", Str<&C::state_save_location>, "/var/spool"),
    R("SuspendExcNodes", Str<&C::suspend_exc_nodes>, nullptr),
    R("SuspendExcParts", Str<&C::suspend_exc_parts>, nullptr),
    R("SuspendProgram", Str<&C::suspend_program>, nullptr),
    R("SuspendRate", Uint<&C::suspend_rate>, "60"),
    R("SuspendTime", (Secs<&C::suspend_time, true>), "INFINITE"),
    R("SuspendTimeout", Secs<&C::suspend_timeout>, "30"),
    R("SwitchParameters", Str<&C::switch_parameters>, nullptr),
    R("SwitchType", Str<&C::switch_type>, "switch/none"),
    R("TaskEpilog", Str<&C::task_epilog>, nullptr),
    R("TaskPlugin", Str<&C::task_plugin>, "task/none"),
    R("TaskPluginParam", Str<&C::task_plugin_param>, nullptr),
    R("TaskProlog", Str<&C::task_prolog>, nullptr),
    R("TCPTimeout", Secs<&C::tcp_timeout>, "2"),
    R("TmpFS", Str<&C::tmp_fs>, "/tmp"),
    R("TopologyParam", Str<&C::topology_param>, nullptr),
    R("TopologyPlugin", Str<&C::topology_plugin>, "topology/none"),
    R("TrackWCKey", Bool<&C::track_wckey>, "no"),
    R("TreeWidth", (Uint<&C::tree_width, 1, 65533>), "50"),
    R("UnkillableStepProgram", Str<&C::unkillable_step_program>, nullptr),
    R("UnkillableStepTimeout", Secs<&C::unkillable_step_timeout>, "60"),
    R("UsePAM", Bool<&C::use_pam>, "no"),
    R("VSizeFactor", (Uint<&C::vsize_factor, 0, 65533>), "0"),
    R("WaitTime", Secs<&C::wait_time>, "0"),
    R("X11Parameters", Str<&C::x11_parameters>, nullptr),
};
#undef R

Status PreemptModeKey(SlurmConfig& c, const ConfPair& p, std::string_view k) {
  const std::vector<std::string_view> words = {"OFF",  "SUSPEND", "REQUEUE", "CANCEL",
                                               "GANG", "WITHIN",  "PRIORITY"};
  const uint16_t bits[] = {preempt::kOff,  preempt::kSuspend, preempt::kRequeue, preempt::kCancel,
                           preempt::kGang, preempt::kWithin,  preempt::kPriority};
  uint16_t mode = 0;
  for (const std::string& w : SplitList(p.value)) {
    auto i = FindKeyword(w, words);
    if (!i) return ValueError(p, k, fmt::format("unknown preempt mode '{}'", w));
    mode |= bits[*i];
  }
  c.preempt_mode = mode;
  return Ok();
}

}  // namespace

std::span<const GlobalKey> GlobalKeys() { return kKeys; }

const GlobalKey* FindGlobalKey(std::string_view key) {
  for (const GlobalKey& row : kKeys) {
    if (KeyEquals(row.name, key)) return &row;
  }
  return nullptr;
}

}  // namespace drover::config
