// RecordingControllerClient: keeps every request it is sent and answers with canned
// replies, so command tests can check what went to the controller (filters in the
// request, not applied by the client) and how the replies are reported. Test-only.
//
// Thread-safety: none; one test thread.
#pragma once

#include <optional>
#include <vector>

#include "client/controller_client.h"

namespace drover::client {

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
