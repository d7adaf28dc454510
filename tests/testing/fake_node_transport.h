// FakeNodeTransport: a NodeTransport that records what the controller asked of nodes, so
// tests can assert on launches, signals and terminations and then play the node's part
// (InProcessCluster reports completions back to the controller).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ctld/node_transport.h"

namespace drover::testing {

struct NodeRequest {
  enum class Kind { kLaunch, kSignal, kTerminate, kSignalStep } kind;
  std::string node;
  JobId job = 0;
  int signal = 0;
  JobState end_state = JobState::kCancelled;  // kTerminate: why the job ends
  bool batch_only = false;                    // kSignal: the batch shell alone
  uint32_t step = 0;                          // kSignalStep
};

class FakeNodeTransport final : public ctld::NodeTransport {
 public:
  void LaunchBatchJob(const std::string& node, std::shared_ptr<const Job> job) override;
  void SignalJob(const std::string& node, JobId job, int signal, bool batch_only) override;
  void TerminateJob(const std::string& node, JobId job, JobState end_state) override;
  void SignalStep(const std::string& node, JobId job, uint32_t step, int signal) override;

  std::vector<NodeRequest> requests() const;
  // Jobs launched on `node` and not terminated since.
  std::vector<JobId> RunningOn(const std::string& node) const;
  size_t CountOf(NodeRequest::Kind kind, JobId job) const;
  // The last terminate request for `job` (on any node), if any.
  std::optional<NodeRequest> LastTerminate(JobId job) const;
  // Terminate requests not returned by an earlier call, in order.
  std::vector<NodeRequest> TakeTerminates();

 private:
  mutable std::mutex mu_;
  std::vector<NodeRequest> requests_;  // guarded by mu_
  size_t terminates_taken_ = 0;        // guarded by mu_: requests_ scanned by TakeTerminates
};

}  // namespace drover::testing
