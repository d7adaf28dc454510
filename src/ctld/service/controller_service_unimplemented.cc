// The RPCs of drover.v1.Controller this version does not serve: each answers UNIMPLEMENTED
// with kNotSupported's text in Drover's error details, so clients print Slurm's wording.
#include "ctld/service/controller_service.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

grpc::Status NotSupported() { return rpc::ToGrpcStatus(Error(ErrorCode::kNotSupported)); }

}  // namespace

#define DROVER_NOT_SUPPORTED(Method, Request, Response)                                        \
  grpc::Status ControllerService::Method(grpc::ServerContext*, const v1::Request*, Response) { \
    return NotSupported();                                                                     \
  }

DROVER_NOT_SUPPORTED(TestJob, TestJobRequest, v1::TestJobResponse*)
DROVER_NOT_SUPPORTED(WatchJob, WatchJobRequest, grpc::ServerWriter<v1::JobEvent>*)
DROVER_NOT_SUPPORTED(GetBatchScript, GetBatchScriptRequest, v1::GetBatchScriptResponse*)
DROVER_NOT_SUPPORTED(SuspendJobs, SuspendJobsRequest, v1::JobActionResponse*)
DROVER_NOT_SUPPORTED(ResumeJobs, ResumeJobsRequest, v1::JobActionResponse*)
DROVER_NOT_SUPPORTED(CreatePartition, CreatePartitionRequest, v1::CreatePartitionResponse*)
DROVER_NOT_SUPPORTED(UpdatePartition, UpdatePartitionRequest, v1::UpdatePartitionResponse*)
DROVER_NOT_SUPPORTED(DeletePartition, DeletePartitionRequest, v1::DeletePartitionResponse*)
DROVER_NOT_SUPPORTED(ListReservations, ListReservationsRequest, v1::ListReservationsResponse*)
DROVER_NOT_SUPPORTED(CreateReservation, CreateReservationRequest, v1::CreateReservationResponse*)
DROVER_NOT_SUPPORTED(UpdateReservation, UpdateReservationRequest, v1::UpdateReservationResponse*)
DROVER_NOT_SUPPORTED(DeleteReservation, DeleteReservationRequest, v1::DeleteReservationResponse*)
DROVER_NOT_SUPPORTED(CreateToken, CreateTokenRequest, v1::CreateTokenResponse*)
DROVER_NOT_SUPPORTED(GetDiagnostics, GetDiagnosticsRequest, v1::Diagnostics*)
DROVER_NOT_SUPPORTED(ResetDiagnostics, ResetDiagnosticsRequest, v1::ResetDiagnosticsResponse*)
DROVER_NOT_SUPPORTED(Shutdown, ShutdownRequest, v1::ShutdownResponse*)

#undef DROVER_NOT_SUPPORTED

}  // namespace drover::ctld::service
