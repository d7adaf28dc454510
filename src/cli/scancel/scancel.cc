#include "cli/scancel/scancel.h"

#include <unistd.h>

#include <csignal>
#include <ostream>

#include "cli/common/version.h"
#include "cli/scancel/options.h"

namespace drover::cli::scancel {
namespace {

constexpr const char* kUsage =
    "Usage: scancel [-A account] [--batch] [--full] [--interactive] [-n job_name]\n"
    "               [-p partition] [-Q] [-q qos] [-R reservation] [-s signal | integer]\n"
    "               [-t PENDING | RUNNING | SUSPENDED] [--usage] [-u user_name]\n"
    "               [--hurry] [-V] [-v] [-w hosts...] [--wckey=wckey] [--me]\n"
    "               [job_id[_array_id][.step_id]]\n";

bool HasFilter(const v1::JobFilter& f) {
  return f.user_names_size() > 0 || f.uids_size() > 0 || f.accounts_size() > 0 ||
         f.partitions_size() > 0 || f.states_size() > 0 || f.names_size() > 0 || f.qos_size() > 0 ||
         f.reservations_size() > 0 || f.node_names_size() > 0 || f.wckeys_size() > 0;
}

// Cancelling (no -s, or -s KILL) a job that is gone or unknown is no error, as in Slurm:
// the user's goal, the job not running, holds.
bool Ignorable(ErrorCode code, int signal) {
  return (code == ErrorCode::kAlreadyDone || code == ErrorCode::kInvalidJobId ||
          code == ErrorCode::kJobFinished) &&
         (signal == 0 || signal == SIGKILL);
}

// Reports one job's failure; returns whether it makes the exit code 1.
bool ReportJobError(const Invocation& inv, const Options& o, const std::string& job,
                    const Error& error) {
  ErrorCode code = error.code();
  bool done = code == ErrorCode::kAlreadyDone || code == ErrorCode::kInvalidJobId ||
              code == ErrorCode::kJobFinished;
  if ((!done || o.verbose > 0) && !o.quiet) {
    inv.err << "scancel: error: Kill job error on job id " << job << ": " << error.message()
            << "\n";
  }
  return !Ignorable(code, o.request.signal());
}

void ReportAction(const Invocation& inv, const Options& o, const std::string& job) {
  if (o.verbose == 0) return;
  if (o.request.signal() == 0) {
    inv.err << "scancel: Terminating job " << job << "\n";
  } else {
    inv.err << "scancel: Signal " << o.request.signal() << " to job " << job << "\n";
  }
}

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client) {
  Result<Options> parsed = ParseOptions(inv.args, static_cast<uint32_t>(getuid()));
  if (!parsed) {
    inv.err << "scancel: " << parsed.error().message() << "\n";
    if (parsed.error().message().rfind("error:", 0) != 0) {
      inv.err << "Try \"scancel --help\" for more information\n";
    }
    return 1;
  }
  const Options& o = *parsed;
  if (o.version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (o.help || o.usage) {
    inv.out << kUsage;
    return 0;
  }
  if (o.interactive) {
    inv.err << "scancel: error: --interactive is not supported: there is no prompt to "
               "confirm each job; name the jobs or filters to cancel instead\n";
    return 1;
  }
  if (o.request.jobs_size() == 0 && !HasFilter(o.request.filter())) {
    inv.err << "scancel: error: No job identification provided\n";
    return 1;
  }
  Result<v1::JobActionResponse> response = client.CancelJobs(o.request);
  if (!response) {
    const Error& error = response.error();
    if (o.request.jobs_size() == 0) {
      inv.err << "scancel: error: slurm_load_jobs error: " << error.message() << "\n";
      return 1;
    }
    bool failed = false;
    for (const v1::JobRef& ref : o.request.jobs()) {
      failed |= ReportJobError(inv, o, FormatJobRef(ref), error);
    }
    return failed ? 1 : 0;
  }
  bool failed = false;
  for (const v1::JobActionResult& result : response->results()) {
    std::string job = FormatJobRef(result.job());
    ReportAction(inv, o, job);
    if (result.has_error()) {
      int32_t number = result.error().code();
      Error error(IsKnownErrorCode(number) ? static_cast<ErrorCode>(number) : ErrorCode::kUnknown,
                  result.error().message());
      failed |= ReportJobError(inv, o, job, error);
    }
  }
  return failed ? 1 : 0;
}

}  // namespace drover::cli::scancel
