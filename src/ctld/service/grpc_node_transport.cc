#include "ctld/service/grpc_node_transport.h"

#include <fmt/format.h>
#include <grpcpp/client_context.h>

#include "core/exit_code.h"
#include "drover/v1/node.grpc.pb.h"
#include "rpc/auth_client.h"
#include "rpc/convert_enums.h"
#include "rpc/convert_job.h"
#include "rpc/status.h"

namespace drover::ctld::service {
namespace {

void FillAllocation(const NodeAllocation& a, const Node* node, v1::NodeAllocation* out) {
  out->set_node_name(a.node);
  if (node != nullptr) {
    out->set_address(node->addr);
    out->set_port(node->port);
  }
  out->set_num_cpus(static_cast<uint32_t>(a.cpus.size()));
  for (size_t i = 0; i < a.cpus.size();) {
    size_t j = i;
    while (j + 1 < a.cpus.size() && a.cpus[j + 1] == a.cpus[j] + 1) ++j;
    v1::IdRange* r = out->add_cpu_ids();
    r->set_first(a.cpus[i]);
    r->set_last(a.cpus[j]);
    i = j + 1;
  }
  out->set_mem_mb(a.mem_mb);
}

}  // namespace

v1::LaunchBatchRequest BatchLaunchRequest(const Job& job, const std::string& node_name,
                                          const ClusterSnapshot& snap) {
  const JobSpec& s = *job.spec;
  v1::LaunchBatchRequest req;
  v1::JobContext* c = req.mutable_job();
  c->set_job_id(job.id);
  if (job.array_job_id != 0 && job.array_task_id) {
    c->set_array_job_id(job.array_job_id);
    c->set_array_task_id(*job.array_task_id);
    if (!s.array.empty()) {
      c->set_array_task_count(static_cast<uint32_t>(s.array.count()));
      c->set_array_task_min(s.array.min());
      c->set_array_task_max(s.array.max());
      c->set_array_task_step(s.array.step());
    }
  }
  c->set_job_name(job.name);
  c->mutable_user()->set_uid(s.uid);
  c->mutable_user()->set_name(s.user_name);
  c->mutable_group()->set_gid(s.gid);
  c->set_partition(job.partition);
  c->set_account(s.account);
  c->set_qos(s.qos);
  if (snap.config) c->set_cluster(snap.config->cluster_name);
  c->set_node_list(job.alloc.NodeList());
  for (const NodeAllocation& a : job.alloc.nodes) {
    std::shared_ptr<const Node> n = snap.FindNode(a.node);
    FillAllocation(a, n.get(), c->add_nodes());
    if (a.node == node_name) FillAllocation(a, n.get(), req.mutable_allocation());
  }
  c->set_start_time(rpc::ToEpochSeconds(job.start_time));
  if (!job.time_limit.infinite()) {
    c->set_end_time(rpc::ToEpochSeconds(job.start_time) + job.time_limit.seconds());
  }
  c->set_num_tasks(EffectiveTasks(s, job.min_nodes));
  // SLURM_CPUS_PER_TASK is set only when -c was given.
  if (s.cpus_per_task_given) c->set_cpus_per_task(s.cpus_per_task);
  if (s.ntasks_per_node != 0) c->set_ntasks_per_node(s.ntasks_per_node);
  if (s.mem_per_node_mb) c->set_mem_per_node_mb(*s.mem_per_node_mb);
  if (s.mem_per_cpu_mb) c->set_mem_per_cpu_mb(*s.mem_per_cpu_mb);
  c->set_submit_dir(s.work_dir);
  c->set_submit_host(s.alloc_node);

  req.set_script(s.script);
  for (const std::string& a : s.argv) req.add_argv(a);
  for (const std::string& e : s.environment) req.add_environment(e);
  req.set_work_dir(s.work_dir);
  req.set_std_in(s.std_in.empty() ? "/dev/null" : rpc::ExpandStdPath(s.std_in, job, s.user_name));
  std::string out = rpc::ExpandStdPath(s.std_out, job, s.user_name);
  req.set_std_out(out);
  req.set_std_err(s.std_err.empty() ? out : rpc::ExpandStdPath(s.std_err, job, s.user_name));
  if (s.open_mode == OpenMode::kAppend) req.set_open_mode(v1::OPEN_MODE_APPEND);
  if (s.open_mode == OpenMode::kTruncate) req.set_open_mode(v1::OPEN_MODE_TRUNCATE);
  return req;
}

GrpcNodeTransport::GrpcNodeTransport(auth::Munge munge, std::chrono::milliseconds deadline)
    : munge_(std::move(munge)), deadline_(deadline) {
  for (size_t i = 0; i < kShards; ++i) shards_.push_back(std::make_unique<Shard>());
  for (auto& shard : shards_) shard->thread = std::thread([this, s = shard.get()] { Run(*s); });
}

GrpcNodeTransport::~GrpcNodeTransport() { Stop(); }

void GrpcNodeTransport::Attach(Controller* controller) {
  controller_.store(controller);
  for (auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    shard->cv.notify_all();
  }
}

void GrpcNodeTransport::Stop() {
  stop_.store(true);
  size_t dropped = 0;
  for (auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    dropped += shard->queue.size();
    shard->queue.clear();
    shard->cv.notify_all();
  }
  if (dropped > 0) log_.Warn("dropping {} queued node requests at shutdown", dropped);
  for (auto& shard : shards_) {
    if (shard->thread.joinable()) shard->thread.join();
  }
}

void GrpcNodeTransport::Post(const std::string& node, JobId job, Task task) {
  if (stop_.load()) {
    log_.Warn("node request dropped: transport stopped");
    return;
  }
  size_t key = std::hash<std::string>{}(node) ^ (std::hash<JobId>{}(job) * 0x9e3779b97f4a7c15ull);
  Shard& shard = *shards_[key % shards_.size()];
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.queue.push_back(std::move(task));
  shard.cv.notify_all();
}

void GrpcNodeTransport::Run(Shard& shard) {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(shard.mu);
      shard.cv.wait(lock, [&] {
        return stop_.load() || (controller_.load() != nullptr && !shard.queue.empty());
      });
      if (stop_.load()) return;
      task = std::move(shard.queue.front());
      shard.queue.pop_front();
    }
    task(shard);
  }
}

std::shared_ptr<grpc::Channel> GrpcNodeTransport::ChannelTo(Shard& shard, const std::string& node) {
  std::shared_ptr<const ClusterSnapshot> snap = controller_.load()->Snapshot();
  std::shared_ptr<const Node> n = snap->FindNode(node);
  if (!n) {
    log_.Error("NodeName={} is not in the configuration; request dropped", node);
    return nullptr;
  }
  uint16_t port = n->port != 0 ? n->port : (snap->config ? snap->config->slurmd_port : 0);
  std::string target = fmt::format("{}:{}", n->addr.empty() ? n->name : n->addr, port);
  auto it = shard.channels.find(target);
  if (it != shard.channels.end()) return it->second;
  std::shared_ptr<grpc::Channel> channel = rpc::CreateAuthenticatedChannel(target, munge_);
  shard.channels.emplace(target, channel);
  return channel;
}

void GrpcNodeTransport::SendLaunch(Shard& shard, const std::string& node,
                                   const std::shared_ptr<const Job>& job) {
  Controller* controller = controller_.load();
  std::shared_ptr<const ClusterSnapshot> snap = controller->Snapshot();
  grpc::Status status;
  if (std::shared_ptr<grpc::Channel> channel = ChannelTo(shard, node)) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    v1::LaunchBatchResponse resp;
    status = v1::NodeControl::NewStub(channel)->LaunchBatch(
        &context, BatchLaunchRequest(*job, node, *snap), &resp);
  } else {
    status = rpc::ToGrpcStatus(Error(ErrorCode::kInvalidNodeName));
  }
  if (status.ok()) return;
  Error error = rpc::FromGrpcStatus(status);
  if (error.code() == ErrorCode::kUnavailable || error.code() == ErrorCode::kTimeout) {
    // The node never got the job (its daemon is down or restarting): like Slurm after a
    // launch failure, the job goes back to the queue when it may be requeued (else it
    // fails), without waiting for that node to confirm its end.
    Status s = controller->LaunchFailed(node, job->id);
    log_.Error("JobId={} launch on NodeName={} failed: {}; {}", job->id, node, error.ToString(),
               s ? "job requeued or failed" : s.error().ToString());
    return;
  }
  log_.Error("JobId={} launch on NodeName={} failed: {}; ending the job", job->id, node,
             error.ToString());
  // The job would otherwise stay RUNNING with nothing running it.
  if (Status s = controller->JobComplete(node, job->id, ExitCode{1, 0}.ToWaitStatus()); !s) {
    log_.Warn("JobId={} could not be ended after its failed launch: {}", job->id,
              s.error().ToString());
  }
}

void GrpcNodeTransport::LaunchBatchJob(const std::string& node, std::shared_ptr<const Job> job) {
  JobId id = job->id;
  Post(node, id, [this, node, job = std::move(job)](Shard& shard) { SendLaunch(shard, node, job); });
}

void GrpcNodeTransport::SignalJob(const std::string& node, JobId job, int signal, bool batch_only) {
  Post(node, job, [this, node, job, signal, batch_only](Shard& shard) {
    std::shared_ptr<grpc::Channel> channel = ChannelTo(shard, node);
    if (!channel) return;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    v1::SignalJobRequest req;
    req.set_job_id(job);
    req.set_signal(signal);
    req.set_batch_only(batch_only);
    v1::SignalJobResponse resp;
    grpc::Status s = v1::NodeControl::NewStub(channel)->SignalJob(&context, req, &resp);
    if (!s.ok()) {
      log_.Warn("JobId={} signal {} to NodeName={} failed: {}", job, signal, node,
                rpc::FromGrpcStatus(s).ToString());
    }
  });
}

void GrpcNodeTransport::SignalStep(const std::string& node, JobId job, uint32_t step,
                                   int signal) {
  Post(node, job, [this, node, job, step, signal](Shard& shard) {
    std::shared_ptr<grpc::Channel> channel = ChannelTo(shard, node);
    if (!channel) return;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    v1::SignalStepRequest req;
    req.mutable_step_id()->set_job_id(job);
    req.mutable_step_id()->set_kind(v1::STEP_KIND_NORMAL);
    req.mutable_step_id()->set_step_id(step);
    req.set_signal(signal);
    v1::SignalStepResponse resp;
    grpc::Status s = v1::NodeControl::NewStub(channel)->SignalStep(&context, req, &resp);
    if (!s.ok()) {
      log_.Warn("StepId={}.{} signal {} to NodeName={} failed: {}", job, step, signal, node,
                rpc::FromGrpcStatus(s).ToString());
    }
  });
}

void GrpcNodeTransport::TerminateJob(const std::string& node, JobId job, JobState end_state) {
  Post(node, job, [this, node, job, end_state](Shard& shard) {
    std::shared_ptr<grpc::Channel> channel = ChannelTo(shard, node);
    if (!channel) return;
    std::shared_ptr<const ClusterSnapshot> snap = controller_.load()->Snapshot();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline_);
    v1::TerminateJobRequest req;
    req.set_job_id(job);
    if (snap->config && !snap->config->kill_wait.infinite()) {
      req.set_kill_wait_s(snap->config->kill_wait.seconds());
    }
    req.set_state(rpc::ToProto(end_state));
    if (std::shared_ptr<const Job> j = snap->FindJob(job)) {
      req.set_reason(rpc::ToProto(j->reason));
    }
    v1::TerminateJobResponse resp;
    grpc::Status s = v1::NodeControl::NewStub(channel)->TerminateJob(&context, req, &resp);
    if (!s.ok()) {
      log_.Warn("JobId={} terminate on NodeName={} failed: {}", job, node,
                rpc::FromGrpcStatus(s).ToString());
    }
  });
}

}  // namespace drover::ctld::service
