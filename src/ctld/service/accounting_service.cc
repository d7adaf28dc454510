#include "ctld/service/accounting_service.h"

#include <algorithm>

#include "ctld/service/names.h"
#include "rpc/convert_enums.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

// A reply chunk stays under ~1 MiB, as the controller's listings do.
constexpr size_t kChunkBytes = 1 << 20;

bool PrivateJobs(const ServiceOptions& options) {
  std::shared_ptr<const ClusterSnapshot> snap = options.controller->Snapshot();
  if (!snap || !snap->config) return false;
  const auto& words = snap->config->private_data;
  return std::any_of(words.begin(), words.end(), [](const std::string& w) {
    std::string lower(w);
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    return lower == "jobs";
  });
}

void SetTres(v1::TresList* list, uint32_t cpus, uint64_t mem_mb, uint32_t nodes) {
  if (cpus == 0) return;
  auto add = [&](const char* type, int64_t count) {
    v1::Tres* t = list->add_items();
    t->set_type(type);
    t->set_count(count);
  };
  add("cpu", cpus);
  if (mem_mb > 0) add("mem", static_cast<int64_t>(mem_mb));
  add("node", nodes);
  add("billing", cpus);
}

}  // namespace

v1::JobRecord JobRecordToProto(const acct::JobRecord& r, bool allocations_only,
                              const rpc::NameLookup& names) {
  v1::JobRecord p;
  p.set_job_id(r.job_id);
  p.set_array_job_id(r.array_job_id);
  if (r.array_task_id) p.set_array_task_id(*r.array_task_id);
  p.set_job_name(r.name);
  p.mutable_user()->set_uid(r.uid);
  p.mutable_user()->set_name(r.user);
  p.mutable_group()->set_gid(r.gid);
  if (names.group) p.mutable_group()->set_name(names.group(r.gid));
  p.set_account(r.account);
  p.set_partition(r.partition);
  p.set_qos(r.qos);
  p.set_cluster(r.cluster);
  p.set_state(rpc::ToProto(r.state));
  if (r.cancelled_by) p.set_cancelled_by_uid(*r.cancelled_by);
  if (Result<PendingReason> reason = ParsePendingReason(r.reason); reason) {
    p.set_reason(rpc::ToProto(*reason));
  }
  p.mutable_exit_code()->set_status(r.exit_code.exit_status);
  p.mutable_exit_code()->set_signal(r.exit_code.signal);
  p.mutable_derived_exit_code()->set_status(r.exit_code.exit_status);
  p.set_submit_time(r.submit_time);
  p.set_eligible_time(r.eligible_time);
  p.set_start_time(r.start_time);
  p.set_end_time(r.end_time);
  if (r.start_time > 0 && r.end_time > 0) {
    p.set_elapsed_s(std::max<int64_t>(0, r.end_time - r.start_time));
  }
  p.set_time_limit_s(r.time_limit_s);
  p.set_node_list(r.node_list);
  p.set_num_nodes(r.alloc_nodes);
  p.set_num_cpus(r.alloc_cpus);
  p.set_req_cpus(r.alloc_cpus);
  SetTres(p.mutable_alloc_tres(), r.alloc_cpus, r.alloc_mem_mb, r.alloc_nodes);
  p.set_work_dir(r.work_dir);
  p.set_batch_host(r.batch_host);
  p.set_restarts(r.restarts);
  // The batch step exists once the job has run on its batch host (an allocation made by
  // salloc or srun has none).
  if (!allocations_only && r.batch && r.start_time > 0 && !r.batch_host.empty()) {
    v1::StepRecord* s = p.add_steps();
    s->mutable_id()->set_job_id(r.job_id);
    s->mutable_id()->set_kind(v1::STEP_KIND_BATCH);
    s->set_name("batch");
    JobState state = r.state;
    ExitCode code = r.exit_code;
    // A job ended by its time limit has its batch step killed: CANCELLED by SIGTERM.
    if (state == JobState::kTimeout) state = JobState::kCancelled, code = {0, 15};
    if (state == JobState::kRequeued) state = JobState::kCancelled;
    s->set_state(rpc::ToProto(state));
    s->mutable_exit_code()->set_status(code.exit_status);
    s->mutable_exit_code()->set_signal(code.signal);
    s->set_start_time(r.start_time);
    s->set_end_time(r.end_time);
    if (r.end_time > 0) s->set_elapsed_s(std::max<int64_t>(0, r.end_time - r.start_time));
    s->set_node_list(r.batch_host);
    s->set_num_nodes(1);
    s->set_num_cpus(r.batch_cpus);
    s->set_num_tasks(1);
    SetTres(s->mutable_alloc_tres(), r.batch_cpus, 0, 1);
  }
  if (!allocations_only) {
    for (const acct::StepRecord& step : r.steps) {
      v1::StepRecord* s = p.add_steps();
      s->mutable_id()->set_job_id(r.job_id);
      s->mutable_id()->set_kind(v1::STEP_KIND_NORMAL);
      s->mutable_id()->set_step_id(step.step_id);
      s->set_name(step.name);
      s->set_state(rpc::ToProto(step.state));
      s->mutable_exit_code()->set_status(step.exit_code.exit_status);
      s->mutable_exit_code()->set_signal(step.exit_code.signal);
      s->set_start_time(step.start_time);
      s->set_end_time(step.end_time);
      if (step.end_time > 0) {
        s->set_elapsed_s(std::max<int64_t>(0, step.end_time - step.start_time));
      }
      s->set_node_list(step.node_list);
      s->set_num_nodes(step.num_nodes);
      s->set_num_cpus(step.num_cpus);
      s->set_num_tasks(step.num_tasks);
      SetTres(s->mutable_alloc_tres(), step.num_cpus, 0, step.num_nodes);
    }
  }
  return p;
}

void AccountingJobSink::StepsEnded(std::vector<std::shared_ptr<const Step>> steps) {
  auto epoch = [](TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  };
  std::vector<acct::StepRecord> records;
  records.reserve(steps.size());
  for (const auto& step : steps) {
    acct::StepRecord r;
    r.job_id = step->job;
    r.submit_time = step->job_submit_time == TimePoint{} ? 0 : epoch(step->job_submit_time);
    r.step_id = step->id;
    r.name = step->name;
    r.state = step->state;
    r.exit_code = step->exit_code;
    r.start_time = epoch(step->start_time);
    r.end_time = step->end_time == TimePoint{} ? r.start_time : epoch(step->end_time);
    r.num_nodes = static_cast<uint32_t>(step->nodes.size());
    r.num_cpus = step->TotalCpus();
    r.num_tasks = step->num_tasks;
    r.node_list = step->NodeList();
    records.push_back(std::move(r));
  }
  writer_->PostSteps(std::move(records));
}

grpc::Status AccountingService::ListJobRecords(
    grpc::ServerContext* context, const v1::ListJobRecordsRequest* req,
    grpc::ServerWriter<v1::ListJobRecordsResponse>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  if (options_.accounting == nullptr) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kNotSupported, "Slurm accounting storage is disabled"));
  }
  acct::JobQuery q;
  for (const v1::JobRef& ref : req->jobs()) q.job_ids.push_back(ref.job_id());
  for (uint32_t uid : req->uids()) q.uids.push_back(uid);
  for (const std::string& name : req->user_names()) {
    std::optional<uint32_t> uid = UidOf(name);
    if (!uid) {
      return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidArgument, "Invalid user id: " + name));
    }
    q.uids.push_back(*uid);
  }
  const bool privileged = who.uid == 0 || who.uid == options_.slurm_user_uid;
  if (!privileged && PrivateJobs(options_)) {
    // PrivateData=jobs: whatever was asked, only the caller's own records.
    q.uids.assign(1, who.uid);
  }
  q.accounts.assign(req->accounts().begin(), req->accounts().end());
  q.partitions.assign(req->partitions().begin(), req->partitions().end());
  q.names.assign(req->names().begin(), req->names().end());
  q.node_names.assign(req->node_names().begin(), req->node_names().end());
  for (int s : req->states()) {
    Result<JobState> state = rpc::FromProto(static_cast<v1::JobState>(s));
    if (!state) return rpc::ToGrpcStatus(state.error());
    q.states.push_back(*state);
  }
  q.window_start = req->window().start_time();
  q.window_end = req->window().end_time();

  Result<std::vector<acct::JobRecord>> records = options_.accounting->Query(q);
  if (!records) return rpc::ToGrpcStatus(records.error());
  const rpc::NameLookup names = SystemNames();
  v1::ListJobRecordsResponse chunk;
  size_t bytes = 0;
  for (const acct::JobRecord& r : *records) {
    v1::JobRecord* p = chunk.add_jobs();
    *p = JobRecordToProto(r, req->allocations_only(), names);
    bytes += p->ByteSizeLong();
    if (bytes >= kChunkBytes) {
      if (!writer->Write(chunk)) return grpc::Status::CANCELLED;
      chunk.Clear();
      bytes = 0;
    }
  }
  if (chunk.jobs_size() > 0 || records->empty()) writer->Write(chunk);
  return grpc::Status::OK;
}

}  // namespace drover::ctld::service
