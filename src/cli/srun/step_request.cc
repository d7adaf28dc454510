#include "cli/srun/step_request.h"

#include <algorithm>
#include <ostream>

namespace drover::cli::srun {
namespace {

v1::TaskDistribution DistributionOf(std::string_view level) {
  if (level == "block") return v1::TASK_DISTRIBUTION_BLOCK;
  if (level == "cyclic") return v1::TASK_DISTRIBUTION_CYCLIC;
  if (level == "fcyclic") return v1::TASK_DISTRIBUTION_FCYCLIC;
  return v1::TASK_DISTRIBUTION_UNSPECIFIED;
}

void SetDistribution(const std::string& text, v1::Distribution& out) {
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view layout = lower;
  if (size_t comma = layout.find(','); comma != std::string_view::npos) {
    out.set_pack(layout.substr(comma + 1) == "pack");
    layout = layout.substr(0, comma);
  }
  if (layout.starts_with("plane")) {
    out.set_node(v1::TASK_DISTRIBUTION_PLANE);
    if (size_t eq = layout.find('='); eq != std::string_view::npos) {
      out.set_plane_size(static_cast<uint32_t>(std::stoul(std::string(layout.substr(eq + 1)))));
    }
    return;
  }
  if (layout == "arbitrary") {
    out.set_node(v1::TASK_DISTRIBUTION_ARBITRARY);
    return;
  }
  int i = 0;
  while (!layout.empty() && i < 3) {
    size_t colon = layout.find(':');
    v1::TaskDistribution d = DistributionOf(layout.substr(0, colon));
    if (i == 0) out.set_node(d);
    if (i == 1) out.set_socket(d);
    if (i == 2) out.set_core(d);
    ++i;
    if (colon == std::string_view::npos) break;
    layout.remove_prefix(colon + 1);
  }
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

v1::StepSpec BuildStepSpec(const JobOptions& o, std::span<const std::string> argv,
                           const StepContext& context) {
  v1::StepSpec spec;
  spec.set_name(o.job_name.value_or(argv.empty() ? std::string("srun") : Basename(argv[0])));
  spec.set_kind(v1::STEP_KIND_NORMAL);
  if (o.min_nodes) spec.set_min_nodes(*o.min_nodes);
  if (o.max_nodes) spec.set_max_nodes(*o.max_nodes);
  if (o.ntasks) spec.set_num_tasks(*o.ntasks);
  if (o.cpus_per_task) spec.set_cpus_per_task(*o.cpus_per_task);
  if (o.ntasks_per_node) spec.set_ntasks_per_node(*o.ntasks_per_node);
  if (o.threads_per_core) spec.set_threads_per_core(*o.threads_per_core);
  switch (o.memory_kind) {
    case MemoryKind::kPerNode:
      spec.set_mem_per_node_mb(o.memory_mb);
      break;
    case MemoryKind::kPerCpu:
      spec.set_mem_per_cpu_mb(o.memory_mb);
      break;
    case MemoryKind::kPerGpu:
      spec.set_mem_per_gpu_mb(o.memory_mb);
      break;
    case MemoryKind::kUnset:
      break;
  }
  for (const GresSpec& g : o.gres) {
    v1::GresRequest* r = spec.add_gres();
    r->set_name(g.name);
    r->set_type(g.type);
    r->set_count(static_cast<int64_t>(g.count));
    r->set_scope(v1::TRES_SCOPE_PER_NODE);
  }
  if (o.cpus_per_gpu) spec.set_cpus_per_gpu(*o.cpus_per_gpu);
  if (o.nodelist) spec.set_node_list(*o.nodelist);
  if (o.exclude) spec.set_exclude_node_list(*o.exclude);
  spec.set_exclusive(o.sharing == Sharing::kExclusive || o.exact);
  spec.set_overlap(o.overlap);
  spec.set_overcommit(o.overcommit);
  if (o.distribution) SetDistribution(*o.distribution, *spec.mutable_distribution());
  if (o.time_limit) {
    spec.set_time_limit_s(o.time_limit->infinite() ? -1 : o.time_limit->seconds());
  }
  if (o.cpu_bind) spec.set_cpu_bind(*o.cpu_bind);
  spec.set_no_kill(o.no_kill);
  if (o.kill_on_bad_exit) spec.set_kill_on_bad_exit(*o.kill_on_bad_exit);
  std::string command;
  for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
  spec.set_command(command);
  spec.set_submit_line(context.submit_line);
  spec.set_srun_host(context.hostname);
  spec.set_srun_pid(context.pid);
  if (o.container) spec.set_container(*o.container);
  return spec;
}

std::chrono::milliseconds RetryDelay(int attempt) {
  int64_t ms = 500;
  for (int i = 0; i < attempt && ms < 10'000; ++i) ms *= 2;
  return std::chrono::milliseconds(std::min<int64_t>(ms, 10'000));
}

std::string StepIdText(const v1::StepId& id) {
  std::string out = "StepId=" + std::to_string(id.job_id()) + ".";
  switch (id.kind()) {
    case v1::STEP_KIND_BATCH:
      return out + "batch";
    case v1::STEP_KIND_EXTERN:
      return out + "extern";
    case v1::STEP_KIND_INTERACTIVE:
      return out + "interactive";
    default:
      return out + std::to_string(id.step_id());
  }
}

Result<v1::CreateStepResponse> CreateStepRetrying(client::ControllerClient& client,
                                                  const v1::CreateStepRequest& request,
                                                  const RetryWait& wait, bool quiet,
                                                  std::ostream& err) {
  for (int attempt = 0;; ++attempt) {
    auto response = client.CreateStep(request);
    if (response) {
      if (attempt > 0 && !quiet) {
        err << "srun: Step created for " << StepIdText(response->step_id()) << "\n";
      }
      return response;
    }
    if (response.error().code() != ErrorCode::kNodesBusy) return response.error();
    if (attempt == 0 && !quiet) {
      err << "srun: Job " << request.job_id() << " step creation temporarily disabled, retrying ("
          << ErrorText(ErrorCode::kNodesBusy) << ")\n";
      err.flush();
    }
    if (int sig = wait(RetryDelay(attempt)); sig != 0) {
      err << "srun: Cancelled pending job step with signal " << sig << "\n";
      return Error(ErrorCode::kCancelled);
    }
  }
}

}  // namespace drover::cli::srun
