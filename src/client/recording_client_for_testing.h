// RecordingControllerClient: keeps every request it is sent and answers with canned
// replies, so command tests can check what went to the controller (filters in the
// request, not applied by the client) and how the replies are reported. Test-only.
//
// Thread-safety: none; one test thread.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <deque>
#include <optional>
#include <vector>

#include "client/controller_client.h"

namespace drover::client {

// A JobEventStream that delivers scripted events. Its fd (a pipe) is readable once, when
// the first OnReady hands over every event; with `ends` the call then ends with `final`.
// Without it the stream stays open and quiet, as a granted allocation's does.
class FakeJobEventStream final : public JobEventStream {
 public:
  FakeJobEventStream(std::vector<v1::JobEvent> events, bool ends, Status final)
      : pending_(events.begin(), events.end()), ends_(ends), final_(std::move(final)) {
    if (pipe2(pipe_, O_NONBLOCK | O_CLOEXEC) != 0) pipe_[0] = pipe_[1] = -1;
    if (!pending_.empty() || ends_) (void)!write(pipe_[1], "x", 1);
  }
  ~FakeJobEventStream() override {
    close(pipe_[0]);
    close(pipe_[1]);
  }
  int fd() const override { return pipe_[0]; }
  short events() const override { return POLLIN; }
  Status OnReady(short) override {
    char buf[16];
    while (read(pipe_[0], buf, sizeof(buf)) > 0) {
    }
    while (!pending_.empty()) {
      ready_.push_back(std::move(pending_.front()));
      pending_.pop_front();
    }
    if (ends_) ended_ = true;
    return Ok();
  }
  std::optional<v1::JobEvent> TakeEvent() override {
    if (ready_.empty()) return std::nullopt;
    v1::JobEvent e = std::move(ready_.front());
    ready_.pop_front();
    return e;
  }
  bool done() const override { return ended_ && ready_.empty(); }
  Status status() override { return final_; }
  void Cancel() override {
    cancelled = true;
    ended_ = true;
  }

  bool cancelled = false;

 private:
  std::deque<v1::JobEvent> pending_, ready_;
  bool ends_;
  bool ended_ = false;
  Status final_;
  int pipe_[2] = {-1, -1};
};

class RecordingControllerClient final : public ControllerClient {
 public:
  // Replies; `error`, when set, fails every call.
  std::optional<Error> error;
  v1::JobActionResponse job_action;
  std::vector<v1::JobInfo> jobs;
  v1::PingResponse ping;
  std::vector<v1::JobRecord> job_records;
  v1::ListPrioritiesResponse priorities;

  // Requests, in the order sent.
  std::vector<v1::CancelJobsRequest> cancels;
  std::vector<v1::UpdateJobsRequest> job_updates;
  std::vector<v1::HoldJobsRequest> holds;
  std::vector<v1::ReleaseJobsRequest> releases;
  std::vector<v1::RequeueJobsRequest> requeues;
  std::vector<v1::UpdateNodesRequest> node_updates;
  std::vector<v1::ListJobRecordsRequest> job_record_queries;
  std::vector<v1::ListPrioritiesRequest> priority_queries;
  int reconfigures = 0;

  // Allocations and steps. AllocateJob answers with a FakeJobEventStream of
  // `allocate_events` (ending with `allocate_status` when `allocate_stream_ends`);
  // CreateStep pops `step_replies` front first (the last one repeats).
  std::vector<v1::JobEvent> allocate_events;
  bool allocate_stream_ends = false;
  Status allocate_status = Ok();
  FakeJobEventStream* last_event_stream = nullptr;  // owned by the caller
  Result<v1::JobAllocation> job_allocation = v1::JobAllocation();
  std::deque<Result<v1::CreateStepResponse>> step_replies;
  std::vector<v1::AllocateJobRequest> allocations;
  std::vector<v1::GetJobAllocationRequest> allocation_queries;
  std::vector<v1::CompleteJobAllocationRequest> completed_allocations;
  std::vector<v1::CreateStepRequest> step_creations;
  std::vector<v1::CompleteStepRequest> completed_steps;

  Result<std::unique_ptr<JobEventStream>> AllocateJob(const v1::AllocateJobRequest& r) override {
    allocations.push_back(r);
    if (error) return *error;
    auto stream = std::make_unique<FakeJobEventStream>(allocate_events, allocate_stream_ends,
                                                       allocate_status);
    last_event_stream = stream.get();
    return std::unique_ptr<JobEventStream>(std::move(stream));
  }
  Result<v1::JobAllocation> GetJobAllocation(const v1::GetJobAllocationRequest& r) override {
    allocation_queries.push_back(r);
    if (error) return *error;
    return job_allocation;
  }
  Result<v1::CompleteJobAllocationResponse> CompleteJobAllocation(
      const v1::CompleteJobAllocationRequest& r) override {
    completed_allocations.push_back(r);
    return Reply(v1::CompleteJobAllocationResponse());
  }
  Result<v1::CreateStepResponse> CreateStep(const v1::CreateStepRequest& r) override {
    step_creations.push_back(r);
    if (error) return *error;
    if (step_replies.empty()) return Error(ErrorCode::kNotSupported, "CreateStep");
    Result<v1::CreateStepResponse> reply = step_replies.front();
    if (step_replies.size() > 1) step_replies.pop_front();
    return reply;
  }
  Result<v1::CompleteStepResponse> CompleteStep(const v1::CompleteStepRequest& r) override {
    completed_steps.push_back(r);
    return Reply(v1::CompleteStepResponse());
  }

  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(const v1::SubmitBatchJobRequest&) override {
    return Reply(v1::SubmitBatchJobResponse());
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest&) override {
    return Reply(jobs);
  }
  Result<std::vector<v1::JobRecord>> ListJobRecords(
      const v1::ListJobRecordsRequest& r) override {
    job_record_queries.push_back(r);
    return Reply(job_records);
  }
  Result<v1::ListPrioritiesResponse> ListPriorities(const v1::ListPrioritiesRequest& r) override {
    priority_queries.push_back(r);
    return Reply(priorities);
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest&) override {
    return Reply(std::vector<v1::NodeInfo>());
  }
  Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest&) override {
    return Reply(v1::ListPartitionsResponse());
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& r) override {
    cancels.push_back(r);
    return Reply(job_action);
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& r) override {
    job_updates.push_back(r);
    return Reply(job_action);
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& r) override {
    holds.push_back(r);
    return Reply(job_action);
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& r) override {
    releases.push_back(r);
    return Reply(job_action);
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& r) override {
    requeues.push_back(r);
    return Reply(job_action);
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& r) override {
    node_updates.push_back(r);
    return Reply(v1::UpdateNodesResponse());
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest&) override {
    return Reply(v1::GetConfigResponse());
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest&) override {
    ++reconfigures;
    return Reply(v1::ReconfigureResponse());
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest&) override { return Reply(ping); }

  // Adds a per-job result to job_action; `code` kOk means success.
  void AddResult(uint32_t job_id, ErrorCode code = ErrorCode::kOk) {
    v1::JobActionResult* result = job_action.add_results();
    result->mutable_job()->set_job_id(job_id);
    if (code != ErrorCode::kOk) {
      result->mutable_error()->set_code(static_cast<v1::ErrorCode>(static_cast<int>(code)));
      result->mutable_error()->set_message(std::string(ErrorText(code)));
    }
  }

 private:
  template <typename T>
  Result<T> Reply(T value) {
    if (error) return *error;
    return value;
  }
};

}  // namespace drover::client
