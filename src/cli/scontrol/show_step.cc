// scontrol show step [ID]: running steps, as Slurm 22.05 prints them.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ostream>

#include "base/duration.h"
#include "cli/scontrol/record.h"
#include "cli/scontrol/show.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::scontrol {

std::string RenderStep(const v1::StepInfo& s, const ShowOptions& options) {
  namespace jt = jobtext;
  Record r(options.one_liner);
  r.Line(fmt::format("StepId={}.{} UserId={} StartTime={} TimeLimit={}", s.id().job_id(),
                     s.id().step_id(), s.user().uid(), jt::IsoTimeOr(s.start_time(), "Unknown"),
                     FormatElapsed(s.time_limit_s() < 0 ? Duration::Infinite()
                                                        : Duration::FromSeconds(s.time_limit_s()))));
  r.Line(fmt::format("State=RUNNING Partition={} NodeList={} ", s.partition(), s.node_list()));
  r.Line(fmt::format("Nodes={} CPUs={} Tasks={} Name={} Network=(null)", s.num_nodes(),
                     s.num_cpus(), s.num_tasks(), s.name()));
  r.Line(fmt::format("TRES=cpu={},node={}", s.num_cpus(), s.num_nodes()));
  r.Line("ResvPorts=(null)");
  r.Line("CPUFreqReq=Default Dist=Block");
  r.Line(fmt::format("SrunHost:Pid={}:{}", s.srun_host().empty() ? "(null)" : s.srun_host(),
                     s.srun_pid()));
  return r.Finish();
}

int ShowSteps(const Invocation& inv, client::ControllerClient& client,
              const std::vector<std::string>& words, const ShowOptions& options) {
  v1::ListStepsRequest request;
  for (const std::string& w : words) {
    // 42.3, or 42 for every step of job 42.
    size_t dot = w.find('.');
    std::string job = w.substr(0, dot);
    char* end = nullptr;
    unsigned long value = std::strtoul(job.c_str(), &end, 10);
    if (job.empty() || *end != '\0' || value == 0 || value > UINT32_MAX) {
      inv.err << "slurm_get_job_steps error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
      return 1;
    }
    if (dot == std::string::npos) {
      request.mutable_filter()->add_jobs()->set_job_id(static_cast<uint32_t>(value));
    } else {
      v1::StepId* id = request.add_steps();
      id->set_job_id(static_cast<uint32_t>(value));
      std::string step = w.substr(dot + 1);
      unsigned long n = std::strtoul(step.c_str(), &end, 10);
      if (step.empty() || *end != '\0' || n > UINT32_MAX) {
        inv.err << "slurm_get_job_steps error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
        return 1;
      }
      id->set_kind(v1::STEP_KIND_NORMAL);
      id->set_step_id(static_cast<uint32_t>(n));
    }
  }
  Result<std::vector<v1::StepInfo>> steps = client.ListSteps(request);
  if (!steps) {
    inv.err << "slurm_get_job_steps error: " << steps.error().message() << "\n";
    return 1;
  }
  if (steps->empty()) {
    if (!words.empty()) {
      inv.out << "Job step " << words.front() << " not found\n";
      return 1;
    }
    inv.out << "No job steps in the system\n";
    return 0;
  }
  for (const v1::StepInfo& s : *steps) inv.out << RenderStep(s, options);
  return 0;
}

}  // namespace drover::cli::scontrol
