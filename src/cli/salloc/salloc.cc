#include "cli/salloc/salloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <optional>

#include "base/clock.h"
#include "cli/common/allocation.h"
#include "cli/common/input_env.h"
#include "cli/common/job_options.h"
#include "cli/common/job_spec_builder.h"
#include "cli/common/signal_fd.h"
#include "cli/common/version.h"
#include "client/connect.h"

extern char** environ;

namespace drover::cli::salloc {
namespace {

constexpr std::string_view kProg = "salloc";

void PrintError(const Invocation& inv, std::string_view message) {
  inv.err << kProg << ": error: " << message << "\n";
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// A command started with fork+exec, watched through a pidfd when the kernel has them.
struct Child {
  pid_t pid = -1;
  int pidfd = -1;
  std::optional<int> status;  // the wait status once reaped

  bool Reap(bool block) {
    if (status) return true;
    int st = 0;
    pid_t r;
    do {
      r = waitpid(pid, &st, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid) status = st;
    return status.has_value();
  }
  ~Child() {
    if (pidfd >= 0) close(pidfd);
  }
};

// Starts `argv` with `env`; in the child the signal mask is `mask` again.
Result<void> Spawn(const std::vector<std::string>& argv, const Environment& env,
                   const sigset_t* mask, Child& child) {
  std::vector<std::string> entries;
  for (const auto& [name, value] : env) entries.push_back(name + "=" + value);
  std::vector<char*> cargv, cenv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (std::string& e : entries) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = fork();
  if (pid < 0) return Error(ErrorCode::kIo, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    if (mask != nullptr) sigprocmask(SIG_SETMASK, mask, nullptr);
    signal(SIGPIPE, SIG_DFL);
    environ = cenv.data();
    execvp(cargv[0], cargv.data());
    int e = errno;
    std::string msg = std::string(kProg) + ": error: Unable to exec command \"" + argv[0] +
                      "\": " + std::strerror(e) + "\n";
    (void)!write(STDERR_FILENO, msg.data(), msg.size());
    _exit(e == ENOENT ? 127 : 126);
  }
  child.pid = pid;
  child.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  return Ok();
}

// The wait status as salloc's exit code: the command's, or 128+N for signal N.
int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

v1::ExitCode ExitCodeMessage(int status) {
  v1::ExitCode code;
  if (WIFEXITED(status)) code.set_status(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    code.set_signal(WTERMSIG(status));
    code.set_core_dumped(WCOREDUMP(status));
  }
  return code;
}

void PrintRevoked(const Invocation& inv, uint32_t job_id, const v1::JobEnded& ended) {
  if (ended.state() == v1::JOB_STATE_TIMEOUT) {
    inv.err << kProg << ": Job " << job_id
            << " has exceeded its time limit and its allocation has been revoked.\n";
  } else {
    inv.err << kProg << ": Job allocation " << job_id << " has been revoked.\n";
  }
  inv.err.flush();
}

void ReportAllocateError(const Invocation& inv, const Error& error, bool immediate) {
  if (immediate && (error.code() == ErrorCode::kNodesBusy ||
                    error.code() == ErrorCode::kCanNotStartImmediately)) {
    PrintError(
        inv, std::string("Unable to allocate resources: ") + std::string(ErrorText(error.code())));
    return;
  }
  std::string_view message = error.message();
  if (!message.empty() && message != ErrorText(error.code())) PrintError(inv, message);
  PrintError(inv,
             std::string("Job submit/allocate failed: ") + std::string(ErrorText(error.code())));
}

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client, const SallocHooks& hooks) {
  JobOptions options;
  if (auto failure = ApplyInputEnvironment(inv.env, kSalloc, options)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
  options.current_source = OptionSource::kCommandLine;
  std::vector<std::string> command;
  if (auto failure = ParseAndApply(inv.args, kSalloc, Permute::kStopAtFirst, options, &command)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
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
  if (options.test_only) {
    PrintError(inv, std::string("allocation failure: ") +
                        std::string(ErrorText(ErrorCode::kNotSupported)));
    return 1;
  }
  if (command.empty() && !options.no_shell) {
    std::string shell = inv.Getenv("SHELL").value_or("");
    command.push_back(shell.empty() ? "/bin/sh" : shell);
  }

  SubmitContext context;
  context.now = SystemClock().Now();
  context.cwd = CurrentDir(inv);
  context.env = inv.env;
  context.hostname = ShortHostName();
  context.sid = static_cast<uint32_t>(getsid(0));
  context.caller_uid = static_cast<uint32_t>(getuid());
  context.default_name = command.empty() ? "interactive" : Basename(command.front());
  context.submit_line = std::string(kProg);
  for (const std::string& a : inv.args) context.submit_line += " " + a;
  auto spec = BuildJobSpec(options, context);
  if (!spec) {
    if (spec.error().code() == ErrorCode::kDependency) {
      ReportAllocateError(inv, spec.error(), false);
      return 1;
    }
    return ReportOptionFailure(OptionFailure{false, spec.error(), {}}, kProg, inv.err);
  }

  std::optional<SignalFd> signals;
  if (hooks.handle_signals) {
    // A reader that went away (salloc ... | head) must not kill salloc before it gives
    // the allocation back; the command gets the default disposition again.
    signal(SIGPIPE, SIG_IGN);
    signals.emplace(std::initializer_list<int>{SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2});
  }
  int signal_fd = signals ? signals->fd() : -1;

  v1::AllocateJobRequest request;
  *request.mutable_spec() = std::move(*spec);
  if (options.immediate_s) request.set_immediate_s(*options.immediate_s);
  auto events = client.AllocateJob(request);
  if (!events) {
    ReportAllocateError(inv, events.error(), options.immediate_s.has_value());
    return 1;
  }
  AllocationOutcome outcome =
      WaitForAllocation(**events, kProg, signal_fd, options.quiet > 0, inv.err);
  switch (outcome.kind) {
    case AllocationOutcome::Kind::kGranted:
      break;
    case AllocationOutcome::Kind::kInterrupted:
      return 1;
    case AllocationOutcome::Kind::kEnded:
      PrintRevoked(inv, outcome.job_id, outcome.ended);
      return 1;
    case AllocationOutcome::Kind::kFailed:
      ReportAllocateError(inv, *outcome.error, options.immediate_s.has_value());
      return 1;
  }
  const uint32_t job_id = outcome.job_id;
  if (options.no_shell) return 0;

  AllocationContext where{context.cwd, context.hostname, client::SlurmConfPath(inv.env)};
  if (!inv.Getenv("SLURM_CONF")) where.conf_path.clear();
  Environment env = inv.env;
  for (auto& [name, value] : AllocationEnvironment(outcome.allocation, where)) env[name] = value;

  Child child;
  if (auto started = Spawn(command, env, signals ? &signals->previous_mask() : nullptr, child);
      !started) {
    PrintError(inv, started.error().message());
    inv.err << kProg << ": Relinquishing job allocation " << job_id << "\n";
    v1::CompleteJobAllocationRequest done;
    done.set_job_id(job_id);
    done.mutable_exit_code()->set_status(1);
    (void)client.CompleteJobAllocation(done);
    return 1;
  }

  // Watch the command, the job and the signals until the command is gone.
  bool revoked = false;
  bool stream_open = true;
  std::optional<std::chrono::steady_clock::time_point> kill_at;
  client::JobEventStream& stream = **events;
  while (!child.Reap(false)) {
    while (stream_open && !revoked) {
      std::optional<v1::JobEvent> event = stream.TakeEvent();
      if (!event) break;
      if (event->event_case() == v1::JobEvent::kEnded) {
        revoked = true;
        PrintRevoked(inv, job_id, event->ended());
        kill(child.pid, SIGHUP);
        kill_at = std::chrono::steady_clock::now() + kKillWait;
      }
    }
    if (stream_open && stream.done()) stream_open = false;
    pollfd fds[3];
    int n = 0;
    int child_slot = -1, stream_slot = -1, signal_slot = -1;
    if (child.pidfd >= 0) {
      child_slot = n;
      fds[n++] = {child.pidfd, POLLIN, 0};
    }
    if (stream_open && !revoked) {
      stream_slot = n;
      fds[n++] = {stream.fd(), stream.events(), 0};
    }
    if (signal_fd >= 0) {
      signal_slot = n;
      fds[n++] = {signal_fd, POLLIN, 0};
    }
    int timeout_ms = child.pidfd >= 0 ? -1 : 100;
    if (kill_at) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *kill_at - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        kill(child.pid, SIGKILL);
        kill_at.reset();
        continue;
      }
      timeout_ms = timeout_ms < 0 ? static_cast<int>(left.count())
                                  : std::min<int>(timeout_ms, static_cast<int>(left.count()));
    }
    int ready = poll(fds, n, timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (stream_slot >= 0 && fds[stream_slot].revents != 0) {
      if (!stream.OnReady(fds[stream_slot].revents)) stream_open = false;
    }
    if (signal_slot >= 0 && (fds[signal_slot].revents & POLLIN) != 0) {
      // Ctrl-C and Ctrl-\ reach the command from the terminal; salloc ignores them, as
      // Slurm's does. The others are meant for the command.
      while (int sig = signals->Take()) {
        if (sig != SIGINT && sig != SIGQUIT) kill(child.pid, sig);
      }
    }
    (void)child_slot;
  }
  child.Reap(true);
  int status = *child.status;
  int code = ExitCodeOf(status);
  if (!revoked) {
    if (options.quiet == 0) inv.err << kProg << ": Relinquishing job allocation " << job_id << "\n";
    inv.err.flush();
    v1::CompleteJobAllocationRequest done;
    done.set_job_id(job_id);
    *done.mutable_exit_code() = ExitCodeMessage(status);
    if (auto r = client.CompleteJobAllocation(done); !r) {
      PrintError(inv, std::string("Unable to release job allocation: ") +
                          std::string(ErrorText(r.error().code())));
    }
  }
  return code;
}

int Run(const Invocation& invocation, client::ControllerClient& client) {
  return Run(invocation, client, SallocHooks{});
}

}  // namespace drover::cli::salloc
