// scontrol's controller-backed views: show job, show node, show partition, show config
// and ping. The Render* functions print one record exactly as Slurm 22.05's scontrol does
// (key order, spelling, the blank line after a record); the Show* functions fetch through
// the client, report errors in Slurm's words and return the exit code.
//
// Thread-safety: pure renderers; Show* use the client from one thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/common/invocation.h"
#include "client/controller_client.h"

namespace drover::cli::scontrol {

namespace v1 = ::drover::v1;

struct ShowOptions {
  bool one_liner = false;  // -o: one line a record
  bool details = false;    // -d
};

// Each record ends with "\n\n" (multi-line) or "\n" (one-liner).
std::string RenderJob(const v1::JobInfo& job, const ShowOptions& options, int64_t now);
std::string RenderNode(const v1::NodeInfo& node, const ShowOptions& options);
std::string RenderPartition(const v1::PartitionInfo& partition, const ShowOptions& options);
// "Configuration data as of ...", "Key = value" lines, then the controllers' status.
std::string RenderConfig(const v1::GetConfigResponse& config, const v1::PingResponse* ping);
// "Slurmctld(primary) at vm is UP".
std::string RenderPing(const v1::PingResponse& ping);

// `words` are what follows the entity ("show job 42" -> {"42"}).
int ShowJobs(const Invocation& inv, client::ControllerClient& client,
             const std::vector<std::string>& words, const ShowOptions& options);
int ShowNodes(const Invocation& inv, client::ControllerClient& client,
              const std::vector<std::string>& words, const ShowOptions& options);
int ShowPartitions(const Invocation& inv, client::ControllerClient& client,
                   const std::vector<std::string>& words, const ShowOptions& options);
int ShowConfig(const Invocation& inv, client::ControllerClient& client);
int Ping(const Invocation& inv, client::ControllerClient& client);

}  // namespace drover::cli::scontrol
