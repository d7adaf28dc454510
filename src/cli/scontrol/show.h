// scontrol's controller-backed views: show job, show node, show partition, show config
// and ping. The Render* functions print one record exactly as Slurm 22.05's scontrol does
// (key order, spelling, the blank line after a record); the Show* functions fetch through
// the client, report errors in Slurm's words and return the exit code.
//
// Thread-safety: pure renderers; Show* use the client from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <functional>

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
std::string RenderStep(const v1::StepInfo& step, const ShowOptions& options);
// "Configuration data as of ...", "Key = value" lines, then the controllers' status.
std::string RenderConfig(const v1::GetConfigResponse& config, const v1::PingResponse* ping);
// "Slurmctld(primary) at vm is UP".
std::string RenderPing(const v1::PingResponse& ping);
// One SlurmctldHost line as scontrol ping found it: its answer, or none (DOWN).
struct ControllerPing {
  std::string configured_name;
  std::optional<v1::PingResponse> reply;
};
// One line per controller: the label is its place in slurm.conf (the first is the
// primary, the others backups), UP names the host that answered, DOWN the configured one.
std::string RenderPings(const std::vector<ControllerPing>& pings);

// `words` are what follows the entity ("show job 42" -> {"42"}).
int ShowJobs(const Invocation& inv, client::ControllerClient& client,
             const std::vector<std::string>& words, const ShowOptions& options);
int ShowNodes(const Invocation& inv, client::ControllerClient& client,
              const std::vector<std::string>& words, const ShowOptions& options);
int ShowPartitions(const Invocation& inv, client::ControllerClient& client,
                   const std::vector<std::string>& words, const ShowOptions& options);
// `words`: step ids ("42.0") or job ids (every step of the job).
int ShowSteps(const Invocation& inv, client::ControllerClient& client,
              const std::vector<std::string>& words, const ShowOptions& options);
int ShowConfig(const Invocation& inv, client::ControllerClient& client);
int Ping(const Invocation& inv, client::ControllerClient& client);
// scontrol ping when slurm.conf names more than one SlurmctldHost: each is dialled on its
// own address and reported. Exit code 0 when one answered, 1 when none did. With one
// host (or no readable slurm.conf) it runs `ping_one_controller` (Ping() over the usual
// client, which falls over to a backup).
int PingControllers(const Invocation& inv,
                    const std::function<int()>& ping_one_controller);

}  // namespace drover::cli::scontrol
