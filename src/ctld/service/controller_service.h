// ControllerService: the client-facing drover.v1.Controller service of droverctld.
//
// Every handler authenticates the call (MUNGE, service_options.h), turns the request into
// Controller commands or reads the published snapshot, and answers: commands are posted
// to the engine and waited for (CONVENTIONS.md: validate, post, wait); lists never wait
// for the engine. Errors travel as rpc::ToGrpcStatus makes them, so clients get back the
// exact Error (code, message, context). Multi-job actions answer per job in
// JobActionResult and fail as a whole only when the request itself is invalid.
//
// RPCs of the contract this version does not serve (reservations,
// partitions' create/update/delete, tokens, diagnostics, shutdown) answer UNIMPLEMENTED
// with kNotSupported (controller_service_unimplemented.cc).
//
// Thread-safety: handlers run on gRPC's threads concurrently; the service holds no
// mutable state of its own.
#pragma once

#include "ctld/service/service_options.h"
#include "drover/v1/controller.grpc.pb.h"

namespace drover::ctld::service {

class ControllerService final : public v1::Controller::Service {
 public:
  explicit ControllerService(ServiceOptions options) : options_(std::move(options)) {}

  // Jobs (controller_service.cc).
  grpc::Status SubmitBatchJob(grpc::ServerContext* context, const v1::SubmitBatchJobRequest* req,
                              v1::SubmitBatchJobResponse* resp) override;
  grpc::Status ListJobs(grpc::ServerContext* context, const v1::ListJobsRequest* req,
                        grpc::ServerWriter<v1::ListJobsResponse>* writer) override;
  grpc::Status CancelJobs(grpc::ServerContext* context, const v1::CancelJobsRequest* req,
                          v1::JobActionResponse* resp) override;
  grpc::Status UpdateJobs(grpc::ServerContext* context, const v1::UpdateJobsRequest* req,
                          v1::JobActionResponse* resp) override;
  grpc::Status HoldJobs(grpc::ServerContext* context, const v1::HoldJobsRequest* req,
                        v1::JobActionResponse* resp) override;
  grpc::Status ReleaseJobs(grpc::ServerContext* context, const v1::ReleaseJobsRequest* req,
                           v1::JobActionResponse* resp) override;
  grpc::Status RequeueJobs(grpc::ServerContext* context, const v1::RequeueJobsRequest* req,
                           v1::JobActionResponse* resp) override;

  // Nodes, partitions, the controller itself (controller_service_cluster.cc).
  grpc::Status ListNodes(grpc::ServerContext* context, const v1::ListNodesRequest* req,
                         grpc::ServerWriter<v1::ListNodesResponse>* writer) override;
  grpc::Status UpdateNodes(grpc::ServerContext* context, const v1::UpdateNodesRequest* req,
                           v1::UpdateNodesResponse* resp) override;
  grpc::Status ListPartitions(grpc::ServerContext* context, const v1::ListPartitionsRequest* req,
                              v1::ListPartitionsResponse* resp) override;
  grpc::Status GetConfig(grpc::ServerContext* context, const v1::GetConfigRequest* req,
                         v1::GetConfigResponse* resp) override;
  grpc::Status Reconfigure(grpc::ServerContext* context, const v1::ReconfigureRequest* req,
                           v1::ReconfigureResponse* resp) override;
  grpc::Status Ping(grpc::ServerContext* context, const v1::PingRequest* req,
                    v1::PingResponse* resp) override;

  // sprio: pending jobs' priority factors, from the snapshot (controller_service_priority.cc).
  grpc::Status ListPriorities(grpc::ServerContext* context, const v1::ListPrioritiesRequest* req,
                              grpc::ServerWriter<v1::ListPrioritiesResponse>* writer) override;

  // Allocations and steps: salloc, srun (controller_service_steps.cc).
  grpc::Status AllocateJob(grpc::ServerContext* context, const v1::AllocateJobRequest* req,
                           grpc::ServerWriter<v1::JobEvent>*) override;
  grpc::Status GetJobAllocation(grpc::ServerContext* context, const v1::GetJobAllocationRequest*,
                                v1::JobAllocation*) override;
  grpc::Status CompleteJobAllocation(grpc::ServerContext* context, const v1::CompleteJobAllocationRequest*,
                                     v1::CompleteJobAllocationResponse*) override;
  grpc::Status CreateStep(grpc::ServerContext* context, const v1::CreateStepRequest*,
                          v1::CreateStepResponse*) override;
  grpc::Status CompleteStep(grpc::ServerContext* context, const v1::CompleteStepRequest*,
                            v1::CompleteStepResponse*) override;
  grpc::Status ListSteps(grpc::ServerContext* context, const v1::ListStepsRequest*,
                         grpc::ServerWriter<v1::ListStepsResponse>*) override;

  // Not served yet (controller_service_unimplemented.cc).
  grpc::Status WatchJob(grpc::ServerContext*, const v1::WatchJobRequest*,
                        grpc::ServerWriter<v1::JobEvent>*) override;
  grpc::Status TestJob(grpc::ServerContext*, const v1::TestJobRequest*,
                       v1::TestJobResponse*) override;
  grpc::Status GetBatchScript(grpc::ServerContext*, const v1::GetBatchScriptRequest*,
                              v1::GetBatchScriptResponse*) override;
  grpc::Status SuspendJobs(grpc::ServerContext*, const v1::SuspendJobsRequest*,
                           v1::JobActionResponse*) override;
  grpc::Status ResumeJobs(grpc::ServerContext*, const v1::ResumeJobsRequest*,
                          v1::JobActionResponse*) override;
  grpc::Status CreatePartition(grpc::ServerContext*, const v1::CreatePartitionRequest*,
                               v1::CreatePartitionResponse*) override;
  grpc::Status UpdatePartition(grpc::ServerContext*, const v1::UpdatePartitionRequest*,
                               v1::UpdatePartitionResponse*) override;
  grpc::Status DeletePartition(grpc::ServerContext*, const v1::DeletePartitionRequest*,
                               v1::DeletePartitionResponse*) override;
  grpc::Status ListReservations(grpc::ServerContext*, const v1::ListReservationsRequest*,
                                v1::ListReservationsResponse*) override;
  grpc::Status CreateReservation(grpc::ServerContext*, const v1::CreateReservationRequest*,
                                 v1::CreateReservationResponse*) override;
  grpc::Status UpdateReservation(grpc::ServerContext*, const v1::UpdateReservationRequest*,
                                 v1::UpdateReservationResponse*) override;
  grpc::Status DeleteReservation(grpc::ServerContext*, const v1::DeleteReservationRequest*,
                                 v1::DeleteReservationResponse*) override;
  grpc::Status CreateToken(grpc::ServerContext*, const v1::CreateTokenRequest*,
                           v1::CreateTokenResponse*) override;
  grpc::Status GetDiagnostics(grpc::ServerContext*, const v1::GetDiagnosticsRequest*,
                              v1::Diagnostics*) override;
  grpc::Status ResetDiagnostics(grpc::ServerContext*, const v1::ResetDiagnosticsRequest*,
                                v1::ResetDiagnosticsResponse*) override;
  grpc::Status Shutdown(grpc::ServerContext*, const v1::ShutdownRequest*,
                        v1::ShutdownResponse*) override;

 private:
  // Runs `action` (Engine&, JobId, const Identity&, TimePoint) -> Status on each selected
  // job, all in one engine command, and reports per job.
  template <typename Action>
  grpc::Status ForEachJob(grpc::ServerContext* context,
                          const google::protobuf::RepeatedPtrField<v1::JobRef>& jobs,
                          const v1::JobFilter& filter, v1::JobActionResponse* resp, Action action,
                          bool expand_arrays = false);

  const ServiceOptions options_;
};

}  // namespace drover::ctld::service
