#include "cli/squeue/squeue.h"

#include <unistd.h>

#include <chrono>
#include <ostream>
#include <thread>

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

// One listing; returns the exit code.
int Once(const Invocation& inv, client::ControllerClient& client, const Options& options) {
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
