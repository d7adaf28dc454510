// squeue --json: the job list in Slurm 22.05's OpenAPI v0.0.38 shape (the member names
// and order of its dump of job_info_t; see shared/reference/squeue_json_head50.txt).
#include <fmt/format.h>

#include "cli/common/format_json.h"
#include "cli/squeue/job_text.h"
#include "cli/squeue/render.h"

namespace drover::cli::squeue {
namespace {

namespace jt = jobtext;

JsonValue OptU32(bool has, uint32_t v) { return has ? JsonValue(v) : JsonValue(nullptr); }

JsonObject ExitCodeJson(const v1::ExitCode& e) {
  std::string status = e.signal() != 0 ? "SIGNALED" : (e.status() != 0 ? "FAILED" : "SUCCESS");
  return JsonObject{{"status", status},
                    {"return_code", e.status()},
                    {"signal", JsonObject{{"signal_id", e.signal()}, {"name", ""}}}};
}

JsonObject JobJson(const v1::JobInfo& j, int64_t now) {
  const v1::JobSpec& s = j.spec();
  int64_t limit = jt::TimeLimitSeconds(j);
  std::string state_desc = j.reason_detail();
  JsonObject o{
      {"account", s.account()},
      {"accrue_time", j.accrue_time()},
      {"admin_comment", j.admin_comment()},
      {"array_job_id", j.array_job_id()},
      {"array_task_id", OptU32(j.has_array_task_id(), j.array_task_id())},
      {"array_max_tasks", j.array_max_running()},
      {"array_task_string",
       j.pending_array_tasks_size() > 0 ? jt::IdRangesText(j.pending_array_tasks()) : ""},
      {"association_id", j.association_id()},
      {"batch_features", ""},
      {"batch_flag", j.batch()},
      {"batch_host", j.batch_host()},
      {"flags", JsonArray{}},
      {"burst_buffer", ""},
      {"burst_buffer_state", ""},
      {"cluster", j.cluster()},
      {"cluster_features", ""},
      {"command", s.command()},
      {"comment", s.comment()},
      {"container", s.container()},
      {"contiguous", s.contiguous()},
      {"core_spec", OptU32(s.has_core_spec(), s.core_spec())},
      {"thread_spec", OptU32(s.has_thread_spec(), s.thread_spec())},
      {"cores_per_socket", OptU32(s.has_cores_per_socket(), s.cores_per_socket())},
      {"billable_tres", nullptr},
      {"cpus_per_task", OptU32(s.has_cpus_per_task(), s.cpus_per_task())},
      {"cpu_frequency_minimum", nullptr},
      {"cpu_frequency_maximum", nullptr},
      {"cpu_frequency_governor", nullptr},
      {"cpus_per_tres", ""},
      {"deadline", s.deadline_time()},
      {"delay_boot", 0},
      {"dependency", s.dependency().items_size() > 0 ? jt::DependencyText(s.dependency()) : ""},
      {"derived_exit_code", static_cast<int64_t>(j.derived_exit_code().status())},
      {"eligible_time", j.eligible_time()},
      {"end_time", j.end_time()},
      {"excluded_nodes", s.exclude_node_list()},
      {"exit_code", static_cast<int64_t>(j.exit_code().status())},
      {"features", s.constraint()},
      {"federation_origin", ""},
      {"federation_siblings_active", ""},
      {"federation_siblings_viable", ""},
      {"gres_detail", JsonArray{}},
      {"group_id", j.group().gid()},
      {"job_id", j.job_id()},
      {"job_resources", JsonObject{}},
      {"job_state", std::string(jt::StateName(j.state()))},
      {"last_sched_evaluation", j.last_sched_eval_time()},
      {"licenses", s.licenses_size() > 0 ? jt::LicensesText(s.licenses()) : ""},
      {"max_cpus", 0},
      {"max_nodes", s.max_nodes()},
      {"mcs_label", j.mcs_label()},
      {"memory_per_tres", ""},
      {"name", s.name()},
      {"nodes", j.node_list()},
      {"nice", s.nice()},
      {"tasks_per_core", OptU32(s.has_ntasks_per_core(), s.ntasks_per_core())},
      {"tasks_per_node", OptU32(s.has_ntasks_per_node(), s.ntasks_per_node())},
      {"tasks_per_socket", OptU32(s.has_ntasks_per_socket(), s.ntasks_per_socket())},
      {"tasks_per_board", 0},
      {"cpus", j.num_cpus()},
      {"node_count", j.num_nodes()},
      {"tasks", j.num_tasks()},
      {"het_job_id", 0},
      {"het_job_id_set", ""},
      {"het_job_offset", 0},
      {"partition", j.partition()},
      {"memory_per_node",
       s.memory_case() == v1::JobSpec::kMemPerNodeMb ? JsonValue(s.mem_per_node_mb()) : nullptr},
      {"memory_per_cpu",
       s.memory_case() == v1::JobSpec::kMemPerCpuMb ? JsonValue(s.mem_per_cpu_mb()) : nullptr},
      {"minimum_cpus_per_node", OptU32(s.has_min_cpus_per_node(), s.min_cpus_per_node())},
      {"minimum_tmp_disk_per_node", s.tmp_disk_mb()},
      {"preempt_time", 0},
      {"pre_sus_time", j.pre_suspend_s()},
      {"priority", j.priority()},
      {"profile", nullptr},
      {"qos", s.qos()},
      {"reboot", s.reboot()},
      {"required_nodes", s.node_list()},
      {"requeue", s.requeue()},
      {"resize_time", 0},
      {"restart_cnt", j.restarts()},
      {"resv_name", s.reservations_size() > 0 ? s.reservations(0) : ""},
      {"shared", nullptr},
      {"show_flags", JsonArray{"SHOW_ALL", "SHOW_DETAIL", "SHOW_LOCAL"}},
      {"sockets_per_board", 0},
      {"sockets_per_node", OptU32(s.has_sockets_per_node(), s.sockets_per_node())},
      {"start_time", j.start_time()},
      {"state_description", state_desc},
      {"state_reason", std::string(jt::ReasonName(j.reason()))},
      {"standard_error", j.std_err_path()},
      {"standard_input", j.std_in_path()},
      {"standard_output", j.std_out_path()},
      {"submit_time", j.submit_time()},
      {"suspend_time", j.suspend_time()},
      {"system_comment", j.system_comment()},
      {"time_limit", limit < 0 ? JsonValue(nullptr) : JsonValue((limit + 59) / 60)},
      {"time_minimum", s.has_time_min_s() ? s.time_min_s() / 60 : 0},
      {"threads_per_core", OptU32(s.has_threads_per_core(), s.threads_per_core())},
      {"tres_bind", ""},
      {"tres_freq", ""},
      {"tres_per_job", ""},
      {"tres_per_node", jt::TresPerNodeText(s)},
      {"tres_per_socket", ""},
      {"tres_per_task", ""},
      {"tres_req_str", jt::TresText(j.req_tres())},
      {"tres_alloc_str", jt::TresText(j.alloc_tres())},
      {"user_id", j.user().uid()},
      {"user_name", j.user().name()},
      {"wckey", s.wckey()},
      {"current_working_directory", s.work_dir()},
  };
  (void)now;
  (void)ExitCodeJson;
  return o;
}

}  // namespace

std::string RenderJobsJson(const std::vector<v1::JobInfo>& jobs, int64_t now) {
  JsonObject doc = SlurmJsonMeta();
  JsonArray list;
  for (const v1::JobInfo& j : jobs) list.emplace_back(JobJson(j, now));
  doc.emplace_back("jobs", std::move(list));
  return WriteJson(doc);
}

}  // namespace drover::cli::squeue
