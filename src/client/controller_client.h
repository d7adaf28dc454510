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
#include <optional>
#include <vector>

#include "base/result.h"
#include "drover/v1/accounting.pb.h"
#include "drover/v1/controller.pb.h"

namespace drover::client {

namespace v1 = ::drover::v1;

// The open AllocateJob call: the job's events, read one at a time from the caller's poll
// loop (salloc and srun watch it beside their signals and their command). Keeping it open
// keeps the allocation: the controller ends the job when the call breaks, so the owner
// destroys it only when done with the job. Destroying it cancels the call.
//
// Thread-safety: one owner thread.
class JobEventStream {
 public:
  virtual ~JobEventStream() = default;

  // A descriptor to poll for events() (POLLIN, and POLLOUT while a write is pending).
  virtual int fd() const = 0;
  virtual short events() const = 0;
  // Reads what has arrived without blocking; received events queue for TakeEvent().
  // Errors: transport failures (kUnavailable when the controller went away).
  virtual Status OnReady(short revents) = 0;
  // The next received event, in order; nullopt when none is queued.
  virtual std::optional<v1::JobEvent> TakeEvent() = 0;
  // The call has ended (after `ended`, or the controller closed it) and every event has
  // been taken; status() then says how.
  virtual bool done() const = 0;
  // Ok, or the call's Error (the controller refusing the job: kInvalidPartitionName...).
  // REQUIRES: done().
  virtual Status status() = 0;
  // Withdraws the request (a pending job is cancelled) or gives up the allocation.
  virtual void Cancel() = 0;
};

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

  // Allocations and steps (salloc, srun). The defaults answer kNotSupported, as above.

  // Opens AllocateJob; the events come through the returned stream. Errors: the call could
  // not be started (kUnavailable); refusals of the job come as the stream's status().
  virtual Result<std::unique_ptr<JobEventStream>> AllocateJob(
      const v1::AllocateJobRequest& request) {
    return Error(ErrorCode::kNotSupported, "AllocateJob");
  }
  virtual Result<v1::JobAllocation> GetJobAllocation(const v1::GetJobAllocationRequest& request) {
    return Error(ErrorCode::kNotSupported, "GetJobAllocation");
  }
  virtual Result<v1::CompleteJobAllocationResponse> CompleteJobAllocation(
      const v1::CompleteJobAllocationRequest& request) {
    return Error(ErrorCode::kNotSupported, "CompleteJobAllocation");
  }
  // Errors: kNodesBusy when the step must wait for resources of the allocation.
  virtual Result<v1::CreateStepResponse> CreateStep(const v1::CreateStepRequest& request) {
    return Error(ErrorCode::kNotSupported, "CreateStep");
  }
  virtual Result<v1::CompleteStepResponse> CompleteStep(const v1::CompleteStepRequest& request) {
    return Error(ErrorCode::kNotSupported, "CompleteStep");
  }
  // squeue -s, scontrol show step: the stream's chunks gathered into one list.
  virtual Result<std::vector<v1::StepInfo>> ListSteps(const v1::ListStepsRequest& request) {
    return Error(ErrorCode::kNotSupported, "ListSteps");
  }
};

}  // namespace drover::client
