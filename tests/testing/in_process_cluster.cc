#include "testing/in_process_cluster.h"

#include <sys/wait.h>

namespace drover::testing {

Result<std::shared_ptr<const config::SlurmConfig>> ParseTestConfig(std::string_view text) {
  config::MapIncludeResolver resolver;
  ASSIGN_OR_RETURN(config::SlurmConfig conf,
                   config::ParseSlurmConf(text, "slurm.conf", resolver, nullptr));
  return std::make_shared<const config::SlurmConfig>(std::move(conf));
}

Result<std::unique_ptr<InProcessCluster>> InProcessCluster::Create(std::string_view slurm_conf) {
  std::unique_ptr<InProcessCluster> c(new InProcessCluster());
  ASSIGN_OR_RETURN(c->config_, ParseTestConfig(slurm_conf));
  RETURN_IF_ERROR(c->Start());
  return c;
}

InProcessCluster::~InProcessCluster() {
  controller_.reset();
  store_.reset();
}

Status InProcessCluster::Start() {
  ASSIGN_OR_RETURN(store_, storage::MemoryStateStore::Open(disk_));
  ctld::ControllerOptions options;
  options.config = config_;
  options.store = store_.get();
  options.transport = &transport_;
  options.clock = &clock_;
  options.slurm_user_uid = 500;
  ASSIGN_OR_RETURN(controller_, ctld::Controller::Create(options));
  return Ok();
}

Status InProcessCluster::RegisterNode(const std::string& name) {
  ctld::NodeRegistration reg;
  reg.name = name;
  reg.running_jobs = transport_.RunningOn(name);
  reg.boot_time = clock_.Now();
  return controller_->RegisterNode(reg);
}

Status InProcessCluster::RegisterAllNodes() {
  for (const auto& n : config_->nodes) RETURN_IF_ERROR(RegisterNode(n.name));
  return Ok();
}

Status InProcessCluster::Advance(std::chrono::seconds d) {
  clock_.Advance(d);
  RETURN_IF_ERROR(controller_->Tick());
  return auto_confirm_ ? ConfirmTerminated() : Ok();
}

Status InProcessCluster::ConfirmTerminated() {
  for (const NodeRequest& r : transport_.TakeTerminates()) {
    RETURN_IF_ERROR(controller_->EpilogComplete(r.node, r.job));
  }
  return Ok();
}

Status InProcessCluster::Complete(JobId id, int exit_status, int signal) {
  auto job = Job(id);
  if (!job || job->alloc.nodes.empty()) return Error(ErrorCode::kJobNotRunning);
  int status = signal != 0 ? signal : (exit_status & 0xff) << 8;
  RETURN_IF_ERROR(controller_->JobComplete(job->alloc.nodes.front().node, id, status));
  return auto_confirm_ ? ConfirmTerminated() : Ok();
}

Status InProcessCluster::Confirm(JobId id, const std::string& node) {
  return controller_->EpilogComplete(node, id);
}

Status InProcessCluster::ConfirmAll(JobId id) {
  auto job = Job(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  for (const std::string& node : job->completing_nodes) RETURN_IF_ERROR(Confirm(id, node));
  return Ok();
}

Status InProcessCluster::Finish(JobId id, int exit_status, int signal) {
  RETURN_IF_ERROR(Complete(id, exit_status, signal));
  if (auto job = Job(id); job && job->state == JobState::kCompleting) return ConfirmAll(id);
  return Ok();
}

void InProcessCluster::Crash() {
  store_->CrashForTesting();
  controller_.reset();
  store_.reset();
}

Status InProcessCluster::Restart() {
  controller_.reset();
  store_.reset();
  return Start();
}

std::shared_ptr<const drover::Job> InProcessCluster::Job(JobId id) const {
  return controller_->Snapshot()->FindJob(id);
}

std::shared_ptr<const drover::Node> InProcessCluster::Node(std::string_view name) const {
  return controller_->Snapshot()->FindNode(name);
}

Status InProcessCluster::Reconfigure(std::string_view slurm_conf) {
  ASSIGN_OR_RETURN(auto conf, ParseTestConfig(slurm_conf));
  RETURN_IF_ERROR(controller_->Reconfigure(conf, ctld::Identity{0, 0}));
  config_ = conf;
  return Ok();
}

}  // namespace drover::testing
