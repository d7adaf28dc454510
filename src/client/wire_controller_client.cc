#include "client/wire_controller_client.h"

#include <utility>

#include "client/wire_streams.h"
#include "rpc/auth_metadata.h"
#include "rpc/error_proto.h"
#include "wire/channel.h"

namespace drover::client {
namespace {

constexpr std::string_view kService = "/drover.v1.Controller/";
constexpr std::string_view kAccountingService = "/drover.v1.Accounting/";

class WireControllerClient final : public ControllerClient {
 public:
  WireControllerClient(std::unique_ptr<wire::Channel> channel, auth::Munge munge,
                       std::chrono::milliseconds timeout)
      : channel_(std::move(channel)), munge_(std::move(munge)), timeout_(timeout) {}

  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(
      const v1::SubmitBatchJobRequest& request) override {
    return Unary<v1::SubmitBatchJobResponse>("SubmitBatchJob", request);
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& request) override {
    std::vector<v1::JobInfo> jobs;
    RETURN_IF_ERROR(Stream<v1::ListJobsResponse>("ListJobs", request,
                                                 [&](v1::ListJobsResponse& chunk) {
                                                   for (v1::JobInfo& job : *chunk.mutable_jobs())
                                                     jobs.push_back(std::move(job));
                                                 }));
    return jobs;
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& request) override {
    std::vector<v1::NodeInfo> nodes;
    RETURN_IF_ERROR(Stream<v1::ListNodesResponse>(
        "ListNodes", request, [&](v1::ListNodesResponse& chunk) {
          for (v1::NodeInfo& node : *chunk.mutable_nodes()) nodes.push_back(std::move(node));
        }));
    return nodes;
  }
  Result<v1::ListPartitionsResponse> ListPartitions(
      const v1::ListPartitionsRequest& request) override {
    return Unary<v1::ListPartitionsResponse>("ListPartitions", request);
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& request) override {
    return Unary<v1::JobActionResponse>("CancelJobs", request);
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& request) override {
    return Unary<v1::JobActionResponse>("UpdateJobs", request);
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& request) override {
    return Unary<v1::JobActionResponse>("HoldJobs", request);
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& request) override {
    return Unary<v1::JobActionResponse>("ReleaseJobs", request);
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& request) override {
    return Unary<v1::JobActionResponse>("RequeueJobs", request);
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& request) override {
    return Unary<v1::UpdateNodesResponse>("UpdateNodes", request);
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest& request) override {
    return Unary<v1::GetConfigResponse>("GetConfig", request);
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest& request) override {
    return Unary<v1::ReconfigureResponse>("Reconfigure", request);
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest& request) override {
    return Unary<v1::PingResponse>("Ping", request);
  }
  Result<std::vector<v1::JobRecord>> ListJobRecords(
      const v1::ListJobRecordsRequest& request) override {
    std::vector<v1::JobRecord> jobs;
    RETURN_IF_ERROR(Stream<v1::ListJobRecordsResponse>(
        "ListJobRecords", request,
        [&](v1::ListJobRecordsResponse& chunk) {
          for (v1::JobRecord& job : *chunk.mutable_jobs()) jobs.push_back(std::move(job));
        },
        kAccountingService));
    return jobs;
  }
  Result<v1::ListPrioritiesResponse> ListPriorities(
      const v1::ListPrioritiesRequest& request) override {
    v1::ListPrioritiesResponse all;
    RETURN_IF_ERROR(Stream<v1::ListPrioritiesResponse>(
        "ListPriorities", request, [&](v1::ListPrioritiesResponse& chunk) {
          for (v1::JobPriority& job : *chunk.mutable_jobs()) *all.add_jobs() = std::move(job);
          if (chunk.has_weights()) *all.mutable_weights() = std::move(*chunk.mutable_weights());
          all.set_snapshot_time(chunk.snapshot_time());
          all.set_priority_type(chunk.priority_type());
        }));
    return all;
  }
  Result<std::unique_ptr<JobEventStream>> AllocateJob(
      const v1::AllocateJobRequest& request) override {
    ASSIGN_OR_RETURN(std::string credential, munge_.Encode());
    return OpenJobEventStream(channel_->target(), std::string(kService) + "AllocateJob",
                              std::move(credential), request.SerializeAsString(),
                              std::chrono::steady_clock::now() + timeout_);
  }
  Result<v1::JobAllocation> GetJobAllocation(const v1::GetJobAllocationRequest& request) override {
    return Unary<v1::JobAllocation>("GetJobAllocation", request);
  }
  Result<v1::CompleteJobAllocationResponse> CompleteJobAllocation(
      const v1::CompleteJobAllocationRequest& request) override {
    return Unary<v1::CompleteJobAllocationResponse>("CompleteJobAllocation", request);
  }
  Result<std::vector<v1::StepInfo>> ListSteps(const v1::ListStepsRequest& request) override {
    std::vector<v1::StepInfo> all;
    RETURN_IF_ERROR(Stream<v1::ListStepsResponse>(
        "ListSteps", request, [&](v1::ListStepsResponse& chunk) {
          for (v1::StepInfo& step : *chunk.mutable_steps()) all.push_back(std::move(step));
        }));
    return all;
  }
  Result<v1::CreateStepResponse> CreateStep(const v1::CreateStepRequest& request) override {
    return Unary<v1::CreateStepResponse>("CreateStep", request);
  }
  Result<v1::CompleteStepResponse> CompleteStep(const v1::CompleteStepRequest& request) override {
    return Unary<v1::CompleteStepResponse>("CompleteStep", request);
  }

 private:
  // Makes the call, handing each reply message to `sink`.
  Status Call(std::string_view method, const google::protobuf::MessageLite& request,
              const wire::MessageSink& sink, std::string_view service = kService) {
    ASSIGN_OR_RETURN(std::string credential, munge_.Encode());
    const wire::Header metadata[] = {{std::string(rpc::kMungeMetadataKey), std::move(credential)}};
    std::string path = std::string(service) + std::string(method);
    ASSIGN_OR_RETURN(wire::CallStatus status,
                     channel_->Call(path, metadata, request.SerializeAsString(),
                                    std::chrono::steady_clock::now() + timeout_, sink));
    if (status.code != 0) {
      return rpc::ErrorFromCallStatus(status.code, status.message, status.details);
    }
    return Ok();
  }

  template <typename Response>
  Result<Response> Unary(std::string_view method, const google::protobuf::MessageLite& request) {
    Response response;
    int messages = 0;
    RETURN_IF_ERROR(Call(method, request, [&](std::string_view bytes) -> Status {
      if (++messages > 1 ||
          !response.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Error(ErrorCode::kProtocol, "malformed reply to " + std::string(method));
      }
      return Ok();
    }));
    if (messages != 1) return Error(ErrorCode::kProtocol, "no reply to " + std::string(method));
    return response;
  }

  template <typename Chunk, typename Take>
  Status Stream(std::string_view method, const google::protobuf::MessageLite& request,
                Take take, std::string_view service = kService) {
    return Call(method, request, [&](std::string_view bytes) -> Status {
      Chunk chunk;
      if (!chunk.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
        return Error(ErrorCode::kProtocol, "malformed reply to " + std::string(method));
      }
      take(chunk);
      return Ok();
    }, service);
  }

  // Constant after construction.
  std::unique_ptr<wire::Channel> channel_;
  const auth::Munge munge_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<ControllerClient> NewWireControllerClient(std::unique_ptr<wire::Channel> channel,
                                                          auth::Munge munge,
                                                          std::chrono::milliseconds timeout) {
  return std::make_unique<WireControllerClient>(std::move(channel), std::move(munge), timeout);
}

}  // namespace drover::client
