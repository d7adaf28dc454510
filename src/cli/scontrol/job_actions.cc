// scontrol hold, uhold, release, requeue, requeuehold and reconfigure, and the helpers the
// action files share (action_common.h).
#include <ostream>

#include "base/strings.h"
#include "cli/common/job_ref.h"
#include "cli/scontrol/action_common.h"
#include "cli/scontrol/actions.h"
#include "cli/squeue/options.h"

namespace drover::cli::scontrol {
namespace {

// The ids and the JobName= filter of hold/release: "42 43", "42,43", "JobName=foo".
// Errors are printed; returns nullopt then.
struct JobSelection {
  std::vector<v1::JobRef> jobs;
  v1::JobFilter filter;
};

std::optional<JobSelection> ParseSelection(const Invocation& inv,
                                           const std::vector<std::string>& words,
                                           std::string_view call, bool allow_name) {
  JobSelection selection;
  for (const std::string& word : words) {
    KeyValue kv = SplitKeyValue(word);
    if (kv.value && allow_name && (kv.lower_key == "jobname" || kv.lower_key == "name")) {
      selection.filter.add_names(*kv.value);
      continue;
    }
    std::string_view ids = word;
    if (kv.value && (kv.lower_key == "jobid" || kv.lower_key == "job")) ids = *kv.value;
    Result<std::vector<v1::JobRef>> refs = ParseJobIdList(ids);
    if (!refs) {
      inv.err << call << " error: " << refs.error().message() << "\n";
      return std::nullopt;
    }
    for (v1::JobRef& ref : *refs) selection.jobs.push_back(std::move(ref));
  }
  if (selection.jobs.empty() && selection.filter.names_size() == 0) {
    inv.err << "scontrol: error: too few arguments for keyword\n";
    return std::nullopt;
  }
  return selection;
}

}  // namespace

KeyValue SplitKeyValue(std::string_view word) {
  KeyValue kv;
  size_t eq = word.find('=');
  kv.key = std::string(word.substr(0, eq));
  kv.lower_key = AsciiLower(kv.key);
  if (eq != std::string_view::npos) kv.value = std::string(word.substr(eq + 1));
  return kv;
}

Result<std::vector<v1::JobRef>> ParseJobIdList(std::string_view text) {
  std::vector<v1::JobRef> refs;
  for (const std::string& item : SplitJobList(text)) {
    Result<v1::JobRef> ref = squeue::ParseJobRef(item);
    if (!ref) return Error(ErrorCode::kInvalidJobId);
    refs.push_back(std::move(*ref));
  }
  if (refs.empty()) return Error(ErrorCode::kInvalidJobId);
  return refs;
}

std::string FormatJobRef(const v1::JobRef& ref) {
  std::string out = std::to_string(ref.job_id());
  if (ref.array_tasks_size() == 0) return out;
  std::string tasks;
  for (const v1::IdRange& r : ref.array_tasks()) {
    if (!tasks.empty()) tasks += ",";
    tasks += std::to_string(r.first());
    if (r.last() != r.first()) tasks += "-" + std::to_string(r.last());
  }
  bool single =
      ref.array_tasks_size() == 1 && ref.array_tasks(0).first() == ref.array_tasks(0).last();
  return out + (single ? "_" + tasks : "_[" + tasks + "]");
}

std::unique_ptr<client::ControllerClient> ConnectForAction(const Invocation& inv,
                                                           const ClientFactory& make_client,
                                                           std::string_view call) {
  Result<std::unique_ptr<client::ControllerClient>> client = make_client(inv.env);
  if (!client) {
    inv.err << call << " error: " << client.error().message() << "\n";
    return nullptr;
  }
  return std::move(*client);
}

int ReportJobAction(const Invocation& inv, const Result<v1::JobActionResponse>& response,
                    std::string_view call) {
  if (!response) {
    inv.err << call << " error: " << response.error().message() << "\n";
    return 1;
  }
  int code = 0;
  bool lone = response->results_size() == 1;
  for (const v1::JobActionResult& result : response->results()) {
    if (!result.has_error()) continue;
    code = 1;
    const std::string& message = result.error().message().empty()
                                     ? std::string(ErrorText(ErrorCode::kUnknown))
                                     : result.error().message();
    if (lone) {
      inv.err << call << " error: " << message << "\n";
    } else {
      inv.err << "scontrol: error: " << FormatJobRef(result.job()) << ": " << message << "\n";
    }
  }
  return code;
}

int Hold(const Invocation& inv, const std::vector<std::string>& words, bool user_hold,
         const ClientFactory& make_client) {
  std::optional<JobSelection> selection = ParseSelection(inv, words, "slurm_update", true);
  if (!selection) return 1;
  v1::HoldJobsRequest request;
  for (v1::JobRef& ref : selection->jobs) *request.add_jobs() = std::move(ref);
  *request.mutable_filter() = std::move(selection->filter);
  request.set_user_hold(user_hold);
  auto client = ConnectForAction(inv, make_client, "slurm_update");
  if (client == nullptr) return 1;
  return ReportJobAction(inv, client->HoldJobs(request), "slurm_update");
}

int Release(const Invocation& inv, const std::vector<std::string>& words,
            const ClientFactory& make_client) {
  std::optional<JobSelection> selection = ParseSelection(inv, words, "slurm_update", true);
  if (!selection) return 1;
  v1::ReleaseJobsRequest request;
  for (v1::JobRef& ref : selection->jobs) *request.add_jobs() = std::move(ref);
  *request.mutable_filter() = std::move(selection->filter);
  auto client = ConnectForAction(inv, make_client, "slurm_update");
  if (client == nullptr) return 1;
  return ReportJobAction(inv, client->ReleaseJobs(request), "slurm_update");
}

int Requeue(const Invocation& inv, const std::vector<std::string>& words, bool hold,
            const ClientFactory& make_client) {
  v1::RequeueJobsRequest request;
  request.set_hold(hold);
  std::vector<std::string> ids;
  for (const std::string& word : words) {
    KeyValue kv = SplitKeyValue(word);
    if (hold && kv.value && kv.lower_key == "state") {
      if (AsciiLower(*kv.value) != "specialexit") {
        inv.err << "Invalid input: " << word << "\nRequest aborted\n";
        return 1;
      }
      request.set_special_exit(true);
      continue;
    }
    ids.push_back(word);
  }
  std::optional<JobSelection> selection = ParseSelection(inv, ids, "slurm_requeue", false);
  if (!selection) return 1;
  for (v1::JobRef& ref : selection->jobs) *request.add_jobs() = std::move(ref);
  auto client = ConnectForAction(inv, make_client, "slurm_requeue");
  if (client == nullptr) return 1;
  return ReportJobAction(inv, client->RequeueJobs(request), "slurm_requeue");
}

int Reconfigure(const Invocation& inv, const ClientFactory& make_client) {
  auto client = ConnectForAction(inv, make_client, "slurm_reconfigure");
  if (client == nullptr) return 1;
  Result<v1::ReconfigureResponse> response = client->Reconfigure(v1::ReconfigureRequest());
  if (!response) {
    inv.err << "slurm_reconfigure error: " << response.error().message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace drover::cli::scontrol
