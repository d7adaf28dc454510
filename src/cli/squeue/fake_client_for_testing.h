// FakeControllerClient: answers from fixed data and keeps the requests it was sent, so a
// test can check that the filters went to the controller. Test-only.
#pragma once

#include <optional>
#include <vector>

#include "client/controller_client.h"

namespace drover::cli::testing {

class FakeControllerClient final : public client::ControllerClient {
 public:
  std::vector<v1::JobInfo> jobs;
  std::vector<v1::NodeInfo> nodes;
  v1::ListPartitionsResponse partitions;
  v1::GetConfigResponse config;
  v1::PingResponse ping;
  std::optional<Error> error;  // when set, every call fails with it

  std::vector<v1::ListJobsRequest> job_requests;
  std::vector<v1::ListNodesRequest> node_requests;
  std::vector<v1::ListPartitionsRequest> partition_requests;

  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(const v1::SubmitBatchJobRequest&) override {
    return Fail<v1::SubmitBatchJobResponse>();
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& r) override {
    job_requests.push_back(r);
    if (error) return *error;
    return jobs;
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& r) override {
    node_requests.push_back(r);
    if (error) return *error;
    return nodes;
  }
  Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest& r) override {
    partition_requests.push_back(r);
    if (error) return *error;
    return partitions;
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest&) override {
    return Fail<v1::JobActionResponse>();
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest&) override {
    return Fail<v1::JobActionResponse>();
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest&) override {
    return Fail<v1::JobActionResponse>();
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest&) override {
    return Fail<v1::JobActionResponse>();
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest&) override {
    return Fail<v1::JobActionResponse>();
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest&) override {
    return Fail<v1::UpdateNodesResponse>();
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest&) override {
    if (error) return *error;
    return config;
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest&) override {
    return Fail<v1::ReconfigureResponse>();
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest&) override {
    if (error) return *error;
    return ping;
  }

 private:
  template <typename T>
  Result<T> Fail() {
    return error ? *error : Error(ErrorCode::kNotSupported);
  }
};

}  // namespace drover::cli::testing
