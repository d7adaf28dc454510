// scontrol update: JobId=/JobName=/UserId= (jobs) and NodeName= (nodes).
#include <charconv>
#include <ostream>

#include "base/duration.h"
#include "base/strings.h"
#include "cli/scontrol/action_common.h"
#include "cli/scontrol/actions.h"

namespace drover::cli::scontrol {
namespace {

constexpr std::string_view kCall = "slurm_update";

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

int Unsupported(const Invocation& inv, std::string_view word) {
  inv.err << "Update of this parameter is not supported: " << word << "\nRequest aborted\n";
  return 1;
}

int InvalidInput(const Invocation& inv, std::string_view word) {
  inv.err << "Invalid input: " << word << "\nRequest aborted\n";
  return 1;
}

struct NodeStateName {
  std::string_view name;  // lower case
  v1::NodeUpdateState state;
};

constexpr NodeStateName kNodeStates[] = {
    {"down", v1::NODE_UPDATE_STATE_DOWN},
    {"drain", v1::NODE_UPDATE_STATE_DRAIN},
    {"fail", v1::NODE_UPDATE_STATE_FAIL},
    {"resume", v1::NODE_UPDATE_STATE_RESUME},
    {"undrain", v1::NODE_UPDATE_STATE_UNDRAIN},
    {"idle", v1::NODE_UPDATE_STATE_IDLE},
    {"future", v1::NODE_UPDATE_STATE_FUTURE},
    {"noresp", v1::NODE_UPDATE_STATE_NO_RESP},
    {"power_down", v1::NODE_UPDATE_STATE_POWER_DOWN},
    {"power_down_asap", v1::NODE_UPDATE_STATE_POWER_DOWN_ASAP},
    {"power_down_force", v1::NODE_UPDATE_STATE_POWER_DOWN_FORCE},
    {"power_up", v1::NODE_UPDATE_STATE_POWER_UP},
    {"cancel_reboot", v1::NODE_UPDATE_STATE_CANCEL_REBOOT},
};

}  // namespace

int Update(const Invocation& inv, const std::vector<std::string>& words,
           const ClientFactory& make_client) {
  for (const std::string& word : words) {
    std::string key = SplitKeyValue(word).lower_key;
    if (key == "nodename" || key == "node") return UpdateNode(inv, words, make_client);
  }
  for (const std::string& word : words) {
    std::string key = SplitKeyValue(word).lower_key;
    if (key == "jobid" || key == "jobname" || key == "userid") {
      return UpdateJob(inv, words, make_client);
    }
  }
  if (words.empty()) {
    inv.err << "scontrol: error: too few arguments for keyword:update\n";
    return 1;
  }
  inv.err << "No valid entity in update command\n"
             "Input line must include \"NodeName\", \"JobId\", \"JobName\" or \"UserId\"\n";
  return 1;
}

int UpdateJob(const Invocation& inv, const std::vector<std::string>& words,
              const ClientFactory& make_client) {
  v1::UpdateJobsRequest request;
  v1::JobSpec* spec = request.mutable_spec();
  auto mask = [&](const char* path) { request.mutable_update_mask()->add_paths(path); };
  bool has_job_id = false;
  for (const std::string& word : words) {
    has_job_id |= SplitKeyValue(word).lower_key == "jobid";
  }
  for (const std::string& word : words) {
    KeyValue kv = SplitKeyValue(word);
    const std::string& key = kv.lower_key;
    if (key == "nice" && !kv.value) {
      spec->set_nice(100);  // Slurm's bare Nice
      mask("nice");
      continue;
    }
    if (!kv.value) return InvalidInput(inv, word);
    const std::string& value = *kv.value;
    if (key == "jobid") {
      Result<std::vector<v1::JobRef>> refs = ParseJobIdList(value);
      if (!refs) {
        inv.err << kCall << " error: " << refs.error().message() << "\n";
        return 1;
      }
      for (v1::JobRef& ref : *refs) *request.add_jobs() = std::move(ref);
    } else if (key == "userid") {
      int64_t uid = ParseInt(value).value_or(-1);
      if (uid >= 0) {
        request.mutable_filter()->add_uids(static_cast<uint32_t>(uid));
      } else {
        request.mutable_filter()->add_user_names(value);
      }
    } else if (key == "jobname" && !has_job_id) {
      request.mutable_filter()->add_names(value);  // a filter when no JobId= names the jobs
    } else if (key == "jobname" || key == "name") {
      spec->set_name(value);
      mask("name");
    } else if (key == "timelimit") {
      Result<Duration> limit = ParseDuration(value);
      if (!limit) {
        inv.err << "Invalid TimeLimit value\n";
        return 1;
      }
      spec->set_time_limit_s(limit->infinite() ? -1 : limit->seconds());
      mask("time_limit_s");
    } else if (key == "partition") {
      for (const std::string& p : SplitList(value)) spec->add_partitions(p);
      mask("partitions");
    } else if (key == "numnodes" || key == "reqnodes") {
      size_t dash = value.find('-');
      auto lo = ParseInt(std::string_view(value).substr(0, dash));
      auto hi = dash == std::string::npos ? lo : ParseInt(std::string_view(value).substr(dash + 1));
      if (!lo || !hi || *lo <= 0 || *hi < *lo) return InvalidInput(inv, word);
      spec->set_min_nodes(static_cast<uint32_t>(*lo));
      spec->set_max_nodes(static_cast<uint32_t>(*hi));
      mask("min_nodes");
      mask("max_nodes");
    } else if (key == "nice") {
      auto nice = ParseInt(value);
      if (!nice || *nice < -2147483645 || *nice > 2147483645) return InvalidInput(inv, word);
      spec->set_nice(static_cast<int32_t>(*nice));
      mask("nice");
    } else {
      return Unsupported(inv, word);
    }
  }
  if (request.jobs_size() == 0 && request.filter().names_size() == 0 &&
      request.filter().uids_size() == 0 && request.filter().user_names_size() == 0) {
    inv.err << kCall << " error: " << ErrorText(ErrorCode::kInvalidJobId) << "\n";
    return 1;
  }
  if (request.update_mask().paths_size() == 0) {
    inv.err << "No changes specified\n";
    return 1;
  }
  auto client = ConnectForAction(inv, make_client, kCall);
  if (client == nullptr) return 1;
  return ReportJobAction(inv, client->UpdateJobs(request), kCall);
}

int UpdateNode(const Invocation& inv, const std::vector<std::string>& words,
               const ClientFactory& make_client) {
  v1::UpdateNodesRequest request;
  for (const std::string& word : words) {
    KeyValue kv = SplitKeyValue(word);
    const std::string& key = kv.lower_key;
    if (!kv.value) return InvalidInput(inv, word);
    const std::string& value = *kv.value;
    if (key == "nodename" || key == "node") {
      request.add_node_names(value);
    } else if (key == "state") {
      std::string lower = AsciiLower(value);
      const NodeStateName* found = nullptr;
      for (const NodeStateName& s : kNodeStates) {
        if (s.name == lower) found = &s;
      }
      if (found == nullptr) {
        inv.err << "Invalid input: " << word << "\nRequest aborted\n"
                << "Valid states are: NoResp DRAIN FAIL FUTURE RESUME POWER_DOWN_ASAP "
                   "POWER_DOWN_FORCE POWER_DOWN POWER_UP UNDRAIN CANCEL_REBOOT DOWN IDLE\n";
        return 1;
      }
      request.set_state(found->state);
    } else if (key == "reason") {
      request.set_reason(value);
    } else if (key == "weight") {
      auto weight = ParseInt(value);
      if (!weight || *weight < 0 || *weight > 0xffffffffLL) return InvalidInput(inv, word);
      request.set_weight(static_cast<uint32_t>(*weight));
    } else if (key == "comment") {
      request.set_comment(value);
    } else if (key == "extra") {
      request.set_extra(value);
    } else if (key == "features" || key == "availablefeatures") {
      for (const std::string& f : SplitList(value)) request.mutable_features()->add_values(f);
      if (value.empty()) request.mutable_features();
    } else if (key == "activefeatures") {
      for (const std::string& f : SplitList(value)) {
        request.mutable_active_features()->add_values(f);
      }
      if (value.empty()) request.mutable_active_features();
    } else {
      return Unsupported(inv, word);
    }
  }
  v1::NodeUpdateState state = request.state();
  bool needs_reason = state == v1::NODE_UPDATE_STATE_DOWN || state == v1::NODE_UPDATE_STATE_DRAIN ||
                      state == v1::NODE_UPDATE_STATE_FAIL;
  if (needs_reason && request.reason().empty()) {
    inv.err << "You must specify a reason when DOWNING or DRAINING a node. Request denied\n";
    return 1;
  }
  auto client = ConnectForAction(inv, make_client, kCall);
  if (client == nullptr) return 1;
  Result<v1::UpdateNodesResponse> response = client->UpdateNodes(request);
  if (!response) {
    inv.err << kCall << " error: " << response.error().message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace drover::cli::scontrol
