#include "noded/batch_stepd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "auth/munge.h"
#include "base/log.h"
#include "drover/v1/node.pb.h"
#include "noded/controller_report.h"
#include "noded/node_scripts.h"
#include "noded/spool.h"
#include "rpc/error_proto.h"
#include "stepd/batch_env.h"
#include "stepd/output_pattern.h"
#include "stepd/step_runner.h"

namespace drover::noded {
namespace {

using std::chrono::milliseconds;

const log::Logger& Log() {
  static const log::Logger logger("stepd");
  return logger;
}

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

void SayReady(int& fd, std::string_view line) {
  if (fd < 0) return;
  std::string text = fmt::format("{}\n", line);
  ssize_t ignored = write(fd, text.data(), text.size());
  (void)ignored;
  close(fd);
  fd = -1;
}

int64_t IntOr(const std::map<std::string, std::string>& conf, const std::string& key,
              int64_t fallback) {
  auto it = conf.find(key);
  if (it == conf.end() || it->second.empty()) return fallback;
  return std::strtoll(it->second.c_str(), nullptr, 10);
}

std::string Get(const std::map<std::string, std::string>& conf, const std::string& key) {
  auto it = conf.find(key);
  return it == conf.end() ? std::string() : it->second;
}

stepd::BatchJobInfo JobInfo(const v1::LaunchBatchRequest& request, const std::string& node,
                            const std::string& conf_path) {
  const v1::JobContext& job = request.job();
  stepd::BatchJobInfo info;
  info.job_id = job.job_id();
  info.job_name = job.job_name();
  info.user = job.user().name();
  info.uid = job.user().uid();
  info.gid = job.group().gid();
  info.nodes = job.node_list().empty() ? node : job.node_list();
  info.num_nodes = std::max(job.nodes_size(), 1);
  if (job.num_tasks() > 0) info.ntasks = job.num_tasks();
  if (job.has_cpus_per_task()) info.cpus_per_task = job.cpus_per_task();
  for (int i = 0; i < job.nodes_size(); ++i) info.cpus_per_node.push_back(job.nodes(i).num_cpus());
  if (info.cpus_per_node.empty()) info.cpus_per_node.push_back(request.allocation().num_cpus());
  uint32_t num_nodes = info.num_nodes;
  for (uint32_t i = 0; i < num_nodes; ++i) {
    if (job.has_ntasks_per_node()) {
      info.tasks_per_node.push_back(job.ntasks_per_node());
    } else {
      uint32_t tasks = std::max<uint32_t>(job.num_tasks(), num_nodes);
      info.tasks_per_node.push_back(tasks / num_nodes + (i < tasks % num_nodes ? 1 : 0));
    }
  }
  if (job.memory_case() == v1::JobContext::kMemPerNodeMb)
    info.mem_per_node_mb = job.mem_per_node_mb();
  if (job.memory_case() == v1::JobContext::kMemPerCpuMb) info.mem_per_cpu_mb = job.mem_per_cpu_mb();
  info.submit_dir = job.submit_dir();
  info.submit_host = job.submit_host();
  info.partition = job.partition();
  info.account = job.account();
  info.qos = job.qos();
  info.reservation = job.reservation();
  info.cluster = job.cluster();
  info.node_name = node;
  if (job.has_array_task_id()) {
    stepd::ArrayTaskInfo array;
    array.array_job_id = job.array_job_id();
    array.task_id = job.array_task_id();
    array.task_count = job.array_task_count();
    array.task_min = job.array_task_min();
    array.task_max = job.array_task_max();
    array.task_step = job.array_task_step();
    info.array = array;
  }
  if (job.start_time() > 0) info.start_time = job.start_time();
  if (job.end_time() > 0) info.end_time = job.end_time();
  info.conf_path = conf_path;
  info.submit_env.assign(request.environment().begin(), request.environment().end());
  return info;
}

// "terminate" or "terminate <why>" (spool.h) -> why the runner ends the step.
stepd::TerminateReason TerminateWhy(std::string_view line) {
  std::string_view why = line.size() > 10 ? line.substr(10) : std::string_view();
  if (why == "timeout") return stepd::TerminateReason::kTimeLimit;
  if (why == "node_fail") return stepd::TerminateReason::kNodeFail;
  if (why == "preempted") return stepd::TerminateReason::kPreempted;
  return stepd::TerminateReason::kCancelled;
}

// What the control thread shares with the main thread: the runner once the script is
// started (none during the prolog), and a terminate that came before it.
struct ControlTarget {
  std::mutex mu;
  stepd::StepRunner* runner = nullptr;  // guarded by mu
  std::optional<stepd::TerminateReason> terminated;  // guarded by mu
  std::atomic<bool> terminate_requested{false};
};

// Serves the control FIFO until `stop_fd` is signalled: "terminate [why]",
// "signal N batch|all", "suspend", "resume".
void ServeControl(int fifo_fd, int stop_fd, ControlTarget* target, uint32_t job_id) {
  std::string pending;
  for (;;) {
    struct pollfd fds[2] = {{fifo_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    char buf[512];
    ssize_t n = read(fifo_fd, buf, sizeof buf);
    if (n <= 0) continue;
    pending.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      std::lock_guard<std::mutex> lock(target->mu);
      stepd::StepRunner* runner = target->runner;
      if (line == "terminate" || line.rfind("terminate ", 0) == 0) {
        Log().Info("JobId={} {} requested", job_id, line);
        if (!target->terminated) target->terminated = TerminateWhy(line);
        target->terminate_requested = true;
        if (runner != nullptr) runner->Terminate(TerminateWhy(line));
      } else if (runner == nullptr) {
        continue;
      } else if (line.rfind("signal ", 0) == 0) {
        int sig = std::atoi(line.c_str() + 7);
        bool batch_only = line.find(" batch") != std::string::npos;
        Status s = runner->Signal(sig, !batch_only);
        Log().Info("JobId={} signal {}: {}", job_id, sig, s ? "sent" : s.error().ToString());
      } else if (line == "suspend" || line == "resume") {
        Status s = runner->Signal(line == "suspend" ? SIGSTOP : SIGCONT, true);
        Log().Info("JobId={} {}: {}", job_id, line, s ? "done" : s.error().ToString());
      } else {
        Log().Warn("JobId={} unknown control request '{}'", job_id, line);
      }
    }
  }
}

}  // namespace

int RunBatchStepd(const std::string& job_dir, int ready_fd) {
  std::signal(SIGHUP, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  auto conf_text = ReadFile(job_dir + "/" + kStepdConfFile);
  auto launch_text = ReadFile(job_dir + "/" + kLaunchFile);
  v1::LaunchBatchRequest request;
  if (!conf_text || !launch_text || !request.ParseFromString(*launch_text)) {
    SayReady(ready_fd, fmt::format("error: cannot read the job's spool dir {}", job_dir));
    return 1;
  }
  const std::map<std::string, std::string> conf = ParseKeyValues(*conf_text);
  log::Options log_options;
  log_options.file = Get(conf, "log_file");
  log::ParseSlurmLevel(Get(conf, "log_level"), &log_options.level);
  log::Configure(log_options);

  const v1::JobContext& job = request.job();
  const uint32_t job_id = job.job_id();
  const std::string node = Get(conf, "node_name");
  int fifo_fd = open((job_dir + "/" + kControlFifo).c_str(), O_RDWR | O_CLOEXEC);
  if (fifo_fd < 0) {
    SayReady(ready_fd, fmt::format("error: cannot open the control FIFO: {}", strerror(errno)));
    return 1;
  }
  (void)WriteFileAtomic(job_dir + "/" + kPidFile, fmt::format("{}\n", getpid()), 0644);

  stepd::BatchJobInfo info = JobInfo(request, node, Get(conf, "conf_path"));
  stepd::PatternContext pattern;
  pattern.job_id = job_id;
  if (job.has_array_task_id()) {
    pattern.array_job_id = job.array_job_id();
    pattern.array_task_id = job.array_task_id();
  }
  pattern.node_name = node;
  pattern.user = job.user().name();
  pattern.job_name = job.job_name();

  stepd::LaunchSpec spec;
  spec.argv.push_back(job_dir + "/" + kScriptFile);
  spec.argv.insert(spec.argv.end(), request.argv().begin(), request.argv().end());
  spec.cwd = !request.work_dir().empty() ? request.work_dir()
             : !job.submit_dir().empty() ? job.submit_dir()
                                         : "/";
  spec.env = stepd::BuildBatchEnv(info);
  spec.uid = job.user().uid();
  spec.gid = job.group().gid();
  spec.user = job.user().name();
  spec.stdout_path = stepd::ResolveOutputPath(request.std_out(), pattern, spec.cwd);
  if (!request.std_err().empty()) {
    spec.stderr_path = stepd::ResolveOutputPath(request.std_err(), pattern, spec.cwd);
  }
  if (!request.std_in().empty()) {
    spec.stdin_path = stepd::ResolveOutputPath(request.std_in(), pattern, spec.cwd);
  }
  bool append =
      request.open_mode() == v1::OPEN_MODE_APPEND ||
      (request.open_mode() == v1::OPEN_MODE_UNSPECIFIED && IntOr(conf, "job_file_append", 0) != 0);
  spec.open_mode = append ? stepd::OpenMode::kAppend : stepd::OpenMode::kTruncate;
  spec.kill_wait = std::chrono::seconds(IntOr(conf, "kill_wait_s", 30));
  spec.unkillable_timeout = std::chrono::seconds(IntOr(conf, "unkillable_timeout_s", 60));
  spec.job_id = job_id;
  spec.node_name = node;

  stepd::TrackerOptions tracker_options;
  tracker_options.name = fmt::format("drover_{}_{}_batch", node, job_id);
  if (request.allocation().mem_mb() > 0) {
    tracker_options.memory_limit_bytes = request.allocation().mem_mb() << 20;
  }
  const NodeScriptOptions scripts = ScriptOptionsFromConf(conf);
  const bool run_prolog = !scripts.prolog.empty() && !PrologRan(scripts.spool_dir, job_id);
  ControlTarget target;
  int stop_fd = eventfd(0, EFD_CLOEXEC);
  std::thread control;
  auto start_control = [&] {
    control = std::thread(ServeControl, fifo_fd, stop_fd, &target, job_id);
  };

  std::unique_ptr<stepd::StepRunner> runner;
  std::string launch_error;
  bool prolog_failed = false;
  bool cancelled_early = false;
  if (run_prolog) {
    // droverd's LaunchBatch answers now; the prolog may take longer than its call. A
    // terminate meanwhile kills the prolog and the script never starts.
    (void)WriteFileAtomic(job_dir + "/" + kStateFile, "PROLOG\n", 0644);
    SayReady(ready_fd, fmt::format("ok {}", getpid()));
    start_control();
    Status ran = RunProlog(scripts, job, spec.cwd,
                           [&target] { return target.terminate_requested.load(); });
    if (target.terminate_requested) {
      cancelled_early = true;
    } else if (!ran) {
      prolog_failed = true;
      launch_error = ran.error().ToString();
    }
  }
  if (!prolog_failed && !cancelled_early) {
    RunTaskProlog(scripts, "", spec);
    if (job.end_time() > 0) {
      spec.time_limit = std::chrono::seconds(std::max<int64_t>(job.end_time() - Now(), 1));
    }
    auto tracker = stepd::CreateBestTracker(tracker_options);
    if (!tracker) {
      launch_error = tracker.error().ToString();
    } else {
      auto started = stepd::StepRunner::Start(spec, std::move(tracker).value());
      if (started) {
        runner = std::move(started).value();
      } else {
        launch_error = started.error().ToString();
      }
    }
  }
  (void)WriteFileAtomic(job_dir + "/" + kStateFile, "RUNNING\n", 0644);
  SayReady(ready_fd, fmt::format("ok {}", getpid()));
  if (!control.joinable()) start_control();
  {
    std::lock_guard<std::mutex> lock(target.mu);
    target.runner = runner.get();
    // A terminate that came between the prolog and the start.
    if (runner && target.terminated) runner->Terminate(*target.terminated);
  }

  stepd::StepResult result;
  if (cancelled_early) {
    result.state = JobState::kCancelled;
    result.exit_code.signal = SIGTERM;
  } else if (runner) {
    Log().Info("JobId={} batch script started, pid {}", job_id, runner->pid());
    result = runner->Wait();
    if (launch_error.empty()) launch_error = result.launch_error;
    RunTaskEpilog(scripts, "", spec);
  } else {
    result.state = JobState::kFailed;
    result.exit_code.exit_status = 1;
  }
  Log().Info("JobId={} JobState={} ExitCode={}{}", job_id, JobStateName(result.state),
             result.exit_code.ToString(),
             launch_error.empty() ? "" : fmt::format(" ({})", launch_error));
  (void)WriteFileAtomic(
      job_dir + "/" + kStateFile,
      fmt::format("{} {}\n", JobStateName(result.state), result.exit_code.ToString()), 0644);

  v1::JobCompleteRequest complete;
  complete.set_job_id(job_id);
  complete.set_node_name(node);
  complete.mutable_exit_code()->set_status(result.exit_code.exit_status);
  complete.mutable_exit_code()->set_signal(result.exit_code.signal);
  complete.set_end_time(Now());
  complete.set_state(static_cast<v1::JobState>(static_cast<int>(result.state) + 1));
  // Processes that outlived SIGKILL: the controller drains this node.
  complete.set_unkillable(result.unkillable);
  if (!launch_error.empty()) {
    *complete.mutable_launch_error() =
        rpc::ToProto(Error(ErrorCode::kInternal, launch_error, fmt::format("job {}", job_id)));
  }
  // The controller drains this node ("Prolog error") and requeues the job, held.
  complete.set_prolog_failed(prolog_failed);
  // The FIFO stays open until the controller has the end: droverd keeps reporting the job
  // as here meanwhile, so a re-registration does not make it look lost.
  bool reported =
      ReportToController(Get(conf, "controller"), auth::Munge(Get(conf, "munge_socket")),
                         "/drover.v1.NodeRegistry/JobComplete", complete.SerializeAsString(),
                         fmt::format("JobId={} JobComplete", job_id));
  uint64_t one = 1;
  ssize_t ignored = write(stop_fd, &one, sizeof one);
  (void)ignored;
  control.join();
  {
    std::lock_guard<std::mutex> lock(target.mu);
    target.runner = nullptr;
  }
  runner.reset();
  close(fifo_fd);
  close(stop_fd);
  (void)RemoveJobDir(job_dir);
  return reported ? 0 : 1;
}

}  // namespace drover::noded
