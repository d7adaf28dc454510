#include "ctld/service/node_registry_service.h"

#include <set>

#include "core/exit_code.h"
#include "rpc/convert_cluster.h"
#include "rpc/convert_enums.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

int WaitStatusOf(const v1::ExitCode& code) {
  return ExitCode{code.status(), code.signal()}.ToWaitStatus();
}

}  // namespace

grpc::Status NodeRegistryService::AuthenticateNode(grpc::ServerContext* context) const {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  if (who.uid != 0 && who.uid != options_.slurm_user_uid) {
    return rpc::ToGrpcStatus(Error(
        ErrorCode::kAccessDenied, "node registry calls must come from root or SlurmUser, not uid " +
                                      std::to_string(who.uid)));
  }
  return grpc::Status::OK;
}

grpc::Status NodeRegistryService::Register(grpc::ServerContext* context,
                                           const v1::RegisterNodeRequest* req,
                                           v1::RegisterNodeResponse* resp) {
  if (grpc::Status s = AuthenticateNode(context); !s.ok()) return s;
  NodeRegistration reg;
  reg.name = req->node_name();
  std::set<JobId> jobs;
  for (const v1::StepId& step : req->steps()) jobs.insert(step.job_id());
  reg.running_jobs.assign(jobs.begin(), jobs.end());
  reg.boot_time = rpc::FromEpochSeconds(req->boot_time());
  if (Status s = options_.controller->RegisterNode(reg); !s) return rpc::ToGrpcStatus(s);

  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  if (std::shared_ptr<const Node> n = snap->FindNode(req->node_name())) {
    resp->set_state(rpc::NodeStateToProto(*n));
    for (v1::NodeStateFlag f : rpc::NodeStateFlagsToProto(*n)) resp->add_state_flags(f);
  }
  int64_t interval = 30;
  if (snap->config && !snap->config->slurmd_timeout.infinite() &&
      snap->config->slurmd_timeout.seconds() > 0) {
    interval = std::max<int64_t>(1, snap->config->slurmd_timeout.seconds() / 3);
  }
  resp->set_heartbeat_interval_s(interval);
  if (snap->config) resp->set_cluster_name(snap->config->cluster_name);
  // Jobs the node runs that the controller has finished or never knew: kill them.
  for (JobId id : jobs) {
    std::shared_ptr<const Job> job = snap->FindJob(id);
    if (!job || !HoldsAllocation(job->state)) resp->add_terminate_job_ids(id);
  }
  resp->set_controller_epoch(options_.controller_epoch);
  return grpc::Status::OK;
}

grpc::Status NodeRegistryService::Heartbeat(grpc::ServerContext* context,
                                            const v1::HeartbeatRequest* req,
                                            v1::HeartbeatResponse* resp) {
  if (grpc::Status s = AuthenticateNode(context); !s.ok()) return s;
  if (Status s = options_.controller->Heartbeat(req->node_name()); !s) {
    return rpc::ToGrpcStatus(s);
  }
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  std::shared_ptr<const Node> n = snap->FindNode(req->node_name());
  // A node the controller has not seen register since it started must register again.
  resp->set_reregister(!n || n->base == NodeBaseState::kUnknown);
  resp->set_controller_epoch(options_.controller_epoch);
  return grpc::Status::OK;
}

grpc::Status NodeRegistryService::JobComplete(grpc::ServerContext* context,
                                              const v1::JobCompleteRequest* req,
                                              v1::JobCompleteResponse* resp) {
  if (grpc::Status s = AuthenticateNode(context); !s.ok()) return s;
  if (req->prolog_failed()) {
    return rpc::ToGrpcStatus(options_.controller->PrologFailed(req->node_name(), req->job_id()));
  }
  // A script that could not start ends FAILED (exit 1), never COMPLETED.
  JobEnd end;
  end.wait_status =
      req->has_launch_error() ? ExitCode{1, 0}.ToWaitStatus() : WaitStatusOf(req->exit_code());
  if (req->state() != v1::JOB_STATE_UNSPECIFIED) {
    if (Result<JobState> state = rpc::FromProto(req->state()); state) end.state = *state;
  }
  end.unkillable = req->unkillable();
  return rpc::ToGrpcStatus(options_.controller->JobComplete(req->node_name(), req->job_id(), end));
}

grpc::Status NodeRegistryService::StepComplete(grpc::ServerContext* context,
                                               const v1::StepCompleteRequest* req,
                                               v1::StepCompleteResponse* resp) {
  if (grpc::Status s = AuthenticateNode(context); !s.ok()) return s;
  return rpc::ToGrpcStatus(
      options_.controller->StepComplete(req->node_name(), req->step_id().job_id(),
                                        req->step_id().step_id(), WaitStatusOf(req->exit_code())));
}

grpc::Status NodeRegistryService::EpilogComplete(grpc::ServerContext* context,
                                                 const v1::EpilogCompleteRequest* req,
                                                 v1::EpilogCompleteResponse* resp) {
  if (grpc::Status s = AuthenticateNode(context); !s.ok()) return s;
  // A failed Epilog (non-zero status) drains the node.
  bool failed = req->has_status() && (req->status().status() != 0 || req->status().signal() != 0);
  return rpc::ToGrpcStatus(
      options_.controller->EpilogComplete(req->node_name(), req->job_id(), failed));
}

}  // namespace drover::ctld::service
