// Allocations and steps: salloc and srun (AllocateJob, GetJobAllocation,
// CompleteJobAllocation, CreateStep, CompleteStep, ListSteps).
//
// AllocateJob queues a job with no script and keeps the call open for the job's life: a
// `queued` event when it cannot start at once, `granted` with the allocation when it
// starts, and `ended` when it is over (the client's own CompleteJobAllocation, a time
// limit, scancel). A client that goes away before the grant withdraws its job; after the
// grant the job stays until its time limit (or InactiveLimit, when set). The handler follows the published snapshots, so it never waits for
// the engine and the engine never waits for it.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>

#include "auth/step_credential.h"
#include "base/log.h"
#include "ctld/service/controller_service.h"
#include "ctld/service/grpc_node_transport.h"
#include "ctld/service/names.h"
#include "rpc/convert_enums.h"
#include "rpc/convert_job.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

using std::chrono::milliseconds;

const log::Logger& Log() {
  static const log::Logger logger("ctld");
  return logger;
}

// How often a waiting AllocateJob looks whether its client is still there.
constexpr milliseconds kClientCheck{250};
// How long a step credential is good for: srun launches right after creating the step.
constexpr int64_t kCredentialLifetime = 600;

ExitCode ExitCodeOf(const v1::ExitCode& code) { return ExitCode{code.status(), code.signal()}; }

v1::JobAllocation AllocationOf(const Job& job, const ClusterSnapshot& snap) {
  v1::LaunchBatchRequest launch = BatchLaunchRequest(job, "", snap);
  const v1::JobContext& c = launch.job();
  v1::JobAllocation out;
  out.set_job_id(job.id);
  out.set_node_list(c.node_list());
  *out.mutable_nodes() = c.nodes();
  out.set_num_cpus(job.alloc.TotalCpus());
  out.set_partition(job.partition);
  out.set_account(job.spec->account);
  out.set_qos(job.spec->qos);
  out.set_cluster(c.cluster());
  out.set_start_time(c.start_time());
  out.set_end_time(c.end_time());
  out.set_time_limit_s(job.time_limit.infinite() ? -1 : job.time_limit.seconds());
  *out.mutable_spec() = rpc::JobSpecToProto(job);
  return out;
}

}  // namespace

grpc::Status ControllerService::AllocateJob(grpc::ServerContext* context,
                                            const v1::AllocateJobRequest* req,
                                            grpc::ServerWriter<v1::JobEvent>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  Result<JobSpec> spec = rpc::JobSpecFromProto(req->spec(), std::string());
  if (!spec) return rpc::ToGrpcStatus(spec.error());
  spec->uid = req->spec().has_on_behalf_uid() ? req->spec().on_behalf_uid() : who.uid;
  spec->gid = req->spec().has_on_behalf_gid() ? req->spec().on_behalf_gid() : who.gid;
  spec->user_name = UserName(spec->uid);
  if (spec->user_name.empty()) spec->user_name = std::to_string(spec->uid);
  Result<JobId> submitted = options_.controller->SubmitAllocation(std::move(*spec), who);
  if (!submitted) return rpc::ToGrpcStatus(submitted.error());
  const JobId id = *submitted;
  const auto asked = std::chrono::steady_clock::now();

  auto event = [&](TimePoint t) {
    v1::JobEvent e;
    e.set_job_id(id);
    e.set_time(rpc::ToEpochSeconds(t));
    return e;
  };
  // The client is gone. Before the grant that withdraws the job; after it, the
  // allocation is the user's until its time limit, or for InactiveLimit seconds when that
  // is set (salloc --no-shell relies on this, as in Slurm).
  bool granted_sent = false;
  auto abandon = [&](std::string_view why) {
    if (granted_sent) {
      std::shared_ptr<const ClusterSnapshot> s = options_.controller->Snapshot();
      Duration limit = s->config ? s->config->inactive_limit : Duration();
      if (limit.infinite() || limit.seconds() <= 0) {
        Log().Info("JobId={} allocation client gone ({}); the job keeps its nodes", id, why);
        return;
      }
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(limit.seconds());
      while (std::chrono::steady_clock::now() < until) {
        std::shared_ptr<const Job> job = s->FindJob(id);
        if (!job || job->state != JobState::kRunning) return;
        s = options_.controller->WaitForSnapshot(s, std::chrono::milliseconds(1000));
      }
    }
    Status s = options_.controller->CompleteAllocation(id, ExitCode{0, SIGKILL}, who);
    Log().Info("JobId={} allocation abandoned ({}): {}", id, why,
               s ? "ended" : s.error().ToString());
  };
  bool queued_sent = false;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  for (;;) {
    std::shared_ptr<const Job> job = snap->FindJob(id);
    if (!job) {
      return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidJobId, "", fmt::format("job {}", id)));
    }
    if (IsPending(job->state) && !queued_sent) {
      v1::JobEvent e = event(snap->published);
      e.mutable_queued()->set_reason(rpc::ToProto(job->reason));
      if (!writer->Write(e)) {
        abandon("client gone");
        return grpc::Status::CANCELLED;
      }
      queued_sent = true;
    }
    if (job->state == JobState::kRunning && !granted_sent) {
      v1::JobEvent e = event(job->start_time);
      *e.mutable_granted() = AllocationOf(*job, *snap);
      if (!writer->Write(e)) {
        abandon("client gone");
        return grpc::Status::CANCELLED;
      }
      granted_sent = true;
    }
    if (IsFinished(job->state) || job->state == JobState::kCompleting) {
      v1::JobEvent e = event(job->end_time);
      JobState shown = job->state == JobState::kCompleting ? job->end_state : job->state;
      e.mutable_ended()->set_state(rpc::ToProto(shown));
      (void)writer->Write(e);
      return grpc::Status::OK;
    }
    if (context->IsCancelled()) {
      abandon("call cancelled");
      return grpc::Status::CANCELLED;
    }
    if (req->has_immediate_s() && IsPending(job->state) &&
        std::chrono::steady_clock::now() - asked >= std::chrono::seconds(req->immediate_s())) {
      (void)options_.controller->CompleteAllocation(id, ExitCode{0, 0}, who);
      // What Slurm's srun -I and salloc -I report ("Requested nodes are busy").
      return rpc::ToGrpcStatus(Error(ErrorCode::kNodesBusy));
    }
    snap = options_.controller->WaitForSnapshot(snap, kClientCheck);
  }
}

grpc::Status ControllerService::GetJobAllocation(grpc::ServerContext* context,
                                                 const v1::GetJobAllocationRequest* req,
                                                 v1::JobAllocation* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  std::shared_ptr<const Job> job = snap->FindJob(req->job_id());
  if (!job) return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidJobId));
  if (job->spec->uid != who.uid && who.uid != 0 && who.uid != options_.slurm_user_uid) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kAccessDenied));
  }
  if (IsPending(job->state)) return rpc::ToGrpcStatus(Error(ErrorCode::kJobPending));
  if (job->state != JobState::kRunning) return rpc::ToGrpcStatus(Error(ErrorCode::kAlreadyDone));
  *resp = AllocationOf(*job, *snap);
  return grpc::Status::OK;
}

grpc::Status ControllerService::CompleteJobAllocation(grpc::ServerContext* context,
                                                      const v1::CompleteJobAllocationRequest* req,
                                                      v1::CompleteJobAllocationResponse*) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  return rpc::ToGrpcStatus(options_.controller->CompleteAllocation(
      req->job_id(), ExitCodeOf(req->exit_code()), who));
}

grpc::Status ControllerService::CreateStep(grpc::ServerContext* context,
                                           const v1::CreateStepRequest* req,
                                           v1::CreateStepResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  const v1::StepSpec& p = req->spec();
  StepRequest request;
  request.name = p.name();
  request.min_nodes = p.min_nodes();
  request.max_nodes = p.max_nodes();
  if (p.has_num_tasks()) request.num_tasks = p.num_tasks();
  if (p.has_cpus_per_task()) request.cpus_per_task = std::max<uint32_t>(p.cpus_per_task(), 1);
  if (p.has_ntasks_per_node()) request.ntasks_per_node = p.ntasks_per_node();
  request.node_list = p.node_list();
  request.exclude = p.exclude_node_list();
  request.overlap = p.overlap();
  if (p.has_time_limit_s()) request.time_limit_s = p.time_limit_s();
  request.command = p.command();
  request.srun_host = p.srun_host();
  request.srun_pid = p.srun_pid();
  Result<std::shared_ptr<const Step>> step =
      options_.controller->CreateStep(req->job_id(), std::move(request), who);
  if (!step) return rpc::ToGrpcStatus(step.error());
  const Step& s = **step;

  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  std::shared_ptr<const Job> job = snap->FindJob(s.job);
  if (!job) return rpc::ToGrpcStatus(Error(ErrorCode::kAlreadyDone));
  v1::StepCredentialPayload payload;
  payload.mutable_step_id()->set_job_id(s.job);
  payload.mutable_step_id()->set_kind(v1::STEP_KIND_NORMAL);
  payload.mutable_step_id()->set_step_id(s.id);
  payload.mutable_user()->set_uid(job->spec->uid);
  payload.mutable_user()->set_name(job->spec->user_name);
  payload.mutable_group()->set_gid(job->spec->gid);
  v1::LaunchBatchRequest context_source = BatchLaunchRequest(*job, "", *snap);
  *payload.mutable_job() = context_source.job();
  v1::StepLayout* layout = payload.mutable_layout();
  layout->set_num_tasks(s.num_tasks);
  layout->set_node_list(s.NodeList());
  for (const StepNode& n : s.nodes) {
    v1::StepNodeLayout* node = layout->add_nodes();
    for (const v1::NodeAllocation& a : context_source.job().nodes()) {
      if (a.node_name() == n.node) *node->mutable_allocation() = a;
    }
    node->mutable_allocation()->set_node_name(n.node);
    node->mutable_allocation()->set_num_cpus(n.cpus);
    for (uint32_t t : n.task_ids) node->add_task_ids(t);
  }
  const int64_t now = rpc::ToEpochSeconds(options_.clock->Now());
  payload.set_issue_time(now);
  payload.set_expire_time(now + kCredentialLifetime);
  payload.set_step_time_limit_s(s.time_limit_s);
  if (snap->config) payload.set_cluster(snap->config->cluster_name);
  Result<std::string> credential = auth::SignStepCredential(options_.munge, payload);
  if (!credential) {
    (void)options_.controller->CompleteStep(s.job, s.id, ExitCode{1, 0}, who);
    return rpc::ToGrpcStatus(credential.error());
  }
  *resp->mutable_step_id() = payload.step_id();
  *resp->mutable_layout() = payload.layout();
  resp->set_credential(std::move(*credential));
  resp->set_credential_expire_time(payload.expire_time());
  return grpc::Status::OK;
}

grpc::Status ControllerService::CompleteStep(grpc::ServerContext* context,
                                             const v1::CompleteStepRequest* req,
                                             v1::CompleteStepResponse*) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  return rpc::ToGrpcStatus(
      options_.controller->CompleteStep(req->step_id().job_id(), req->step_id().step_id(),
                                        ExitCodeOf(req->exit_code()), who));
}

grpc::Status ControllerService::ListSteps(grpc::ServerContext* context,
                                          const v1::ListStepsRequest* req,
                                          grpc::ServerWriter<v1::ListStepsResponse>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  const int64_t now = rpc::ToEpochSeconds(options_.clock->Now());
  v1::ListStepsResponse out;
  out.set_snapshot_time(rpc::ToEpochSeconds(snap->published));
  rpc::NameLookup names = SystemNames();
  auto wanted = [&](const Step& s) {
    if (req->steps_size() > 0) {
      for (const v1::StepId& id : req->steps()) {
        if (id.job_id() == s.job && id.kind() == v1::STEP_KIND_NORMAL && id.step_id() == s.id)
          return true;
      }
      return false;
    }
    const v1::JobFilter& f = req->filter();
    if (f.jobs_size() > 0) {
      bool any = false;
      for (const v1::JobRef& r : f.jobs()) any = any || r.job_id() == s.job;
      if (!any) return false;
    }
    if (f.uids_size() > 0 &&
        std::find(f.uids().begin(), f.uids().end(), s.uid) == f.uids().end()) {
      return false;
    }
    if (f.user_names_size() > 0) {
      std::string user = names.user(s.uid);
      if (std::find(f.user_names().begin(), f.user_names().end(), user) == f.user_names().end())
        return false;
    }
    return true;
  };
  if (snap->steps) {
    for (const auto& step : *snap->steps) {
      const Step& s = *step;
      if (!wanted(s)) continue;
      std::shared_ptr<const Job> job = snap->FindJob(s.job);
      v1::StepInfo* info = out.add_steps();
      info->mutable_id()->set_job_id(s.job);
      info->mutable_id()->set_kind(v1::STEP_KIND_NORMAL);
      info->mutable_id()->set_step_id(s.id);
      info->set_name(s.name);
      info->mutable_user()->set_uid(s.uid);
      info->mutable_user()->set_name(names.user(s.uid));
      info->set_state(v1::JOB_STATE_RUNNING);
      info->set_start_time(rpc::ToEpochSeconds(s.start_time));
      int64_t limit = s.time_limit_s;
      if (limit < 0 && job && !job->time_limit.infinite()) limit = job->time_limit.seconds();
      info->set_time_limit_s(limit);
      info->set_run_time_s(std::max<int64_t>(0, now - rpc::ToEpochSeconds(s.start_time)));
      if (job) info->set_partition(job->partition);
      info->set_node_list(s.NodeList());
      info->set_num_nodes(static_cast<uint32_t>(s.nodes.size()));
      info->set_num_cpus(s.TotalCpus());
      info->set_num_tasks(s.num_tasks);
      info->set_srun_host(s.srun_host);
      info->set_srun_pid(s.srun_pid);
      info->set_command(s.command);
      if (req->details()) {
        v1::StepLayout* layout = info->mutable_layout();
        layout->set_num_tasks(s.num_tasks);
        layout->set_node_list(s.NodeList());
        for (const StepNode& n : s.nodes) {
          v1::StepNodeLayout* node = layout->add_nodes();
          node->mutable_allocation()->set_node_name(n.node);
          node->mutable_allocation()->set_num_cpus(n.cpus);
          for (uint32_t t : n.task_ids) node->add_task_ids(t);
        }
      }
    }
  }
  if (!writer->Write(out)) return grpc::Status::CANCELLED;
  return grpc::Status::OK;
}

}  // namespace drover::ctld::service
