// ControllerClient: the typed client every command and the REST gateway use to talk to
// droverctld. One method per RPC they need; requests and replies are the wire contract's
// messages (proto/drover/v1), errors are Drover Errors (src/rpc/status.h maps them).
//
// The interface keeps gRPC out of the commands: tests pass a fake, the real one
// (ConnectController) dials the controller named by slurm.conf and attaches a MUNGE
// credential to every call.
//
// Thread-safety: implementations may be called from one thread at a time.
#pragma once

#include <memory>
#include <vector>

#include "base/result.h"
#include "drover/v1/accounting.pb.h"
#include "drover/v1/controller.pb.h"

namespace drover::client {

namespace v1 = ::drover::v1;

class ControllerClient {
 public:
  virtual ~ControllerClient() = default;

  virtual Result<v1::SubmitBatchJobResponse> SubmitBatchJob(
      const v1::SubmitBatchJobRequest& request) = 0;
  // The stream's chunks gathered into one list.
  virtual Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& request) = 0;
  virtual Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& request) = 0;
  virtual Result<v1::ListPartitionsResponse> ListPartitions(
      const v1::ListPartitionsRequest& request) = 0;
  virtual Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& request) = 0;
  virtual Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& request) = 0;
  virtual Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& request) = 0;
  virtual Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& request) = 0;
  virtual Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& request) = 0;
  virtual Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& request) = 0;
  virtual Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest& request) = 0;
  virtual Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest& request) = 0;
  virtual Result<v1::PingResponse> Ping(const v1::PingRequest& request) = 0;

  // Accounting (the drover.v1.Accounting service on the same endpoint). sacct: the
  // stream's chunks gathered into one list. Not pure, so fakes that do not serve sacct
  // need not say so: the default answers kNotSupported.
  virtual Result<std::vector<v1::JobRecord>> ListJobRecords(
      const v1::ListJobRecordsRequest& request) {
    return Error(ErrorCode::kNotSupported, "ListJobRecords");
  }

  // sprio: the stream's chunks gathered into one response (weights from the chunk that
  // carries them). The default answers kNotSupported, as ListJobRecords' does.
  virtual Result<v1::ListPrioritiesResponse> ListPriorities(
      const v1::ListPrioritiesRequest& request) {
    return Error(ErrorCode::kNotSupported, "ListPriorities");
  }
};

}  // namespace drover::client
