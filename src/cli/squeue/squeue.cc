#include "cli/squeue/squeue.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "base/duration.h"
#include "cli/common/version.h"
#include "cli/squeue/options.h"
#include "cli/squeue/render.h"

namespace drover::cli::squeue {
namespace {

constexpr const char* kUsage =
    "Usage: squeue [-A account] [--clusters names] [-i seconds] [--job jobid]\n"
    "              [-n name] [-o format] [-O fields] [-p partitions] [--qos qos]\n"
    "              [--reservation reservation] [--sort fields] [--start]\n"
    "              [--step step_id] [-t states] [-u user_name] [--usage]\n"
    "              [-L licenses] [-w nodes] [--json] [-ahjlrsv]\n";

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// squeue -s: running steps, in Slurm's default step format ("%.15i %.8j %.9P %.8u %.9M %N").
int Steps(const Invocation& inv, client::ControllerClient& client, const Options& options) {
  v1::ListStepsRequest request;
  *request.mutable_filter() = options.request.filter();
  Result<std::vector<v1::StepInfo>> steps = client.ListSteps(request);
  if (!steps) {
    inv.err << "slurm_get_job_steps error: " << steps.error().message() << "\n";
    return 1;
  }
  auto right = [](std::string text, size_t width) {
    if (text.size() > width) text.resize(width);
    return std::string(width - text.size(), ' ') + text;
  };
  if (!options.no_header) {
    inv.out << right("STEPID", 15) << " " << right("NAME", 8) << " " << right("PARTITION", 9)
            << " " << right("USER", 8) << " " << right("TIME", 9) << " NODELIST\n";
  }
  const int64_t now = NowSeconds();
  for (const v1::StepInfo& s : *steps) {
    std::string id = std::to_string(s.id().job_id()) + "." + std::to_string(s.id().step_id());
    std::string user = s.user().name().empty() ? std::to_string(s.user().uid()) : s.user().name();
    int64_t used = std::max<int64_t>(0, now - s.start_time());
    inv.out << right(id, 15) << " " << right(s.name(), 8) << " " << right(s.partition(), 9) << " "
            << right(user, 8) << " " << right(FormatElapsed(Duration::FromSeconds(used)), 9) << " "
            << s.node_list() << "\n";
  }
  return 0;
}

// One listing; returns the exit code.
int Once(const Invocation& inv, client::ControllerClient& client, const Options& options) {
  if (options.steps) return Steps(inv, client, options);
  v1::ListJobsRequest request = options.request;
  request.set_brief(BriefSuffices(options));
  Result<std::vector<v1::JobInfo>> jobs = client.ListJobs(request);
  if (!jobs) {
    inv.err << "slurm_load_jobs error: " << jobs.error().message() << "\n";
    return 1;
  }
  // Slurm's squeue -j with one job id that the controller does not know.
  if (jobs->empty() && options.request.filter().jobs_size() == 1) {
    inv.err << "slurm_load_jobs error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
    return 1;
  }
  int64_t now = NowSeconds();
  if (options.json) {
    inv.out << RenderJobsJson(*jobs, now);
    return 0;
  }
  Result<std::string> text = RenderJobs(options, std::move(*jobs), now);
  if (!text) {
    inv.err << "squeue: error: " << text.error().message() << "\n";
    return 1;
  }
  inv.out << *text;
  return 0;
}

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client) {
  Result<Options> options = ParseOptions(inv.args, static_cast<uint32_t>(getuid()));
  if (!options) {
    inv.err << "squeue: " << options.error().message() << "\n";
    if (options.error().message().rfind("error:", 0) != 0) {
      inv.err << "Try \"squeue --help\" for more information\n";
    }
    return 1;
  }
  if (options->version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (options->help || options->usage) {
    inv.out << kUsage;
    return 0;
  }
  if (!options->iterate_s) return Once(inv, client, *options);
  for (;;) {
    int code = Once(inv, client, *options);
    if (code != 0) return code;
    inv.out << "\n";
    inv.out.flush();
    std::this_thread::sleep_for(std::chrono::seconds(*options->iterate_s));
  }
}

}  // namespace drover::cli::squeue
