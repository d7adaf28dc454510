// scontrol show job: the keys and their order are Slurm 22.05's (shared/reference/
// scontrol_show_job_*.txt). Where 25.05 differs (ReqTRES/AllocTRES instead of TRES,
// LicensesAlloc) Drover prints 22.05's keys, the version it reports.
#include <fmt/format.h>

#include <chrono>
#include <ostream>

#include "base/duration.h"
#include "cli/scontrol/record.h"
#include "cli/scontrol/show.h"
#include "cli/squeue/job_text.h"
#include "cli/squeue/options.h"

namespace drover::cli::scontrol {
namespace {

namespace jt = jobtext;

std::string Hms(int64_t seconds) {
  return FormatHms(seconds < 0 ? Duration::Infinite() : Duration::FromSeconds(seconds));
}

std::string UserText(const v1::UnixUser& u) { return fmt::format("{}({})", u.name(), u.uid()); }
std::string GroupText(const v1::UnixGroup& g) { return fmt::format("{}({})", g.name(), g.gid()); }

std::string Star(bool has, uint32_t value) { return has ? std::to_string(value) : "*"; }

std::string NumNodes(const v1::JobInfo& j) {
  const v1::JobSpec& s = j.spec();
  if (jt::IsPendingState(j.state()) && s.max_nodes() != 0) {
    return fmt::format("{}-{}", s.min_nodes() != 0 ? s.min_nodes() : j.num_nodes(), s.max_nodes());
  }
  return std::to_string(j.num_nodes());
}

std::string MinMemory(const v1::JobSpec& s) {
  switch (s.memory_case()) {
    case v1::JobSpec::kMemPerCpuMb:
      return "MinMemoryCPU=" + jt::MinMemoryText(s);
    case v1::JobSpec::kMemPerGpuMb:
      return "MinMemoryGPU=" + jt::MinMemoryText(s);
    default:
      return "MinMemoryNode=" + jt::MinMemoryText(s);
  }
}

std::string GresText(const google::protobuf::RepeatedPtrField<v1::Gres>& gres) {
  std::string out;
  for (const v1::Gres& g : gres) {
    if (!out.empty()) out.push_back(',');
    out += g.name() + (g.type().empty() ? "" : ":" + g.type()) + fmt::format(":{}", g.count());
    if (g.indexes_size() > 0) out += "(IDX:" + jt::IdRangesText(g.indexes()) + ")";
  }
  return out;
}

}  // namespace

std::string RenderJob(const v1::JobInfo& j, const ShowOptions& options, int64_t now) {
  const v1::JobSpec& s = j.spec();
  Record r(options.one_liner);
  std::string first = fmt::format("JobId={}", j.job_id());
  if (j.array_job_id() != 0 || j.pending_array_tasks_size() > 0) {
    first += fmt::format(" ArrayJobId={} ArrayTaskId={} ArrayTaskThrottle={}",
                         j.array_job_id() != 0 ? j.array_job_id() : j.job_id(),
                         jt::ArrayTaskText(j), j.array_max_running());
  }
  r.Line(first + " JobName=" + s.name());
  r.Line(fmt::format("UserId={} GroupId={} MCS_label={}", UserText(j.user()), GroupText(j.group()),
                     j.mcs_label().empty() ? "N/A" : j.mcs_label()));
  r.Line(fmt::format("Priority={} Nice={} Account={} QOS={}", j.priority(), s.nice(),
                     jt::OrNull(s.account()), jt::OrNull(s.qos())));
  std::string reason(jt::ReasonName(j.reason()));
  if (!j.reason_detail().empty()) reason += ", " + j.reason_detail();
  r.Line(fmt::format("JobState={} Reason={} Dependency={}", jt::StateName(j.state()), reason,
                     jt::DependencyText(s.dependency())));
  r.Line(fmt::format("Requeue={} Restarts={} BatchFlag={} Reboot={} ExitCode={}:{}",
                     s.has_requeue() ? int(s.requeue()) : 1, j.restarts(), int(j.batch()),
                     int(s.reboot()), j.exit_code().status(), j.exit_code().signal()));
  if (options.details) {
    r.Line(fmt::format("DerivedExitCode={}:{}", j.derived_exit_code().status(),
                       j.derived_exit_code().signal()));
  }
  r.Line(fmt::format(
      "RunTime={} TimeLimit={} TimeMin={}", Hms(std::max<int64_t>(0, jt::TimeUsedSeconds(j, now))),
      Hms(jt::TimeLimitSeconds(j)), s.has_time_min_s() ? Hms(s.time_min_s()) : std::string("N/A")));
  r.Line(fmt::format("SubmitTime={} EligibleTime={}", jt::IsoTimeOr(j.submit_time(), "Unknown"),
                     jt::IsoTimeOr(j.eligible_time(), "Unknown")));
  r.Line("AccrueTime=" + jt::IsoTimeOr(j.accrue_time(), "Unknown"));
  r.Line(
      fmt::format("StartTime={} EndTime={} Deadline={}", jt::IsoTimeOr(j.start_time(), "Unknown"),
                  jt::IsoTimeOr(j.end_time(), "Unknown"), jt::IsoTimeOr(s.deadline_time(), "N/A")));
  r.Line(fmt::format("SuspendTime={} SecsPreSuspend={} LastSchedEval={} Scheduler={}",
                     jt::IsoTimeOr(j.suspend_time(), "None"), j.pre_suspend_s(),
                     jt::IsoTimeOr(j.last_sched_eval_time(), "Unknown"),
                     j.scheduler() == v1::SCHEDULER_KIND_BACKFILL ? "Backfill" : "Main"));
  r.Line(fmt::format("Partition={} AllocNode:Sid={}:{}", j.partition(), s.alloc_node(),
                     s.alloc_sid()));
  r.Line(fmt::format("ReqNodeList={} ExcNodeList={}", jt::OrNull(s.node_list()),
                     jt::OrNull(s.exclude_node_list())));
  r.Line("NodeList=" + j.node_list());
  if (!j.batch_host().empty()) r.Line("BatchHost=" + j.batch_host());
  r.Line(fmt::format("NumNodes={} NumCPUs={} NumTasks={} CPUs/Task={} ReqB:S:C:T=0:{}:{}:{}",
                     NumNodes(j), j.num_cpus(), j.num_tasks(),
                     s.has_cpus_per_task() ? s.cpus_per_task() : 1,
                     s.has_sockets_per_node() ? s.sockets_per_node() : 0,
                     Star(s.has_cores_per_socket(), s.cores_per_socket()),
                     Star(s.has_threads_per_core(), s.threads_per_core())));
  r.Line("TRES=" + jt::TresText(j.alloc_tres().items_size() > 0 ? j.alloc_tres() : j.req_tres()));
  r.Line(fmt::format("Socks/Node={} NtasksPerN:B:S:C={}:0:{}:{} CoreSpec={}",
                     Star(s.has_sockets_per_node(), s.sockets_per_node()),
                     s.has_ntasks_per_node() ? s.ntasks_per_node() : 0,
                     Star(s.has_ntasks_per_socket(), s.ntasks_per_socket()),
                     Star(s.has_ntasks_per_core(), s.ntasks_per_core()),
                     Star(s.has_core_spec(), s.core_spec())));
  if (options.details) {
    std::string job_gres = jt::TresPerNodeText(s);
    r.Line("JOB_GRES=" + jt::OrNull(job_gres));
    for (const v1::NodeAllocation& a : j.node_allocations()) {
      r.DetailLine(fmt::format("Nodes={} CPU_IDs={} Mem={} GRES={}", a.node_name(),
                               jt::IdRangesText(a.cpu_ids()), a.mem_mb(), GresText(a.gres())));
    }
  }
  uint32_t min_cpus = s.has_min_cpus_per_node() ? s.min_cpus_per_node()
                                                : (s.has_cpus_per_task() ? s.cpus_per_task() : 1);
  r.Line(
      fmt::format("MinCPUsNode={} {} MinTmpDiskNode={}", min_cpus, MinMemory(s), s.tmp_disk_mb()));
  r.Line(fmt::format("Features={} DelayBoot=00:00:00", jt::OrNull(s.constraint())));
  r.Line(fmt::format("OverSubscribe={} Contiguous={} Licenses={} Network=(null)",
                     jt::SharingText(s.sharing()), int(s.contiguous()),
                     jt::LicensesText(s.licenses())));
  r.Line("Command=" + jt::OrNull(s.command()));
  r.Line("WorkDir=" + s.work_dir());
  if (!j.admin_comment().empty()) r.Line("AdminComment=" + j.admin_comment());
  if (!s.comment().empty()) r.Line("Comment=" + s.comment());
  r.Line("StdErr=" + j.std_err_path());
  r.Line("StdIn=" + j.std_in_path());
  r.Line("StdOut=" + j.std_out_path());
  if (std::string t = jt::TresPerNodeText(s); !t.empty()) r.Line("TresPerNode=" + t);
  r.Line("Power=");
  // Slurm 22.05 ends the record with an empty line of its own (its NtasksPerTRES slot).
  r.Line("");
  return r.Finish();
}

int ShowJobs(const Invocation& inv, client::ControllerClient& client,
             const std::vector<std::string>& words, const ShowOptions& options) {
  v1::ListJobsRequest request;
  request.set_details(options.details);
  request.set_include_hidden(true);
  request.mutable_filter()->set_all_states(true);
  for (const std::string& w : words) {
    Result<v1::JobRef> ref = squeue::ParseJobRef(w);
    if (!ref) {
      inv.err << "slurm_load_jobs error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
      return 1;
    }
    *request.mutable_filter()->add_jobs() = *ref;
  }
  Result<std::vector<v1::JobInfo>> jobs = client.ListJobs(request);
  if (!jobs) {
    inv.err << "slurm_load_jobs error: " << jobs.error().message() << "\n";
    return 1;
  }
  if (jobs->empty()) {
    if (!words.empty()) {
      inv.err << "slurm_load_jobs error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
      return 1;
    }
    inv.out << "No jobs in the system\n";
    return 0;
  }
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  for (const v1::JobInfo& j : *jobs) inv.out << RenderJob(j, options, now);
  return 0;
}

}  // namespace drover::cli::scontrol
