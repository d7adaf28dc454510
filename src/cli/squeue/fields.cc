#include "cli/squeue/fields.h"

#include <fmt/format.h>

#include "cli/squeue/job_text.h"

namespace drover::cli::squeue {
namespace {

namespace jt = jobtext;
using F = FieldDef<JobRow>;

const v1::JobInfo& J(const JobRow& r) { return *r.job; }
std::string Num(int64_t n) { return std::to_string(n); }
std::string Bool01(bool b) { return b ? "1" : "0"; }

std::string Opt(bool has, int64_t value, std::string_view none = "*") {
  return has ? Num(value) : std::string(none);
}

std::string MinCpus(const JobRow& r) {
  const v1::JobSpec& s = J(r).spec();
  if (s.has_min_cpus_per_node()) return Num(s.min_cpus_per_node());
  return Num(s.has_cpus_per_task() ? s.cpus_per_task() : 1);
}

std::string Sct(const JobRow& r) {
  const v1::JobSpec& s = J(r).spec();
  return fmt::format("{}:{}:{}", Opt(s.has_sockets_per_node(), s.sockets_per_node()),
                     Opt(s.has_cores_per_socket(), s.cores_per_socket()),
                     Opt(s.has_threads_per_core(), s.threads_per_core()));
}

std::string Priority(const JobRow& r) {
  // Slurm prints the priority normalised to 0..1 of a 32-bit priority.
  return fmt::format("{:.14f}", static_cast<double>(J(r).priority()) / 4294967295.0);
}

std::string Reservations(const JobRow& r) {
  std::string out;
  for (const std::string& s : J(r).spec().reservations()) out += (out.empty() ? "" : ",") + s;
  return jt::OrNull(out);
}

std::string Partition(const JobRow& r) { return J(r).partition(); }

const F kFields[] = {
    {"Account", 'a', "ACCOUNT", [](const JobRow& r) { return J(r).spec().account(); }},
    {"ArrayJobID", 'F', "ARRAY_JOB_ID",
     [](const JobRow& r) {
       return Num(J(r).array_job_id() ? J(r).array_job_id() : J(r).job_id());
     }},
    {"ArrayTaskID", 'K', "ARRAY_TASK_ID", [](const JobRow& r) { return jt::ArrayTaskText(J(r)); }},
    {"BatchHost", 'B', "EXEC_HOST",
     [](const JobRow& r) { return J(r).batch_host().empty() ? "n/a" : J(r).batch_host(); }},
    {"tres-per-node", 'b', "TRES_PER_NODE",
     [](const JobRow& r) {
       std::string t = jt::TresPerNodeText(J(r).spec());
       return t.empty() ? std::string("N/A") : t;
     }},
    {"MinCpus", 'c', "MIN_CPUS", MinCpus},
    {"NumCPUs", 'C', "CPUS", [](const JobRow& r) { return Num(J(r).num_cpus()); }},
    {"MinTmpDisk", 'd', "MIN_TMP_DISK",
     [](const JobRow& r) { return Num(J(r).spec().tmp_disk_mb()); }},
    {"NumNodes", 'D', "NODES", [](const JobRow& r) { return Num(J(r).num_nodes()); }},
    {"EndTime", 'e', "END_TIME",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).end_time(), "N/A"); }},
    {"Dependency", 'E', "DEPENDENCY",
     [](const JobRow& r) { return jt::DependencyText(J(r).spec().dependency()); }},
    {"Feature", 'f', "FEATURES",
     [](const JobRow& r) { return jt::OrNull(J(r).spec().constraint()); }},
    {"GroupName", 'g', "GROUP",
     [](const JobRow& r) {
       return J(r).group().name().empty() ? Num(J(r).group().gid()) : J(r).group().name();
     }},
    {"GroupID", 'G', "GROUP", [](const JobRow& r) { return Num(J(r).group().gid()); }},
    {"OverSubscribe", 'h', "OVER_SUBSCRIBE",
     [](const JobRow& r) { return std::string(jt::SharingText(J(r).spec().sharing())); }},
    {"SPerNode", 'H', "SOCKETS_PER_NODE",
     [](const JobRow& r) {
       return Opt(J(r).spec().has_sockets_per_node(), J(r).spec().sockets_per_node());
     }},
    {"JobArrayID", 'i', "JOBID", [](const JobRow& r) { return jt::JobIdText(J(r)); }},
    {"CPerSocket", 'I', "CORES_PER_SOCKET",
     [](const JobRow& r) {
       return Opt(J(r).spec().has_cores_per_socket(), J(r).spec().cores_per_socket());
     }},
    {"Name", 'j', "NAME", [](const JobRow& r) { return J(r).spec().name(); }},
    {"TPerCore", 'J', "THREADS_PER_CORE",
     [](const JobRow& r) {
       return Opt(J(r).spec().has_threads_per_core(), J(r).spec().threads_per_core());
     }},
    {"Comment", 'k', "COMMENT", [](const JobRow& r) { return jt::OrNull(J(r).spec().comment()); }},
    {"TimeLimit", 'l', "TIME_LIMIT", [](const JobRow& r) { return jt::TimeLimitText(J(r)); }},
    {"TimeLeft", 'L', "TIME_LEFT", [](const JobRow& r) { return jt::TimeLeftText(J(r), r.now); }},
    {"MinMemory", 'm', "MIN_MEMORY",
     [](const JobRow& r) { return jt::MinMemoryText(J(r).spec()); }},
    {"TimeUsed", 'M', "TIME", [](const JobRow& r) { return jt::TimeUsedText(J(r), r.now); }},
    {"ReqNodes", 'n', "REQ_NODES", [](const JobRow& r) { return J(r).spec().node_list(); }},
    {"NodeList", 'N', "NODELIST", [](const JobRow& r) { return J(r).node_list(); }},
    {"Command", 'o', "COMMAND", [](const JobRow& r) { return jt::OrNull(J(r).spec().command()); }},
    {"Contiguous", 'O', "CONTIGUOUS",
     [](const JobRow& r) { return Bool01(J(r).spec().contiguous()); }},
    {"Priority", 'p', "PRIORITY", Priority},
    {"Partition", 'P', "PARTITION", Partition},
    {"QOS", 'q', "QOS", [](const JobRow& r) { return J(r).spec().qos(); }},
    {"PriorityLong", 'Q', "PRIORITY", [](const JobRow& r) { return Num(J(r).priority()); }},
    {"Reason", 'r', "REASON",
     [](const JobRow& r) { return std::string(jt::ReasonName(J(r).reason())); }},
    {"ReasonList", 'R', "NODELIST(REASON)",
     [](const JobRow& r) { return jt::ReasonOrNodes(J(r)); }},
    {"StartTime", 'S', "START_TIME",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).start_time(), "N/A"); }},
    {"StateCompact", 't', "ST",
     [](const JobRow& r) { return std::string(jt::StateCode(J(r).state())); }},
    {"State", 'T', "STATE",
     [](const JobRow& r) { return std::string(jt::StateName(J(r).state())); }},
    {"UserName", 'u', "USER",
     [](const JobRow& r) {
       return J(r).user().name().empty() ? Num(J(r).user().uid()) : J(r).user().name();
     }},
    {"UserID", 'U', "UID", [](const JobRow& r) { return Num(J(r).user().uid()); }},
    {"Reservation", 'v', "RESERVATION", Reservations},
    {"SubmitTime", 'V', "SUBMIT_TIME",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).submit_time(), "N/A"); }},
    {"WCKey", 'w', "WCKEY", [](const JobRow& r) { return jt::OrNull(J(r).spec().wckey()); }},
    {"Licenses", 'W', "LICENSES",
     [](const JobRow& r) { return jt::LicensesText(J(r).spec().licenses()); }},
    {"ExcNodes", 'x', "EXC_NODES", [](const JobRow& r) { return J(r).spec().exclude_node_list(); }},
    {"Nice", 'y', "NICE", [](const JobRow& r) { return Num(J(r).spec().nice()); }},
    {"SchedNodes", 'Y', "SCHEDNODES",
     [](const JobRow& r) { return jt::OrNull(J(r).sched_node_list()); }},
    {"SCT", 'z', "S:C:T", Sct},
    {"WorkDir", 'Z', "WORK_DIR", [](const JobRow& r) { return J(r).spec().work_dir(); }},
    {"JobID", 'A', "JOBID", [](const JobRow& r) { return Num(J(r).job_id()); }},
    // Long names only.
    {"AccrueTime", 0, "ACCRUE_TIME",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).accrue_time(), "N/A"); }},
    {"AdminComment", 0, "ADMIN_COMMENT",
     [](const JobRow& r) { return jt::OrNull(J(r).admin_comment()); }},
    {"AllocNodes", 0, "ALLOC_NODES", [](const JobRow& r) { return J(r).spec().alloc_node(); }},
    {"AllocSID", 0, "ALLOC_SID", [](const JobRow& r) { return Num(J(r).spec().alloc_sid()); }},
    {"AssocID", 0, "ASSOC_ID", [](const JobRow& r) { return Num(J(r).association_id()); }},
    {"BatchFlag", 0, "BATCH_FLAG", [](const JobRow& r) { return Bool01(J(r).batch()); }},
    {"Cluster", 0, "CLUSTER", [](const JobRow& r) { return J(r).cluster(); }},
    {"cpus-per-task", 0, "CPUS_PER_TASK",
     [](const JobRow& r) {
       return Num(J(r).spec().has_cpus_per_task() ? J(r).spec().cpus_per_task() : 1);
     }},
    {"Deadline", 0, "DEADLINE",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).spec().deadline_time(), "N/A"); }},
    {"DerivedEC", 0, "DERIVED_EC",
     [](const JobRow& r) {
       return fmt::format("{}:{}", J(r).derived_exit_code().status(),
                          J(r).derived_exit_code().signal());
     }},
    {"EligibleTime", 0, "ELIGIBLE_TIME",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).eligible_time(), "N/A"); }},
    {"exit_code", 0, "EXIT_CODE",
     [](const JobRow& r) {
       return fmt::format("{}:{}", J(r).exit_code().status(), J(r).exit_code().signal());
     }},
    {"LastSchedEval", 0, "LAST_SCHED_EVAL",
     [](const JobRow& r) { return jt::IsoTimeOr(J(r).last_sched_eval_time(), "N/A"); }},
    {"MaxNodes", 0, "MAX_NODES", [](const JobRow& r) { return Num(J(r).spec().max_nodes()); }},
    {"MCSLabel", 0, "MCSLABEL",
     [](const JobRow& r) { return J(r).mcs_label().empty() ? "N/A" : J(r).mcs_label(); }},
    {"NumTasks", 0, "TASKS", [](const JobRow& r) { return Num(J(r).num_tasks()); }},
    {"Prefer", 0, "PREFER", [](const JobRow& r) { return jt::OrNull(J(r).spec().prefer()); }},
    {"Requeue", 0, "REQUEUE", [](const JobRow& r) { return Bool01(J(r).spec().requeue()); }},
    {"RestartCnt", 0, "RESTARTCNT", [](const JobRow& r) { return Num(J(r).restarts()); }},
    {"STDERR", 0, "STDERR", [](const JobRow& r) { return J(r).std_err_path(); }},
    {"STDIN", 0, "STDIN", [](const JobRow& r) { return J(r).std_in_path(); }},
    {"STDOUT", 0, "STDOUT", [](const JobRow& r) { return J(r).std_out_path(); }},
    {"SystemComment", 0, "SYSTEM_COMMENT",
     [](const JobRow& r) { return jt::OrNull(J(r).system_comment()); }},
    {"tres-alloc", 0, "TRES_ALLOC",
     [](const JobRow& r) { return jt::TresText(J(r).alloc_tres()); }},
    {"Wait4Switch", 0, "WAIT4SWITCH", [](const JobRow&) { return std::string("0"); }},
};

}  // namespace

std::span<const FieldDef<JobRow>> JobFields() { return kFields; }

}  // namespace drover::cli::squeue
