// The job RPCs of ControllerService: submit, list, and the multi-job actions.
#include "ctld/service/controller_service.h"

#include <csignal>

#include "ctld/service/job_filter.h"
#include "ctld/service/names.h"
#include "rpc/convert_job.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

// A list reply chunk stays under ~1 MiB (controller.proto).
constexpr size_t kChunkBytes = 1 << 20;

void AddResult(v1::JobActionResponse* resp, JobId id, const Status& status) {
  v1::JobActionResult* r = resp->add_results();
  r->mutable_job()->set_job_id(id);
  if (!status.has_value()) *r->mutable_error() = rpc::ToProto(status.error());
}

}  // namespace

grpc::Status ControllerService::SubmitBatchJob(grpc::ServerContext* context,
                                               const v1::SubmitBatchJobRequest* req,
                                               v1::SubmitBatchJobResponse* resp) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  Result<JobSpec> spec = rpc::JobSpecFromProto(req->spec(), req->script());
  if (!spec) return rpc::ToGrpcStatus(spec.error());
  // Identity comes from the credential; on_behalf_* only names another user, and the
  // engine refuses it (kAccessDenied) unless the caller is privileged.
  spec->uid = req->spec().has_on_behalf_uid() ? req->spec().on_behalf_uid() : who.uid;
  spec->gid = req->spec().has_on_behalf_gid() ? req->spec().on_behalf_gid() : who.gid;
  if (req->spec().has_on_behalf_uid() && !req->spec().has_on_behalf_gid() && spec->uid != who.uid) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kInvalidArgument, "--uid needs --gid to name the job's group"));
  }
  spec->user_name = UserName(spec->uid);
  if (spec->user_name.empty()) spec->user_name = std::to_string(spec->uid);
  Result<JobId> id = options_.controller->Submit(std::move(*spec), who);
  if (!id) return rpc::ToGrpcStatus(id.error());
  resp->set_job_id(*id);
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  if (snap->config) resp->set_cluster(snap->config->cluster_name);
  return grpc::Status::OK;
}

grpc::Status ControllerService::ListJobs(grpc::ServerContext* context,
                                         const v1::ListJobsRequest* req,
                                         grpc::ServerWriter<v1::ListJobsResponse>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  Result<JobMatcher> matcher = JobMatcher::Create(req->filter(), /*active_by_default=*/true);
  if (!matcher) return rpc::ToGrpcStatus(matcher.error());
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();

  rpc::JobInfoContext ctx;
  ctx.now = options_.clock->Now();
  ctx.cluster_name = snap->config ? snap->config->cluster_name : "";
  ctx.names = SystemNames();
  ctx.details = req->details();
  ctx.brief = req->brief() && !req->details();
  ctx.node_address = [&snap](const std::string& name, v1::NodeAllocation* out) {
    if (std::shared_ptr<const Node> n = snap->FindNode(name)) {
      out->set_address(n->addr);
      out->set_port(n->port);
    }
  };
  const int64_t snapshot_time = rpc::ToEpochSeconds(snap->published);
  v1::ListJobsResponse chunk;
  chunk.set_snapshot_time(snapshot_time);
  bool sent_any = false;
  bool broken = false;
  size_t chunk_bytes = 0;  // summed per job: measuring the whole chunk each time is O(n^2)
  auto flush_if_full = [&] {
    if (chunk_bytes >= kChunkBytes) {
      broken = !writer->Write(chunk);
      sent_any = true;
      chunk.clear_jobs();
      chunk_bytes = 0;
    }
  };
  snap->ForEachJob([&](const Job& job) {
    if (broken || !matcher->Matches(job)) return;
    v1::JobInfo one = rpc::JobInfoFromJob(job, ctx);
    if (req->expand_arrays() && job.is_array_master()) {
      // squeue -r: one entry per pending task, each named 42_7.
      one.clear_pending_array_tasks();
      for (const auto& [first, last] : job.array_pending.Runs()) {
        for (uint64_t t = first; t <= last && !broken; ++t) {
          v1::JobInfo* info = chunk.add_jobs();
          *info = one;
          info->set_array_task_id(static_cast<uint32_t>(t));
          chunk_bytes += info->ByteSizeLong() + 4;
          flush_if_full();
        }
      }
      return;
    }
    v1::JobInfo* info = chunk.add_jobs();
    *info = std::move(one);
    chunk_bytes += info->ByteSizeLong() + 4;
    flush_if_full();
  });
  if (broken) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  // Always one message, so an empty list still carries its snapshot_time.
  if (chunk.jobs_size() > 0 || !sent_any) writer->Write(chunk);
  return grpc::Status::OK;
}

template <typename Action>
grpc::Status ControllerService::ForEachJob(
    grpc::ServerContext* context, const google::protobuf::RepeatedPtrField<v1::JobRef>& jobs,
    const v1::JobFilter& filter, v1::JobActionResponse* resp, Action action, bool expand_arrays) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();
  Result<std::vector<JobId>> ids = SelectJobs(*snap, jobs, filter, expand_arrays);
  if (!ids) return rpc::ToGrpcStatus(ids.error());
  if (ids->empty()) return grpc::Status::OK;
  Result<std::vector<Status>> results = options_.controller->ActOnJobs(
      *ids, [&action, who](Engine& e, JobId id, TimePoint now) { return action(e, id, who, now); });
  if (!results) return rpc::ToGrpcStatus(results.error());
  for (size_t i = 0; i < ids->size(); ++i) AddResult(resp, (*ids)[i], (*results)[i]);
  return grpc::Status::OK;
}

grpc::Status ControllerService::CancelJobs(grpc::ServerContext* context,
                                           const v1::CancelJobsRequest* req,
                                           v1::JobActionResponse* resp) {
  int signal = req->signal();
  if (signal < 0 || signal > 64) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kInvalidArgument, "Invalid signal number: " + std::to_string(signal)));
  }
  bool batch_only = req->batch_only();
  // Steps (scancel 42.1, 42.batch) are signalled one by one; the jobs named go together.
  google::protobuf::RepeatedPtrField<v1::JobRef> jobs;
  std::vector<v1::JobRef> steps, tasks;
  for (const v1::JobRef& ref : req->jobs()) {
    if (ref.has_step()) {
      steps.push_back(ref);
    } else if (ref.array_tasks_size() > 0 && signal == 0) {
      tasks.push_back(ref);
    } else {
      *jobs.Add() = ref;
    }
  }
  // scancel 42_[1-3]: the engine resolves the tasks, split off or still pending.
  if (!tasks.empty()) {
    Identity who;
    if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
    for (const v1::JobRef& ref : tasks) {
      std::vector<std::pair<uint32_t, uint32_t>> ranges;
      for (const v1::IdRange& r : ref.array_tasks()) ranges.emplace_back(r.first(), r.last());
      Result<std::vector<Status>> results = options_.controller->ActOnJobs(
          {ref.job_id()}, [&ranges, who](Engine& e, JobId id, TimePoint now) {
            return e.CancelArrayTasks(id, ranges, who, now);
          });
      if (!results) return rpc::ToGrpcStatus(results.error());
      v1::JobActionResult* r = resp->add_results();
      *r->mutable_job() = ref;
      if (!(*results)[0]) *r->mutable_error() = rpc::ToProto((*results)[0].error());
    }
    if (jobs.empty() && steps.empty()) return grpc::Status::OK;
  }
  if (!steps.empty()) {
    Identity who;
    if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
    for (const v1::JobRef& ref : steps) {
      const uint32_t step = ref.step().step_id();
      const bool batch = ref.step().kind() == v1::STEP_KIND_BATCH;
      const bool normal = ref.step().kind() == v1::STEP_KIND_NORMAL;
      Result<std::vector<Status>> results = options_.controller->ActOnJobs(
          {ref.job_id()}, [=](Engine& e, JobId id, TimePoint) -> Status {
            // Slurm kills a cancelled step outright; the batch step is the job's script.
            int sig = signal == 0 ? SIGKILL : signal;
            if (batch) return e.Signal(id, sig, who, /*batch_only=*/true);
            if (!normal) return Error(ErrorCode::kNotSupported, "only N.M and N.batch steps");
            return e.SignalStep(id, step, sig, who);
          });
      if (!results) return rpc::ToGrpcStatus(results.error());
      v1::JobActionResult* r = resp->add_results();
      *r->mutable_job() = ref;
      if (!(*results)[0]) *r->mutable_error() = rpc::ToProto((*results)[0].error());
    }
    if (jobs.empty()) return grpc::Status::OK;
  }
  return ForEachJob(context, jobs, req->filter(), resp,
                    [signal, batch_only](Engine& e, JobId id, const Identity& who, TimePoint now) {
                      return signal == 0 ? e.Cancel(id, who, now)
                                         : e.Signal(id, signal, who, batch_only);
                    },
                    /*expand_arrays=*/true);
}

grpc::Status ControllerService::UpdateJobs(grpc::ServerContext* context,
                                           const v1::UpdateJobsRequest* req,
                                           v1::JobActionResponse* resp) {
  const v1::JobSpec& s = req->spec();
  JobUpdate update;
  for (const std::string& path : req->update_mask().paths()) {
    if (path == "time_limit_s") {
      if (!s.has_time_limit_s() || s.time_limit_s() < -1) {
        return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidTimeLimit));
      }
      update.time_limit =
          s.time_limit_s() < 0 ? Duration::Infinite() : Duration::FromSeconds(s.time_limit_s());
    } else if (path == "partitions") {
      if (s.partitions_size() != 1) {
        return rpc::ToGrpcStatus(
            Error(ErrorCode::kInvalidPartitionName, "exactly one partition may be set on update"));
      }
      update.partition = s.partitions(0);
    } else if (path == "min_nodes") {
      update.min_nodes = s.min_nodes();
    } else if (path == "max_nodes") {
      update.max_nodes = s.max_nodes();
    } else if (path == "nice") {
      update.nice = s.nice();
    } else if (path == "name") {
      update.name = s.name();
    } else {
      return rpc::ToGrpcStatus(
          Error(ErrorCode::kNotSupported, "Update of " + path + " is not supported"));
    }
  }
  if (req->has_admin_comment()) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kNotSupported, "Update of AdminComment is not supported"));
  }
  return ForEachJob(context, req->jobs(), req->filter(), resp,
                    [&update](Engine& e, JobId id, const Identity& who, TimePoint now) {
                      return e.UpdateJob(id, update, who, now);
                    });
}

grpc::Status ControllerService::HoldJobs(grpc::ServerContext* context,
                                         const v1::HoldJobsRequest* req,
                                         v1::JobActionResponse* resp) {
  bool user_hold = req->user_hold();
  return ForEachJob(context, req->jobs(), req->filter(), resp,
                    [user_hold](Engine& e, JobId id, const Identity& who, TimePoint now) {
                      return e.Hold(id, user_hold, who, now);
                    });
}

grpc::Status ControllerService::ReleaseJobs(grpc::ServerContext* context,
                                            const v1::ReleaseJobsRequest* req,
                                            v1::JobActionResponse* resp) {
  return ForEachJob(context, req->jobs(), req->filter(), resp,
                    [](Engine& e, JobId id, const Identity& who, TimePoint now) {
                      return e.Release(id, who, now);
                    });
}

grpc::Status ControllerService::RequeueJobs(grpc::ServerContext* context,
                                            const v1::RequeueJobsRequest* req,
                                            v1::JobActionResponse* resp) {
  if (req->special_exit()) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kNotSupported, "requeuehold State=SpecialExit is not supported"));
  }
  bool hold = req->hold();
  return ForEachJob(context, req->jobs(), v1::JobFilter(), resp,
                    [hold](Engine& e, JobId id, const Identity& who, TimePoint now) {
                      return e.Requeue(id, hold, who, now);
                    });
}

}  // namespace drover::ctld::service
