// NodeTransport: how the engine reaches node daemons. Implemented by the gRPC node client
// (later) and by FakeNodeTransport in tests.
//
// Calls are made on the engine thread after the state they follow from is durable, and
// must not block: implementations queue the request and return. Outcomes come back as
// controller commands (JobComplete, RegisterNode).
#pragma once

#include <memory>
#include <string>

#include "core/job.h"

namespace drover::ctld {

class NodeTransport {
 public:
  virtual ~NodeTransport() = default;
  // Starts the batch script of `job` on `node` (its first allocated node).
  virtual void LaunchBatchJob(const std::string& node, std::shared_ptr<const Job> job) = 0;
  // Sends `signal` to every process of the job on the node, or with `batch_only` (scancel
  // -b, --signal=B:) to the batch shell alone, not its children.
  virtual void SignalJob(const std::string& node, JobId job, int signal, bool batch_only) = 0;
  // SIGCONT, SIGTERM, KillWait, SIGKILL of whatever the job runs on the node; then the
  // node confirms with EpilogComplete (the batch host also reports JobComplete when the
  // script was still running). `end_state` is why: the state the job ends in (TIMEOUT
  // makes the node print the time-limit banner; PENDING is a requeue).
  virtual void TerminateJob(const std::string& node, JobId job, JobState end_state) = 0;
  // Sends `signal` to the tasks of one step (scancel 42.1) on `node`.
  virtual void SignalStep(const std::string& node, JobId job, uint32_t step, int signal) = 0;
};

}  // namespace drover::ctld
