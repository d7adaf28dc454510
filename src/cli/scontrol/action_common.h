// What scontrol's action files (update.cc, job_actions.cc) share: Key=Value words, job id
// lists, making the client, and reporting a JobActionResponse in Slurm's words.
//
// Thread-safety: pure helpers over their arguments.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/common/invocation.h"
#include "cli/scontrol/scontrol.h"

namespace drover::cli::scontrol {

namespace v1 = ::drover::v1;

struct KeyValue {
  std::string key;                   // as typed
  std::string lower_key;             // for matching
  std::optional<std::string> value;  // absent without '='
};
KeyValue SplitKeyValue(std::string_view word);

// "42", "42,43", "42_[1-3]" -> refs. Errors: kInvalidJobId.
Result<std::vector<v1::JobRef>> ParseJobIdList(std::string_view text);

// "42", "42_3", "42_[1-3]".
std::string FormatJobRef(const v1::JobRef& ref);

// The client, or null after printing "<call> error: <message>".
std::unique_ptr<client::ControllerClient> ConnectForAction(const Invocation& inv,
                                                           const ClientFactory& make_client,
                                                           std::string_view call);

// Prints the per-job errors of `response` ("<call> error: <message>" for a lone job,
// "scontrol: error: <job>: <message>" for each of several) and returns the exit code; a
// failed call as a whole prints "<call> error: <message>".
int ReportJobAction(const Invocation& inv, const Result<v1::JobActionResponse>& response,
                    std::string_view call);

}  // namespace drover::cli::scontrol
