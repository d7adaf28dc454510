#include "client/grpc_controller_client.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <utility>

#include "drover/v1/controller.grpc.pb.h"
#include "rpc/status.h"

namespace drover::client {
namespace {

// gRPC's own failures (no Drover details) in the words Slurm's commands print; errors the
// controller returned keep their code and message.
Error ErrorOf(const grpc::Status& status) {
  Error error = rpc::FromGrpcStatus(status);
  if (!status.error_details().empty()) return error;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return Error(ErrorCode::kUnavailable);
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return Error(ErrorCode::kTimeout);
  }
  return error;
}

class GrpcControllerClient final : public ControllerClient {
 public:
  GrpcControllerClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds timeout)
      : stub_(v1::Controller::NewStub(std::move(channel))), timeout_(timeout) {}

  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(
      const v1::SubmitBatchJobRequest& request) override {
    return Unary<v1::SubmitBatchJobResponse>(
        [&](auto* ctx, auto* resp) { return stub_->SubmitBatchJob(ctx, request, resp); });
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& request) override {
    std::vector<v1::JobInfo> jobs;
    grpc::ClientContext context;
    Prepare(context);
    std::unique_ptr<grpc::ClientReader<v1::ListJobsResponse>> reader =
        stub_->ListJobs(&context, request);
    v1::ListJobsResponse chunk;
    while (reader->Read(&chunk)) {
      for (v1::JobInfo& job : *chunk.mutable_jobs()) jobs.push_back(std::move(job));
    }
    grpc::Status status = reader->Finish();
    if (!status.ok()) return ErrorOf(status);
    return jobs;
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& request) override {
    std::vector<v1::NodeInfo> nodes;
    grpc::ClientContext context;
    Prepare(context);
    std::unique_ptr<grpc::ClientReader<v1::ListNodesResponse>> reader =
        stub_->ListNodes(&context, request);
    v1::ListNodesResponse chunk;
    while (reader->Read(&chunk)) {
      for (v1::NodeInfo& node : *chunk.mutable_nodes()) nodes.push_back(std::move(node));
    }
    grpc::Status status = reader->Finish();
    if (!status.ok()) return ErrorOf(status);
    return nodes;
  }
  Result<v1::ListPartitionsResponse> ListPartitions(
      const v1::ListPartitionsRequest& request) override {
    return Unary<v1::ListPartitionsResponse>(
        [&](auto* ctx, auto* resp) { return stub_->ListPartitions(ctx, request, resp); });
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& request) override {
    return Unary<v1::JobActionResponse>(
        [&](auto* ctx, auto* resp) { return stub_->CancelJobs(ctx, request, resp); });
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& request) override {
    return Unary<v1::JobActionResponse>(
        [&](auto* ctx, auto* resp) { return stub_->UpdateJobs(ctx, request, resp); });
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& request) override {
    return Unary<v1::JobActionResponse>(
        [&](auto* ctx, auto* resp) { return stub_->HoldJobs(ctx, request, resp); });
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& request) override {
    return Unary<v1::JobActionResponse>(
        [&](auto* ctx, auto* resp) { return stub_->ReleaseJobs(ctx, request, resp); });
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& request) override {
    return Unary<v1::JobActionResponse>(
        [&](auto* ctx, auto* resp) { return stub_->RequeueJobs(ctx, request, resp); });
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& request) override {
    return Unary<v1::UpdateNodesResponse>(
        [&](auto* ctx, auto* resp) { return stub_->UpdateNodes(ctx, request, resp); });
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest& request) override {
    return Unary<v1::GetConfigResponse>(
        [&](auto* ctx, auto* resp) { return stub_->GetConfig(ctx, request, resp); });
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest& request) override {
    return Unary<v1::ReconfigureResponse>(
        [&](auto* ctx, auto* resp) { return stub_->Reconfigure(ctx, request, resp); });
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest& request) override {
    return Unary<v1::PingResponse>(
        [&](auto* ctx, auto* resp) { return stub_->Ping(ctx, request, resp); });
  }

 private:
  void Prepare(grpc::ClientContext& context) const {
    context.set_deadline(std::chrono::system_clock::now() + timeout_);
  }

  template <typename Response, typename Call>
  Result<Response> Unary(Call call) {
    grpc::ClientContext context;
    Prepare(context);
    Response response;
    grpc::Status status = call(&context, &response);
    if (!status.ok()) return ErrorOf(status);
    return response;
  }

  // Constant after construction.
  std::unique_ptr<v1::Controller::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<ControllerClient> NewGrpcControllerClient(std::shared_ptr<grpc::Channel> channel,
                                                          std::chrono::milliseconds timeout) {
  return std::make_unique<GrpcControllerClient>(std::move(channel), timeout);
}

}  // namespace drover::client
