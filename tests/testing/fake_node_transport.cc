#include "testing/fake_node_transport.h"

#include <algorithm>

namespace drover::testing {

void FakeNodeTransport::LaunchBatchJob(const std::string& node, std::shared_ptr<const Job> job) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back({NodeRequest::Kind::kLaunch, node, job->id, 0});
}

void FakeNodeTransport::SignalJob(const std::string& node, JobId job, int signal, bool batch_only) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(
      {NodeRequest::Kind::kSignal, node, job, signal, JobState::kCancelled, batch_only});
}

void FakeNodeTransport::SignalStep(const std::string& node, JobId job, uint32_t step, int signal) {
  std::lock_guard<std::mutex> lock(mu_);
  NodeRequest r{NodeRequest::Kind::kSignalStep, node, job, signal};
  r.step = step;
  requests_.push_back(std::move(r));
}

void FakeNodeTransport::TerminateJob(const std::string& node, JobId job, JobState end_state) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back({NodeRequest::Kind::kTerminate, node, job, 0, end_state});
}

std::vector<NodeRequest> FakeNodeTransport::TakeTerminates() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<NodeRequest> out;
  for (; terminates_taken_ < requests_.size(); ++terminates_taken_) {
    const NodeRequest& r = requests_[terminates_taken_];
    if (r.kind == NodeRequest::Kind::kTerminate) out.push_back(r);
  }
  return out;
}

std::optional<NodeRequest> FakeNodeTransport::LastTerminate(JobId job) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
    if (it->kind == NodeRequest::Kind::kTerminate && it->job == job) return *it;
  }
  return std::nullopt;
}

std::vector<NodeRequest> FakeNodeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<JobId> FakeNodeTransport::RunningOn(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobId> out;
  for (const auto& r : requests_) {
    if (r.node != node) continue;
    if (r.kind == NodeRequest::Kind::kLaunch) out.push_back(r.job);
    if (r.kind == NodeRequest::Kind::kTerminate) std::erase(out, r.job);
  }
  return out;
}

size_t FakeNodeTransport::CountOf(NodeRequest::Kind kind, JobId job) const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::count_if(requests_.begin(), requests_.end(),
                       [&](const NodeRequest& r) { return r.kind == kind && r.job == job; });
}

}  // namespace drover::testing
