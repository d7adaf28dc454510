#include "noded/node_daemon.h"

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <tuple>

#include "base/log.h"
#include "noded/controller_report.h"
#include "noded/node_control.h"
#include "noded/spool.h"
#include "noded/step_io.h"
#include "noded/step_spool.h"
#include "rpc/auth_client.h"
#include "rpc/error_proto.h"
#include "rpc/status.h"
#include "stepd/process_tracker.h"

namespace drover::noded {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("noded");
  return logger;
}

constexpr char kVersion[] = "0.1.0";

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

Status MakeDirs(const std::string& path, mode_t mode) {
  for (size_t pos = 1; pos != std::string::npos;) {
    pos = path.find('/', pos + 1);
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return Error(ErrorCode::kIo, fmt::format("mkdir: {}", std::strerror(errno)), prefix);
    }
  }
  return Ok();
}

void AddSteps(const std::vector<v1::StepId>& running,
              google::protobuf::RepeatedPtrField<v1::StepId>* steps) {
  for (const v1::StepId& step : running) *steps->Add() = step;
}

}  // namespace

NodeDaemon::NodeDaemon(NodeDaemonOptions options)
    : options_(std::move(options)), munge_(options_.munge_socket), start_time_(Now()) {}

Result<std::unique_ptr<NodeDaemon>> NodeDaemon::Create(NodeDaemonOptions options) {
  RETURN_IF_ERROR(MakeDirs(options.spool_dir, 0755));
  options.scripts.node_name = options.node_name;
  options.scripts.spool_dir = options.spool_dir;
  options.scripts.conf_path = options.conf_path;
  std::unique_ptr<NodeDaemon> daemon(new NodeDaemon(std::move(options)));
  daemon->service_ = std::make_unique<ControlService>(*daemon);
  daemon->step_io_ = std::make_unique<StepIoService>(*daemon);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(daemon->options_.listen_address, grpc::InsecureServerCredentials(),
                           &daemon->port_);
  builder.RegisterService(daemon->service_.get());
  builder.RegisterService(daemon->step_io_.get());
  daemon->server_ = builder.BuildAndStart();
  if (daemon->server_ == nullptr || daemon->port_ == 0) {
    return Error(ErrorCode::kUnavailable,
                 fmt::format("cannot listen on {}", daemon->options_.listen_address),
                 fmt::format("node {}", daemon->options_.node_name));
  }
  Log().Info("NodeName={} listening on port {}, spool {}", daemon->options_.node_name,
             daemon->port_, daemon->options_.spool_dir);
  daemon->registrar_ = std::thread([d = daemon.get()] { d->RegistrarLoop(); });
  daemon->epilog_thread_ = std::thread([d = daemon.get()] { d->EpilogLoop(); });
  return daemon;
}

NodeDaemon::~NodeDaemon() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
    if (current_call_ != nullptr) current_call_->TryCancel();
  }
  stop_cv_.notify_all();
  {
    std::lock_guard<std::mutex> lock(epilog_mu_);
    epilog_stop_ = true;
  }
  epilog_cv_.notify_all();
  if (registrar_.joinable()) registrar_.join();
  if (epilog_thread_.joinable()) epilog_thread_.join();
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_->Wait();
  }
  Log().Info("NodeName={} stopped; running jobs left to their drover-stepd", options_.node_name);
}

std::vector<uint32_t> NodeDaemon::RunningJobs() const {
  std::vector<uint32_t> running;
  for (const v1::StepId& step : RunningSteps()) {
    if (running.empty() || running.back() != step.job_id()) running.push_back(step.job_id());
  }
  return running;
}

std::vector<v1::StepId> NodeDaemon::RunningSteps() const {
  std::vector<v1::StepId> running;
  for (uint32_t job_id : ListJobDirs(options_.spool_dir)) {
    if (!StepdAlive(JobDir(options_.spool_dir, job_id))) continue;
    v1::StepId& step = running.emplace_back();
    step.set_job_id(job_id);
    step.set_kind(v1::STEP_KIND_BATCH);
  }
  for (auto [job_id, step_id] : ListStepDirs(options_.spool_dir)) {
    if (!StepdAlive(StepDir(options_.spool_dir, job_id, step_id))) continue;
    v1::StepId& step = running.emplace_back();
    step.set_job_id(job_id);
    step.set_kind(v1::STEP_KIND_NORMAL);
    step.set_step_id(step_id);
  }
  std::sort(running.begin(), running.end(), [](const v1::StepId& a, const v1::StepId& b) {
    return std::tuple(a.job_id(), a.kind() != v1::STEP_KIND_BATCH, a.step_id()) <
           std::tuple(b.job_id(), b.kind() != v1::STEP_KIND_BATCH, b.step_id());
  });
  return running;
}

bool NodeDaemon::Stopping() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  return stopping_;
}

int NodeDaemon::SendControlToJob(uint32_t job_id, std::string_view line, bool batch,
                                 bool steps) const {
  int reached = 0;
  std::string batch_dir = JobDir(options_.spool_dir, job_id);
  for (const std::string& dir : JobStepdDirs(options_.spool_dir, job_id)) {
    if ((dir == batch_dir ? batch : steps) && SendControl(dir, line)) ++reached;
  }
  return reached;
}

bool NodeDaemon::JobAlive(uint32_t job_id) const {
  for (const std::string& dir : JobStepdDirs(options_.spool_dir, job_id)) {
    if (StepdAlive(dir)) return true;
  }
  return false;
}

bool NodeDaemon::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(stop_mu_);
  return stop_cv_.wait_for(lock, d, [this] { return stopping_; });
}

// One controller call with a deadline, cancellable by the destructor.
template <typename Call>
static grpc::Status CallWithStop(std::mutex& mu, bool& stopping, grpc::ClientContext*& current,
                                 std::chrono::milliseconds timeout, Call call) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) return grpc::Status(grpc::StatusCode::CANCELLED, "stopping");
    current = &context;
  }
  grpc::Status status = call(context);
  std::lock_guard<std::mutex> lock(mu);
  current = nullptr;
  return status;
}

Status NodeDaemon::RegisterOnce(v1::NodeRegistry::Stub& stub) {
  const NodeDaemonOptions& o = options_;
  v1::RegisterNodeRequest request;
  request.set_node_name(o.node_name);
  request.set_hostname(o.hostname);
  request.set_address(o.address);
  request.set_port(static_cast<uint32_t>(port_));
  request.set_version(kVersion);
  struct utsname uts;
  if (uname(&uts) == 0) {
    request.set_arch(uts.machine);
    request.set_os(fmt::format("{} {}", uts.sysname, uts.release));
  }
  struct sysinfo info;
  if (sysinfo(&info) == 0) {
    request.set_boot_time(Now() - info.uptime);
    request.set_free_mem_mb(static_cast<uint64_t>(info.freeram) * info.mem_unit >> 20);
    request.set_cpu_load(static_cast<double>(info.loads[0]) / (1 << SI_LOAD_SHIFT));
  }
  request.set_daemon_start_time(start_time_);
  v1::NodeResources* r = request.mutable_resources();
  r->set_cpus(o.cpus);
  r->set_boards(o.boards);
  r->set_sockets(o.sockets);
  r->set_cores_per_socket(o.cores_per_socket);
  r->set_threads_per_core(o.threads_per_core);
  r->set_real_memory_mb(o.real_memory_mb);
  r->set_tmp_disk_mb(o.tmp_disk_mb);
  r->set_core_spec_count(o.core_spec_count);
  r->set_mem_spec_limit_mb(o.mem_spec_limit_mb);
  for (const std::string& f : o.features) r->add_features(f);
  std::vector<v1::StepId> running = RunningSteps();
  AddSteps(running, request.mutable_steps());

  v1::RegisterNodeResponse response;
  grpc::Status status = CallWithStop(
      stop_mu_, stopping_, current_call_, o.rpc_timeout,
      [&](grpc::ClientContext& context) { return stub.Register(&context, request, &response); });
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  Log().Info("NodeName={} registered with {} ({} running step(s))", o.node_name, o.controller,
             running.size());
  if (response.heartbeat_interval_s() > 0) {
    auto asked = std::chrono::milliseconds(response.heartbeat_interval_s() * 1000);
    heartbeat_interval_ = std::clamp(asked, std::chrono::milliseconds(1000), kMaxHeartbeat);
  }
  epoch_ = response.controller_epoch();
  TerminateJobs({response.terminate_job_ids().begin(), response.terminate_job_ids().end()});
  return Ok();
}

Status NodeDaemon::HeartbeatOnce(v1::NodeRegistry::Stub& stub, bool* reregister) {
  v1::HeartbeatRequest request;
  request.set_node_name(options_.node_name);
  AddSteps(RunningSteps(), request.mutable_steps());
  struct sysinfo info;
  if (sysinfo(&info) == 0) {
    request.set_free_mem_mb(static_cast<uint64_t>(info.freeram) * info.mem_unit >> 20);
    request.set_cpu_load(static_cast<double>(info.loads[0]) / (1 << SI_LOAD_SHIFT));
  }
  request.set_time(Now());
  v1::HeartbeatResponse response;
  grpc::Status status = CallWithStop(
      stop_mu_, stopping_, current_call_, options_.rpc_timeout,
      [&](grpc::ClientContext& context) { return stub.Heartbeat(&context, request, &response); });
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  *reregister = response.reregister() || response.controller_epoch() != epoch_;
  TerminateJobs({response.terminate_job_ids().begin(), response.terminate_job_ids().end()});
  return Ok();
}

void NodeDaemon::TerminateJobs(const std::vector<uint32_t>& job_ids) {
  for (uint32_t job_id : job_ids) {
    int reached = SendControlToJob(job_id, "terminate", true, true);
    Log().Info("JobId={} terminate (controller does not know it): sent to {} stepd(s)", job_id,
               reached);
  }
}

void NodeDaemon::QueueEpilogComplete(uint32_t job_id) {
  {
    std::lock_guard<std::mutex> lock(epilog_mu_);
    if (epilog_stop_) return;
    epilog_jobs_.insert(job_id);
  }
  epilog_cv_.notify_all();
}

Status NodeDaemon::EnsureProlog(const v1::JobContext& job, const std::string& work_dir,
                                const std::function<bool()>& cancelled) {
  if (options_.scripts.prolog.empty()) return Ok();
  const uint32_t job_id = job.job_id();
  std::shared_ptr<std::mutex> run;
  {
    std::lock_guard<std::mutex> lock(prolog_mu_);
    std::shared_ptr<std::mutex>& slot = prolog_runs_[job_id];
    if (!slot) slot = std::make_shared<std::mutex>();
    run = slot;
  }
  std::lock_guard<std::mutex> run_lock(*run);
  {
    std::lock_guard<std::mutex> lock(prolog_mu_);
    if (prolog_failed_.contains(job_id)) {
      return Error(ErrorCode::kInternal, std::string(kPrologFailedText),
                   fmt::format("job {} node {}", job_id, options_.node_name));
    }
  }
  Status ran = RunProlog(options_.scripts, job, work_dir, cancelled);
  if (ran || (cancelled && cancelled())) return ran;
  {
    std::lock_guard<std::mutex> lock(prolog_mu_);
    prolog_failed_.insert(job_id);
  }
  v1::JobCompleteRequest report;
  report.set_job_id(job_id);
  report.set_node_name(options_.node_name);
  report.mutable_exit_code()->set_status(1);
  report.set_end_time(Now());
  report.set_state(v1::JOB_STATE_FAILED);
  *report.mutable_launch_error() = rpc::ToProto(ran.error());
  report.set_prolog_failed(true);
  // In the background: srun hears of the failure now, whether the controller is up or not.
  std::thread([controller = options_.controller, munge = munge_,
               body = report.SerializeAsString(), job_id] {
    (void)ReportToController(controller, munge, "/drover.v1.NodeRegistry/JobComplete", body,
                             fmt::format("JobId={} JobComplete (prolog failed)", job_id));
  }).detach();
  return ran;
}

bool NodeDaemon::SendEpilogComplete(v1::NodeRegistry::Stub& stub, uint32_t job_id,
                                    int epilog_status) {
  v1::EpilogCompleteRequest request;
  request.set_job_id(job_id);
  request.set_node_name(options_.node_name);
  if (epilog_status != 0) {
    // The wait status as N:S, as the job's own exit code is reported.
    if (WIFSIGNALED(epilog_status)) {
      request.mutable_status()->set_signal(WTERMSIG(epilog_status));
    } else {
      request.mutable_status()->set_status(WIFEXITED(epilog_status) ? WEXITSTATUS(epilog_status)
                                                                     : 1);
    }
  }
  v1::EpilogCompleteResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.rpc_timeout);
  grpc::Status status = stub.EpilogComplete(&context, request, &response);
  if (status.ok()) {
    Log().Info("JobId={} EpilogComplete acknowledged", job_id);
    return true;
  }
  Error error = rpc::FromGrpcStatus(status);
  if (error.code() == ErrorCode::kAccessDenied || error.code() == ErrorCode::kInvalidArgument ||
      error.code() == ErrorCode::kNotSupported) {
    Log().Error("JobId={} EpilogComplete refused: {}", job_id, error.ToString());
    return true;
  }
  Log().Debug("JobId={} EpilogComplete failed: {}; retrying", job_id, error.ToString());
  return false;
}

void NodeDaemon::EpilogLoop() {
  // How often to look whether a terminated job's stepd is gone (only while some job waits
  // for it: a supervisor exits milliseconds after its job, and the node's resources are
  // idle until the controller hears of it), and the retry backoff.
  constexpr std::chrono::milliseconds kPoll(5);
  auto connect = [this] {
    return v1::NodeRegistry::NewStub(rpc::CreateAuthenticatedChannel(options_.controller, munge_));
  };
  auto stub = connect();
  std::chrono::milliseconds backoff(100);
  // Epilogs still running when the daemon stops are killed (their `cancelled` sees
  // epilog_stop_) and waited for; the controller asks again when the node registers.
  struct JoinRuns {
    std::map<uint32_t, EpilogRun>& runs;
    ~JoinRuns() {
      for (auto& [job_id, run] : runs) {
        if (run.thread.joinable()) run.thread.join();
      }
      runs.clear();
    }
  } join_runs{epilog_runs_};
  auto stopping = [this] {
    std::lock_guard<std::mutex> lock(epilog_mu_);
    return epilog_stop_;
  };
  for (;;) {
    std::set<uint32_t> jobs;
    {
      std::unique_lock<std::mutex> lock(epilog_mu_);
      epilog_cv_.wait(lock, [this] { return epilog_stop_ || !epilog_jobs_.empty(); });
      if (epilog_stop_) return;
      jobs = epilog_jobs_;
    }
    bool failed = false;
    for (uint32_t job_id : jobs) {
      if (!epilog_done_.contains(job_id)) {
        if (JobAlive(job_id)) continue;  // still cleaning up
        // The Epilog runs once the job's processes are gone, before the confirmation.
        auto run = epilog_runs_.find(job_id);
        if (run == epilog_runs_.end()) {
          // A supervisor that died (kill -9) leaves its processes behind, frozen if it
          // died mid-signal: they go before the epilog runs and the node confirms.
          auto leftovers = stepd::KillLeftoverContainers(
              fmt::format("drover_{}_{}_", options_.node_name, job_id), std::chrono::seconds(5));
          if (!leftovers) {
            Log().Error("JobId={} processes left behind: {}", job_id,
                        leftovers.error().ToString());
          } else if (*leftovers > 0) {
            Log().Warn("JobId={} killed {} process(es) a dead supervisor left", job_id,
                       *leftovers);
          }
          auto status = std::make_shared<std::atomic<int>>(-1);
          EpilogRun& started = epilog_runs_[job_id];
          started.status = status;
          started.thread = std::thread([this, job_id, status, stopping] {
            status->store(RunEpilog(options_.scripts, job_id, stopping));
            epilog_cv_.notify_all();
          });
          continue;
        }
        int status = run->second.status->load();
        if (status < 0) continue;  // still running
        run->second.thread.join();
        epilog_runs_.erase(run);
        epilog_done_[job_id] = status;
      }
      if (SendEpilogComplete(*stub, job_id, epilog_done_[job_id])) {
        epilog_done_.erase(job_id);
        {
          std::lock_guard<std::mutex> lock(prolog_mu_);
          prolog_runs_.erase(job_id);
          prolog_failed_.erase(job_id);
        }
        std::lock_guard<std::mutex> lock(epilog_mu_);
        epilog_jobs_.erase(job_id);
      } else {
        failed = true;
      }
    }
    if (failed) {
      stub = connect();  // as the registrar: a fresh channel reconnects sooner
    } else {
      backoff = std::chrono::milliseconds(100);
    }
    std::unique_lock<std::mutex> lock(epilog_mu_);
    epilog_cv_.wait_for(lock, failed ? backoff : kPoll, [this] { return epilog_stop_; });
    if (epilog_stop_) return;
    if (failed) backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void NodeDaemon::RegistrarLoop() {
  // A failed call gets a fresh channel: a channel that failed to connect waits out gRPC's
  // own reconnect backoff (which grows past ours), and the controller may be back sooner.
  auto connect = [this] {
    return v1::NodeRegistry::NewStub(rpc::CreateAuthenticatedChannel(options_.controller, munge_));
  };
  auto stub = connect();
  heartbeat_interval_ = std::min(options_.heartbeat_interval, kMaxHeartbeat);
  std::chrono::milliseconds backoff(100);
  bool need_register = true;
  for (;;) {
    if (need_register) {
      Status s = RegisterOnce(*stub);
      if (s) {
        registered_ = true;
        need_register = false;
        backoff = std::chrono::milliseconds(100);
      } else {
        Log().Log(backoff >= options_.max_backoff ? log::Level::kWarning : log::Level::kDebug,
                  "NodeName={} registration with {} failed: {}; retrying in {} ms",
                  options_.node_name, options_.controller, s.error().ToString(), backoff.count());
        if (options_.registration_failed_for_testing) {
          options_.registration_failed_for_testing(s.error());
        }
        if (SleepFor(backoff)) return;
        backoff = std::min(backoff * 2, options_.max_backoff);
        stub = connect();
        continue;
      }
    }
    if (SleepFor(heartbeat_interval_)) return;
    bool reregister = false;
    Status s = HeartbeatOnce(*stub, &reregister);
    if (!s) {
      Log().Debug("NodeName={} heartbeat failed: {}", options_.node_name, s.error().ToString());
      // The controller is down or restarting, or no longer knows this node: register
      // again (with backoff), which also re-reports the running jobs.
      stub = connect();
      registered_ = false;
      need_register = true;
      continue;
    }
    if (reregister) {
      registered_ = false;
      need_register = true;
    }
  }
}

}  // namespace drover::noded
