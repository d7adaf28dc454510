#include "cli/srun/srun.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <iostream>
#include <optional>

#include "base/clock.h"
#include "cli/common/allocation.h"
#include "cli/common/input_env.h"
#include "cli/common/job_options.h"
#include "cli/common/job_spec_builder.h"
#include "cli/common/signal_fd.h"
#include "cli/common/version.h"
#include "cli/srun/srun_options.h"
#include "cli/srun/step_env.h"
#include "cli/srun/step_io_loop.h"
#include "cli/srun/step_request.h"
#include "cli/srun/task_status.h"
#include "cli/srun/terminal.h"
#include "client/connect.h"

namespace drover::cli::srun {
namespace {

constexpr std::string_view kProg = "srun";

void PrintError(const Invocation& inv, std::string_view message) {
  inv.err << kProg << ": error: " << message << "\n";
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::optional<uint32_t> ToU32(std::string_view s) {
  uint32_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The first IPv4 (else IPv6) address of this host's name, as the nodes would reach it.
std::string LocalAddress(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (host.empty() || getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return "";
  std::string best;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (a->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, buf, sizeof(buf));
      best = buf;
      break;
    }
    if (a->ai_family == AF_INET6 && best.empty()) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, buf,
                sizeof(buf));
      best = buf;
    }
  }
  freeaddrinfo(found);
  return best;
}

std::string Target(const v1::NodeAllocation& node) {
  std::string addr = node.address().empty() ? node.node_name() : node.address();
  if (addr.find(':') != std::string::npos) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(node.port());
}

v1::ExitCode ExitCodeOfStatus(int status) {
  v1::ExitCode code;
  if (WIFSIGNALED(status)) {
    code.set_signal(WTERMSIG(status));
    code.set_core_dumped(WCOREDUMP(status));
  } else {
    code.set_status(WEXITSTATUS(status));
  }
  return code;
}

// How -i was given.
struct StdinPlan {
  bool forward = true;           // srun reads its stdin and sends it
  std::optional<uint32_t> task;  // only to this task
  std::string pattern;           // a file the node opens instead
};

StdinPlan PlanStdin(const std::optional<std::string>& input) {
  StdinPlan plan;
  if (!input || *input == "all") return plan;
  if (*input == "none") {
    plan.forward = false;
    return plan;
  }
  if (auto task = ToU32(*input)) {
    plan.task = *task;
    return plan;
  }
  plan.forward = false;
  plan.pattern = *input;
  return plan;
}

// -o/-e: "all" is the default (srun's own stdout/stderr); anything else a file pattern.
std::string OutputPattern(const std::optional<std::string>& value) {
  if (!value || *value == "all") return "";
  return *value;
}

void PrintMpiTypes(const Invocation& inv) {
  inv.err << "srun: MPI types are...\n";
  for (std::string_view t : {"cray_shasta", "none", "pmi2", "pmix"}) {
    inv.err << "srun: " << t << "\n";
  }
}

// What Run() needs released whatever happens after the allocation exists.
struct OwnAllocation {
  client::ControllerClient& client;
  std::unique_ptr<client::JobEventStream> events;
  uint32_t job_id = 0;
  bool released = false;

  void Release(const v1::ExitCode& code) {
    if (released || !events) return;
    released = true;
    v1::CompleteJobAllocationRequest done;
    done.set_job_id(job_id);
    *done.mutable_exit_code() = code;
    (void)client.CompleteJobAllocation(done);
    events.reset();
  }
};

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client, client::StepIoDialer& dialer,
        const SrunHooks& hooks) {
  JobOptions options;
  if (auto failure = ApplyInputEnvironment(inv.env, kSrun, options)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
  // Inside an allocation SLURM_JOB_NAME is the job's name, not a name for the step: as in
  // Slurm, a step is named by -J or after its command.
  if (inv.Getenv("SLURM_JOB_ID")) options.job_name.reset();
  options.current_source = OptionSource::kCommandLine;
  std::vector<std::string> argv;
  SrunOnlyOptions srun_only;
  if (auto failure = ParseSrunArgs(inv.args, options, srun_only, &argv)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
  const bool pty = srun_only.pty;
  if (pty) options.unbuffered = true;  // as in Slurm, --pty implies -u
  if (options.help) {
    PrintHelp(inv.out);
    return 0;
  }
  if (options.usage) {
    PrintUsage(inv.out);
    return 0;
  }
  if (options.version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (options.mpi == "list") {
    PrintMpiTypes(inv);
    return 0;
  }
  if (argv.empty()) {
    inv.err << kProg << ": fatal: No command given to execute.\n";
    return 1;
  }
  if (options.test_only) {
    PrintError(inv, std::string("allocation failure: ") +
                        std::string(ErrorText(ErrorCode::kNotSupported)));
    return 1;
  }
  const bool quiet = options.quiet > 0;

  std::optional<SignalFd> signals;
  if (hooks.handle_signals) {
    signal(SIGPIPE, SIG_IGN);
    if (pty) {
      signals.emplace(
          std::initializer_list<int>{SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH});
    } else {
      signals.emplace(
          std::initializer_list<int>{SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2});
    }
  }
  const int signal_fd = signals ? signals->fd() : -1;
  auto take_signal = [&signals]() { return signals ? signals->Take() : 0; };

  const std::string cwd = CurrentDir(inv);
  const std::string hostname = ShortHostName();
  std::string submit_line(kProg);
  for (const std::string& a : inv.args) submit_line += " " + a;

  // The allocation: the one we are in, or our own.
  v1::JobAllocation allocation;
  OwnAllocation own{client, nullptr};
  std::map<std::string, std::string> job_env;
  std::optional<std::string> job_id_text = inv.Getenv("SLURM_JOB_ID");
  if (!job_id_text) job_id_text = inv.Getenv("SLURM_JOBID");
  if (job_id_text) {
    std::optional<uint32_t> job_id = ToU32(*job_id_text);
    v1::GetJobAllocationRequest query;
    query.set_job_id(job_id.value_or(0));
    auto found = job_id ? client.GetJobAllocation(query)
                        : Result<v1::JobAllocation>(Error(ErrorCode::kInvalidJobId));
    if (!found) {
      PrintError(inv, "Unable to confirm allocation for job " + *job_id_text + ": " +
                          std::string(ErrorText(found.error().code())));
      inv.err << kProg << ": Check SLURM_JOB_ID environment variable. Expired or invalid job "
              << *job_id_text << "\n";
      return 1;
    }
    allocation = std::move(*found);
    if (allocation.job_id() == 0) allocation.set_job_id(*job_id);
  } else {
    SubmitContext context;
    context.now = SystemClock().Now();
    context.cwd = cwd;
    context.env = inv.env;
    context.hostname = hostname;
    context.sid = static_cast<uint32_t>(getsid(0));
    context.caller_uid = static_cast<uint32_t>(getuid());
    context.default_name = Basename(argv.front());
    context.submit_line = submit_line;
    JobOptions job_options = options;
    // -i/-o/-e are the step's I/O, not a batch job's files.
    job_options.input.reset();
    job_options.output.reset();
    job_options.error.reset();
    auto spec = BuildJobSpec(job_options, context);
    if (!spec) {
      return ReportOptionFailure(OptionFailure{false, spec.error(), {}}, kProg, inv.err);
    }
    v1::AllocateJobRequest request;
    *request.mutable_spec() = std::move(*spec);
    if (options.immediate_s) request.set_immediate_s(*options.immediate_s);
    auto events = client.AllocateJob(request);
    if (!events) {
      PrintError(inv,
                 "Unable to allocate resources: " + std::string(ErrorText(events.error().code())));
      return 1;
    }
    AllocationOutcome outcome = WaitForAllocation(**events, kProg, signal_fd, quiet, inv.err);
    switch (outcome.kind) {
      case AllocationOutcome::Kind::kGranted:
        break;
      case AllocationOutcome::Kind::kInterrupted:
        return 1;
      case AllocationOutcome::Kind::kEnded:
        inv.err << kProg << ": Job allocation " << outcome.job_id << " has been revoked\n";
        return 1;
      case AllocationOutcome::Kind::kFailed:
        PrintError(
            inv, "Unable to allocate resources: " + std::string(ErrorText(outcome.error->code())));
        return 1;
    }
    allocation = std::move(outcome.allocation);
    own.events = std::move(*events);
    own.job_id = allocation.job_id();
    AllocationContext where{cwd, hostname, inv.Getenv("SLURM_CONF").value_or("")};
    job_env = AllocationEnvironment(allocation, where);
    if (options.verbose > 0) {
      std::vector<uint32_t> cpus;
      for (const v1::NodeAllocation& n : allocation.nodes()) cpus.push_back(n.num_cpus());
      inv.err << kProg << ": jobid " << allocation.job_id() << ": nodes(" << allocation.nodes_size()
              << "):`" << allocation.node_list() << "', cpu counts: " << CompressCounts(cpus)
              << "\n";
    }
  }
  const uint32_t job_id = allocation.job_id();
  v1::ExitCode failure_code;
  failure_code.set_status(1);

  // The step.
  v1::CreateStepRequest create;
  create.set_job_id(job_id);
  *create.mutable_spec() = BuildStepSpec(
      options, argv, StepContext{hostname, static_cast<uint32_t>(getpid()), submit_line});
  RetryWait wait = [signal_fd, &take_signal](std::chrono::milliseconds delay) -> int {
    pollfd fd{signal_fd, POLLIN, 0};
    int n = poll(&fd, signal_fd >= 0 ? 1 : 0, static_cast<int>(delay.count()));
    if (n > 0) {
      while (int sig = take_signal()) {
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) return sig;
      }
    }
    return 0;
  };
  auto step = CreateStepRetrying(client, create, wait, quiet, inv.err);
  if (!step) {
    if (step.error().code() != ErrorCode::kCancelled) {
      PrintError(inv, "Unable to create step for job " + std::to_string(job_id) + ": " +
                          std::string(ErrorText(step.error().code())));
    }
    own.Release(failure_code);
    return 1;
  }
  if (step->step_id().job_id() == 0) step->mutable_step_id()->set_job_id(job_id);
  const std::string step_text = StepIdText(step->step_id());

  // The launch, node by node.
  StepEnvInput env_input;
  env_input.caller = inv.env;
  env_input.job = job_env;
  env_input.options = &options;
  env_input.step = *step;
  env_input.launch_address =
      hooks.launch_address.empty() ? LocalAddress(hostname) : hooks.launch_address;
  mode_t mask = umask(0);
  umask(mask);
  env_input.umask = static_cast<uint32_t>(mask);
  std::vector<std::string> environment = BuildStepEnvironment(env_input);

  StdinPlan stdin_plan = PlanStdin(options.input);
  if (pty && stdin_plan.forward && !stdin_plan.task) stdin_plan.task = 0;  // the terminal's
  v1::StepIoRequest launch;
  v1::LaunchTasks* l = launch.mutable_launch();
  l->set_credential(step->credential());
  *l->mutable_step_id() = step->step_id();
  for (const std::string& a : argv) l->add_argv(a);
  for (const std::string& e : environment) l->add_environment(e);
  std::string work_dir = cwd;
  if (options.chdir && !options.chdir->empty()) {
    work_dir = options.chdir->front() == '/' ? *options.chdir : cwd + "/" + *options.chdir;
  }
  l->set_work_dir(work_dir);
  if (stdin_plan.task) l->set_stdin_task(*stdin_plan.task);
  l->set_stdin_none(!stdin_plan.forward && stdin_plan.pattern.empty());
  l->set_std_in_pattern(stdin_plan.pattern);
  l->set_std_out_pattern(OutputPattern(options.output));
  l->set_std_err_pattern(OutputPattern(options.error));
  if (options.open_mode == OpenModeOpt::kAppend) l->set_open_mode(v1::OPEN_MODE_APPEND);
  if (options.open_mode == OpenModeOpt::kTruncate) l->set_open_mode(v1::OPEN_MODE_TRUNCATE);
  l->set_unbuffered(options.unbuffered);
  if (options.cpu_bind) l->set_cpu_bind(*options.cpu_bind);
  if (options.kill_on_bad_exit) l->set_kill_on_bad_exit(*options.kill_on_bad_exit);
  if (options.container) l->set_container(*options.container);
  if (pty) {
    l->set_pty(true);
    if (auto size = TerminalWindowSize(hooks.stdin_fd)) *l->mutable_window_size() = *size;
  }

  uint32_t num_tasks = step->layout().num_tasks();
  std::vector<NodeStream> nodes;
  bool launch_failed = false;
  for (const v1::StepNodeLayout& node : step->layout().nodes()) {
    NodeStream ns;
    ns.node_name = node.allocation().node_name();
    ns.tasks.assign(node.task_ids().begin(), node.task_ids().end());
    if (step->layout().num_tasks() == 0) num_tasks += static_cast<uint32_t>(ns.tasks.size());
    if (options.verbose > 0) {
      inv.err << kProg << ": launching " << step_text << " on host " << ns.node_name << ", "
              << ns.tasks.size() << " tasks: [" << FormatTaskRanges(ns.tasks) << "]\n";
    }
    auto stream = dialer.LaunchTasks(Target(node.allocation()), launch);
    if (!stream) {
      PrintError(inv, "Task launch for " + step_text + " failed on node " + ns.node_name + ": " +
                          std::string(ErrorText(stream.error().code())));
      launch_failed = true;
      break;
    }
    ns.stream = std::move(*stream);
    nodes.push_back(std::move(ns));
  }
  if (launch_failed) {
    PrintError(inv,
               "Application launch failed: " + std::string(ErrorText(ErrorCode::kUnavailable)));
    v1::StepIoRequest kill_request;
    kill_request.mutable_signal()->set_signal(SIGKILL);
    for (NodeStream& ns : nodes) {
      (void)ns.stream->Send(kill_request);
      ns.stream->Cancel();
    }
    v1::CompleteStepRequest done;
    *done.mutable_step_id() = step->step_id();
    *done.mutable_exit_code() = failure_code;
    done.mutable_launch_error()->set_code(v1::ERROR_CODE_UNAVAILABLE);
    (void)client.CompleteStep(done);
    own.Release(failure_code);
    return 1;
  }

  StepIoConfig config;
  config.step_text = step_text;
  config.job_id = job_id;
  config.num_tasks = num_tasks;
  config.label = options.label;
  config.unbuffered = options.unbuffered;
  config.quiet = quiet;
  config.stdin_fd = stdin_plan.forward ? hooks.stdin_fd : -1;
  config.stdin_task = stdin_plan.task;
  config.signal_fd = signal_fd;
  config.take_signal = take_signal;
  config.job_events = own.events.get();
  config.pty = pty;
  const int terminal_fd = hooks.stdin_fd;
  config.window_size = [terminal_fd] { return TerminalWindowSize(terminal_fd); };
  // --pty with a terminal on stdin: raw while the step runs; otherwise bytes are relayed
  // as they come (the pty is the node's either way).
  std::unique_ptr<RawTerminal> raw;
  if (pty && config.stdin_fd >= 0 && isatty(config.stdin_fd) == 1) {
    if (auto entered = RawTerminal::Enter(config.stdin_fd)) raw = std::move(*entered);
  }
  CrlfOstream raw_err(inv.err);
  StepIoResult result = RunStepIo(nodes, config, inv.out, raw ? raw_err : inv.err);
  inv.out.flush();
  raw_err.flush();
  raw.reset();

  v1::ExitCode exit_code = ExitCodeOfStatus(result.highest_status);
  v1::CompleteStepRequest done;
  *done.mutable_step_id() = step->step_id();
  *done.mutable_exit_code() = exit_code;
  if (result.launch_failed) done.mutable_launch_error()->set_code(v1::ERROR_CODE_UNAVAILABLE);
  if (!result.job_ended) (void)client.CompleteStep(done);
  if (result.job_ended) {
    own.events.reset();
  } else {
    own.Release(exit_code);
  }
  return result.launch_failed ? 1 : SrunExitCode(result.highest_status);
}

namespace {

// Reads slurm.conf on the first launch, so --help and option errors need no cluster.
class LazyDialer final : public client::StepIoDialer {
 public:
  explicit LazyDialer(const Environment& env) : env_(env) {}
  Result<std::unique_ptr<client::StepIoStream>> LaunchTasks(
      std::string_view target, const v1::StepIoRequest& launch) override {
    if (!dialer_) {
      ASSIGN_OR_RETURN(dialer_, client::ConnectStepIo(env_));
    }
    return dialer_->LaunchTasks(target, launch);
  }

 private:
  const Environment& env_;
  std::unique_ptr<client::StepIoDialer> dialer_;
};

}  // namespace

int Run(const Invocation& invocation, client::ControllerClient& client) {
  LazyDialer dialer(invocation.env);
  return Run(invocation, client, dialer, SrunHooks{});
}

}  // namespace drover::cli::srun
