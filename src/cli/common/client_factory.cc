#include "cli/common/client_factory.h"

#include "client/connect.h"

namespace drover::cli {
namespace {

class UnreachableClient final : public client::ControllerClient {
 public:
  explicit UnreachableClient(Error error) : error_(std::move(error)) {}

  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(const v1::SubmitBatchJobRequest&) override {
    return error_;
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest&) override { return error_; }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest&) override {
    return error_;
  }
  Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest&) override {
    return error_;
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest&) override { return error_; }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest&) override { return error_; }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest&) override { return error_; }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest&) override {
    return error_;
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest&) override {
    return error_;
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest&) override {
    return error_;
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest&) override { return error_; }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest&) override {
    return error_;
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest&) override { return error_; }
  Result<std::vector<v1::JobRecord>> ListJobRecords(const v1::ListJobRecordsRequest&) override {
    return error_;
  }
  Result<v1::ListPrioritiesResponse> ListPriorities(const v1::ListPrioritiesRequest&) override {
    return error_;
  }
  Result<std::unique_ptr<client::JobEventStream>> AllocateJob(
      const v1::AllocateJobRequest&) override {
    return error_;
  }
  Result<v1::JobAllocation> GetJobAllocation(const v1::GetJobAllocationRequest&) override {
    return error_;
  }
  Result<v1::CompleteJobAllocationResponse> CompleteJobAllocation(
      const v1::CompleteJobAllocationRequest&) override {
    return error_;
  }
  Result<v1::CreateStepResponse> CreateStep(const v1::CreateStepRequest&) override {
    return error_;
  }
  Result<v1::CompleteStepResponse> CompleteStep(const v1::CompleteStepRequest&) override {
    return error_;
  }

 private:
  Error error_;
};

}  // namespace

Result<std::unique_ptr<client::ControllerClient>> MakeControllerClient(const Environment& env) {
  return client::ConnectController(env);
}

std::unique_ptr<client::ControllerClient> UnreachableControllerClient(Error error) {
  return std::make_unique<UnreachableClient>(std::move(error));
}

}  // namespace drover::cli
