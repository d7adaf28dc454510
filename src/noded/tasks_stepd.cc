#include "noded/tasks_stepd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <chrono>
#include <optional>
#include <thread>

#include "auth/munge.h"
#include "base/log.h"
#include "drover/v1/credential.pb.h"
#include "drover/v1/node.pb.h"
#include "noded/controller_report.h"
#include "noded/node_scripts.h"
#include "noded/spool.h"
#include "noded/step_spool.h"
#include "rpc/error_proto.h"
#include "stepd/output_pattern.h"
#include "stepd/task_env.h"
#include "stepd/task_exec.h"
#include "stepd/task_group.h"

namespace drover::noded {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("stepd");
  return logger;
}

// Output read while srun cannot take it (no droverd connected) is kept up to this much;
// with a connection, the pipes are not read past it until srun catches up.
constexpr size_t kMaxQueued = 4u << 20;
// How long the output of an ended step waits for droverd's first connection.
constexpr std::chrono::seconds kUnsentOutputGrace{30};
constexpr size_t kReadChunk = 64u << 10;

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

std::string NowIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

void SayReady(int& fd, std::string_view line) {
  if (fd < 0) return;
  std::string text = fmt::format("{}\n", line);
  ssize_t ignored = write(fd, text.data(), text.size());
  (void)ignored;
  close(fd);
  fd = -1;
}

std::string Get(const std::map<std::string, std::string>& conf, const std::string& key) {
  auto it = conf.find(key);
  return it == conf.end() ? std::string() : it->second;
}

int64_t IntOr(const std::map<std::string, std::string>& conf, const std::string& key,
              int64_t fallback) {
  std::string value = Get(conf, key);
  return value.empty() ? fallback : std::strtoll(value.c_str(), nullptr, 10);
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// "DUE TO ..." for the banner.
std::string_view Clause(stepd::TerminateReason why) {
  switch (why) {
    case stepd::TerminateReason::kCancelled:
      return "";
    case stepd::TerminateReason::kTimeLimit:
      return " DUE TO TIME LIMIT";
    case stepd::TerminateReason::kNodeFail:
      return " DUE TO NODE FAILURE";
    case stepd::TerminateReason::kPreempted:
      return " DUE TO PREEMPTION";
  }
  return "";
}

stepd::TerminateReason TerminateWhy(std::string_view line) {
  std::string_view why = line.size() > 10 ? line.substr(10) : std::string_view();
  if (why == "timeout") return stepd::TerminateReason::kTimeLimit;
  if (why == "node_fail") return stepd::TerminateReason::kNodeFail;
  if (why == "preempted") return stepd::TerminateReason::kPreempted;
  return stepd::TerminateReason::kCancelled;
}

// A Unix stream socket listening at `path` (root only).
Result<int> Listen(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Error(ErrorCode::kPathnameTooLong, "socket path too long", path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Error(ErrorCode::kIo, fmt::format("socket: {}", std::strerror(errno)));
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0) {
    int err = errno;
    close(fd);
    return Error(ErrorCode::kIo, fmt::format("bind/listen: {}", std::strerror(err)), path);
  }
  chmod(path.c_str(), 0600);
  return fd;
}

// One local task's descriptors as the supervisor holds them. With --pty, task 0's are
// three descriptors of one pseudo-terminal master: out_fd reads what the task writes
// (stdout and stderr together), in_fd takes its input, tty_fd stays open for the
// terminal's controls (window size, foreground process group, EOF character).
struct TaskIo {
  uint32_t rank = 0;
  int out_fd = -1;  // read ends, non-blocking; -1 when closed or a file
  int err_fd = -1;
  int in_fd = -1;  // write end of the stdin pipe, non-blocking; -1: none or closed
  int tty_fd = -1;
  std::string in_pending;
  bool in_eof = false;
  bool in_line_start = true;  // pty: the input so far ends with a newline (or is empty)
};

// Signals a terminal's keyboard sends: with --pty they go to the terminal's foreground
// process group (the command the shell runs, else the shell), as if typed.
bool KeyboardSignal(int sig) {
  return sig == SIGINT || sig == SIGQUIT || sig == SIGTSTP || sig == SIGWINCH;
}

void SetWindowSize(int tty_fd, const v1::WindowSize& size) {
  if (size.rows() == 0 && size.cols() == 0) return;
  winsize ws{};
  ws.ws_row = static_cast<unsigned short>(std::min<uint32_t>(size.rows(), 0xffff));
  ws.ws_col = static_cast<unsigned short>(std::min<uint32_t>(size.cols(), 0xffff));
  (void)ioctl(tty_fd, TIOCSWINSZ, &ws);  // the kernel sends SIGWINCH on a change
}

// A new pseudo-terminal for `io`'s task: its master's descriptors go to `io`, the slave
// (owned by `uid`, mode 0620, not this process's controlling terminal) is returned for
// the task's stdin, stdout and stderr.
Result<int> OpenPty(TaskIo& io, uid_t uid, const v1::WindowSize& size) {
  auto fail = [](std::string_view what) {
    return Error(ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(errno)));
  };
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return fail("posix_openpt");
  char name[64];
  int slave = -1;
  if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0) {
    Error e = fail("grantpt/unlockpt/ptsname");
    close(master);
    return e;
  }
  slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0 || fchown(slave, uid, static_cast<gid_t>(-1)) != 0 || fchmod(slave, 0620) != 0) {
    Error e = fail(name);
    if (slave >= 0) close(slave);
    close(master);
    return e;
  }
  SetWindowSize(master, size);
  fcntl(master, F_SETFL, O_NONBLOCK);  // shared by the duplicates below
  io.out_fd = master;
  io.in_fd = fcntl(master, F_DUPFD_CLOEXEC, 3);
  io.tty_fd = fcntl(master, F_DUPFD_CLOEXEC, 3);
  if (io.in_fd < 0 || io.tty_fd < 0) {
    Error e = fail("dup");
    close(slave);
    return e;  // the destructor closes what `io` holds
  }
  return slave;
}

// What the task-waiting and FIFO threads hand to the I/O loop.
struct Shared {
  std::mutex mu;
  std::vector<std::string> messages;  // StepMessage texts (banners)
  std::optional<stepd::TaskGroupResult> result;
};

class TasksStepd {
 public:
  TasksStepd(std::string dir, int ready_fd) : dir_(std::move(dir)), ready_fd_(ready_fd) {}
  ~TasksStepd();
  int Run();

 private:
  Status Load();
  Result<std::vector<stepd::LaunchSpec>> BuildSpecs();
  void Queue(const v1::StepIoResponse& response, bool droppable = false);
  void QueueMessage(const std::string& text);
  void Wake();
  void ServeControl();
  void IoLoop();
  void HandleRequest(const v1::StepIoRequest& request);
  void QueueTerminalInput(TaskIo& task, const v1::StdinData& input);
  // With a pty, a keyboard signal for task 0 goes to the terminal's foreground process
  // group; `which` then keeps the other tasks to signal. Returns whether nothing is left.
  bool SignalForeground(int sig, std::vector<size_t>& which);
  void FlushStdin(TaskIo& task);
  void ReadOutput(TaskIo& task, bool stderr_stream, bool drain);
  void WriteOut();
  void DropConnection();
  void QueueEnd(const stepd::TaskGroupResult& result);
  void Finish(const stepd::TaskGroupResult* result, const std::string& launch_error);

  const std::string dir_;
  int ready_fd_;

  // Constant after Load().
  std::map<std::string, std::string> conf_;
  v1::LaunchTasks launch_;
  v1::StepCredentialPayload grant_;
  std::string node_;
  uint32_t node_index_ = 0;
  std::string step_name_;  // "42.3" for log lines and the banner

  int fifo_fd_ = -1;
  int listen_fd_ = -1;
  int conn_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: the other threads have something for the I/O loop
  int stop_fd_ = -1;  // eventfd: the FIFO thread stops
  std::vector<TaskIo> tasks_;
  std::unique_ptr<stepd::TaskGroup> group_;
  FrameReader reader_;
  std::deque<std::pair<std::string, bool>> out_;  // encoded frames, droppable (output)
  size_t out_offset_ = 0;                         // bytes of out_.front() already sent
  size_t out_bytes_ = 0;
  Shared shared_;
};

TasksStepd::~TasksStepd() {
  for (TaskIo& t : tasks_) {
    CloseFd(t.out_fd);
    CloseFd(t.err_fd);
    CloseFd(t.in_fd);
    CloseFd(t.tty_fd);
  }
  CloseFd(conn_fd_);
  CloseFd(listen_fd_);
  CloseFd(wake_fd_);
  CloseFd(stop_fd_);
  CloseFd(fifo_fd_);
}

Status TasksStepd::Load() {
  ASSIGN_OR_RETURN(std::string conf_text, ReadFile(dir_ + "/" + kStepdConfFile));
  ASSIGN_OR_RETURN(std::string launch_text, ReadFile(dir_ + "/" + kLaunchFile));
  ASSIGN_OR_RETURN(std::string grant_text, ReadFile(dir_ + "/" + kCredentialFile));
  if (!launch_.ParseFromString(launch_text) || !grant_.ParseFromString(grant_text)) {
    return Error(ErrorCode::kInternal, "cannot parse the step's spool files", dir_);
  }
  conf_ = ParseKeyValues(conf_text);
  node_ = Get(conf_, "node_name");
  step_name_ = fmt::format("{}.{}", grant_.step_id().job_id(), grant_.step_id().step_id());
  const v1::StepLayout& layout = grant_.layout();
  for (int i = 0; i < layout.nodes_size(); ++i) {
    if (layout.nodes(i).allocation().node_name() != node_) continue;
    node_index_ = static_cast<uint32_t>(i);
    for (uint32_t rank : layout.nodes(i).task_ids()) {
      TaskIo task;
      task.rank = rank;
      tasks_.push_back(std::move(task));
    }
    if (tasks_.empty()) return Error(ErrorCode::kInvalidArgument, "no task on this node");
    return Ok();
  }
  return Error(ErrorCode::kInvalidJobCredential, "the step has no tasks on this node", node_);
}

Result<std::vector<stepd::LaunchSpec>> TasksStepd::BuildSpecs() {
  const v1::JobContext& job = grant_.job();
  const v1::StepLayout& layout = grant_.layout();
  const v1::StepNodeLayout& here = layout.nodes(static_cast<int>(node_index_));
  stepd::StepTaskInfo info;
  info.job_id = grant_.step_id().job_id();
  info.step_id = grant_.step_id().step_id();
  info.node_name = node_;
  info.node_index = node_index_;
  info.step_node_list = layout.node_list().empty() ? node_ : layout.node_list();
  info.step_num_tasks = layout.num_tasks();
  for (const v1::StepNodeLayout& n : layout.nodes()) {
    info.step_tasks_per_node.push_back(static_cast<uint32_t>(n.task_ids_size()));
    if (layout.num_tasks() == 0) info.step_num_tasks += static_cast<uint32_t>(n.task_ids_size());
  }
  info.local_ranks.assign(here.task_ids().begin(), here.task_ids().end());
  info.job_node_list = job.node_list();
  info.cpus_on_node = here.allocation().num_cpus();
  for (const v1::NodeAllocation& a : job.nodes()) {
    if (a.node_name() == node_ && a.num_cpus() > 0) info.cpus_on_node = a.num_cpus();
  }
  info.conf_path = Get(conf_, "conf_path");
  std::vector<std::string> srun_env(launch_.environment().begin(), launch_.environment().end());

  stepd::PatternContext pattern;
  pattern.job_id = info.job_id;
  if (job.has_array_task_id()) {
    pattern.array_job_id = job.array_job_id();
    pattern.array_task_id = job.array_task_id();
  }
  pattern.step_id = info.step_id;
  pattern.node_name = node_;
  pattern.node_index = node_index_;
  pattern.user = grant_.user().name();
  pattern.job_name = job.job_name();

  bool append =
      launch_.open_mode() == v1::OPEN_MODE_APPEND ||
      (launch_.open_mode() == v1::OPEN_MODE_UNSPECIFIED && IntOr(conf_, "job_file_append", 0) != 0);
  std::string cwd = !launch_.work_dir().empty() ? launch_.work_dir()
                    : !job.submit_dir().empty() ? job.submit_dir()
                                                : "/";
  std::map<std::string, int> opened;  // output file -> tasks writing it so far
  auto open_mode = [&](const std::string& path) {
    if (append || opened[path]++ > 0) return stepd::OpenMode::kAppend;
    return stepd::OpenMode::kTruncateShared;
  };
  auto make_pipe = [](int* read_end, int* write_end, bool nonblocking_write) -> Status {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return Error(ErrorCode::kIo, fmt::format("pipe: {}", std::strerror(errno)));
    }
    fcntl(nonblocking_write ? fds[1] : fds[0], F_SETFL, O_NONBLOCK);
    *read_end = fds[0];
    *write_end = fds[1];
    return Ok();
  };

  std::vector<stepd::LaunchSpec> specs;
  for (uint32_t local = 0; local < tasks_.size(); ++local) {
    TaskIo& io = tasks_[local];
    stepd::LaunchSpec spec;
    spec.argv.assign(launch_.argv().begin(), launch_.argv().end());
    for (const v1::TaskCommand& command : launch_.multi_prog()) {
      for (const v1::IdRange& range : command.task_ids()) {
        if (io.rank >= range.first() && io.rank <= range.last()) {
          spec.argv.assign(command.argv().begin(), command.argv().end());
        }
      }
    }
    spec.cwd = cwd;
    spec.bad_cwd = stepd::BadCwd::kUseTmp;  // slurmstepd: "going to /tmp instead"
    spec.env = stepd::BuildTaskEnv(srun_env, info, local);
    spec.uid = grant_.user().uid();
    spec.gid = grant_.group().gid();
    spec.user = grant_.user().name();
    pattern.task_id = io.rank;
    if (launch_.pty()) {
      // Slurm's --pty: task 0 on a pseudo-terminal, the other tasks' stdin, stdout and
      // stderr on /dev/null.
      if (io.rank == 0) {
        ASSIGN_OR_RETURN(int slave, OpenPty(io, spec.uid, launch_.window_size()));
        spec.stdin_fd = spec.stdout_fd = spec.stderr_fd = slave;
      } else {
        spec.stdout_path = "/dev/null";
      }
      specs.push_back(std::move(spec));
      continue;
    }
    if (!launch_.std_out_pattern().empty()) {
      spec.stdout_path = stepd::ResolveOutputPath(launch_.std_out_pattern(), pattern, cwd);
      spec.open_mode = open_mode(spec.stdout_path);
    } else {
      RETURN_IF_ERROR(make_pipe(&io.out_fd, &spec.stdout_fd, false));
    }
    if (!launch_.std_err_pattern().empty()) {
      spec.stderr_path = stepd::ResolveOutputPath(launch_.std_err_pattern(), pattern, cwd);
      if (spec.stderr_path != spec.stdout_path) {
        stepd::OpenMode mode = open_mode(spec.stderr_path);
        if (spec.stdout_path.empty()) spec.open_mode = mode;
      }
    } else if (launch_.std_out_pattern().empty()) {
      RETURN_IF_ERROR(make_pipe(&io.err_fd, &spec.stderr_fd, false));
    }
    bool gets_input =
        !launch_.stdin_none() && (!launch_.has_stdin_task() || launch_.stdin_task() == io.rank);
    if (!launch_.std_in_pattern().empty()) {
      spec.stdin_path = stepd::ResolveOutputPath(launch_.std_in_pattern(), pattern, cwd);
    } else if (gets_input) {
      RETURN_IF_ERROR(make_pipe(&spec.stdin_fd, &io.in_fd, true));
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

void TasksStepd::Queue(const v1::StepIoResponse& response, bool droppable) {
  std::string frame = EncodeFrame(response.SerializeAsString());
  out_bytes_ += frame.size();
  out_.emplace_back(std::move(frame), droppable);
  if (conn_fd_ >= 0) return;
  // Nobody to send to: keep the newest output within bounds.
  for (auto it = out_.begin(); out_bytes_ > kMaxQueued && it != out_.end();) {
    if (it->second) {
      out_bytes_ -= it->first.size();
      it = out_.erase(it);
    } else {
      ++it;
    }
  }
}

void TasksStepd::QueueMessage(const std::string& text) {
  v1::StepIoResponse response;
  response.mutable_message()->set_text(text);
  response.mutable_message()->set_error(true);
  Queue(response);
}

void TasksStepd::Wake() {
  uint64_t one = 1;
  ssize_t ignored = write(wake_fd_, &one, sizeof one);
  (void)ignored;
}

void TasksStepd::ServeControl() {
  std::string pending;
  for (;;) {
    struct pollfd fds[2] = {{fifo_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    char buf[512];
    ssize_t n = read(fifo_fd_, buf, sizeof buf);
    if (n <= 0) continue;
    pending.append(buf, static_cast<size_t>(n));
    for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      Status s = Ok();
      if (line == "terminate" || line.starts_with("terminate ")) {
        group_->Terminate(TerminateWhy(line));
      } else if (line.starts_with("signal ")) {
        s = group_->Signal(std::atoi(line.c_str() + 7));
      } else if (line == "suspend" || line == "resume") {
        s = group_->Signal(line == "suspend" ? SIGSTOP : SIGCONT);
      } else {
        Log().Warn("StepId={} unknown control request '{}'", step_name_, line);
        continue;
      }
      Log().Info("StepId={} {}: {}", step_name_, line, s ? "done" : s.error().ToString());
    }
  }
}

void TasksStepd::DropConnection() {
  CloseFd(conn_fd_);
  reader_ = FrameReader();
  if (out_offset_ > 0 && !out_.empty()) {  // a frame half sent is lost with its connection
    out_bytes_ -= out_.front().first.size();
    out_.pop_front();
  }
  out_offset_ = 0;
  Log().Info("StepId={} I/O connection closed", step_name_);
}

void TasksStepd::WriteOut() {
  while (conn_fd_ >= 0 && !out_.empty()) {
    const std::string& frame = out_.front().first;
    ssize_t n = send(conn_fd_, frame.data() + out_offset_, frame.size() - out_offset_,
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n < 0) {
      DropConnection();
      return;
    }
    out_offset_ += static_cast<size_t>(n);
    if (out_offset_ == frame.size()) {
      out_bytes_ -= frame.size();
      out_.pop_front();
      out_offset_ = 0;
    }
  }
}

void TasksStepd::FlushStdin(TaskIo& task) {
  while (task.in_fd >= 0 && !task.in_pending.empty()) {
    ssize_t n = write(task.in_fd, task.in_pending.data(), task.in_pending.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n < 0) {  // EPIPE: the task closed its stdin or is gone
      task.in_pending.clear();
      CloseFd(task.in_fd);
      return;
    }
    task.in_pending.erase(0, static_cast<size_t>(n));
  }
  if (task.in_eof && task.in_pending.empty()) CloseFd(task.in_fd);
}

void TasksStepd::HandleRequest(const v1::StepIoRequest& request) {
  switch (request.msg_case()) {
    case v1::StepIoRequest::kInput: {
      const v1::StdinData& input = request.input();
      for (TaskIo& task : tasks_) {
        if (input.has_task_id() && input.task_id() != task.rank) continue;
        if (task.in_fd < 0) continue;  // no stdin pipe: /dev/null, a file, or closed
        task.in_pending += input.data();
        if (task.tty_fd >= 0) {
          QueueTerminalInput(task, input);
        } else if (input.eof()) {
          task.in_eof = true;
        }
        FlushStdin(task);
      }
      break;
    }
    case v1::StepIoRequest::kWindowSize:
      for (TaskIo& task : tasks_) {
        if (task.tty_fd >= 0) SetWindowSize(task.tty_fd, request.window_size());
      }
      break;
    case v1::StepIoRequest::kSignal: {
      std::vector<size_t> which;
      for (uint32_t rank : request.signal().task_ids()) {
        for (size_t i = 0; i < tasks_.size(); ++i) {
          if (tasks_[i].rank == rank) which.push_back(i);
        }
      }
      if (!request.signal().task_ids().empty() && which.empty()) break;  // none here
      if (SignalForeground(request.signal().signal(), which)) break;
      Status s = group_->Signal(request.signal().signal(), which);
      Log().Info("StepId={} signal {} from srun: {}", step_name_, request.signal().signal(),
                 s ? "sent" : s.error().ToString());
      break;
    }
    default:
      break;
  }
}

void TasksStepd::QueueTerminalInput(TaskIo& task, const v1::StdinData& input) {
  if (!input.data().empty()) task.in_line_start = input.data().back() == '\n';
  if (!input.eof()) return;
  // srun's stdin ended (it was not a terminal: a terminal sends ^D as a byte). A shell
  // should see end of file, not a hangup that kills what it runs and loses its output:
  // the terminal's EOF character, twice when a partial line must be ended first.
  termios mode{};
  char eof = 4;  // ^D
  bool canonical = true;
  if (tcgetattr(task.tty_fd, &mode) == 0) {
    if (mode.c_cc[VEOF] != _POSIX_VDISABLE) eof = static_cast<char>(mode.c_cc[VEOF]);
    canonical = (mode.c_lflag & ICANON) != 0;
  }
  if (canonical && !task.in_line_start) task.in_pending += eof;
  task.in_pending += eof;
  task.in_line_start = true;
}

bool TasksStepd::SignalForeground(int sig, std::vector<size_t>& which) {
  if (!KeyboardSignal(sig)) return false;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    if (tasks_[i].tty_fd < 0) continue;
    bool all = which.empty();
    if (!all && std::find(which.begin(), which.end(), i) == which.end()) return false;
    pid_t foreground = tcgetpgrp(tasks_[i].tty_fd);
    if (foreground <= 0 || killpg(foreground, sig) != 0) return false;  // as to any task
    Log().Info("StepId={} signal {} from srun: sent to the foreground process group {}", step_name_,
               sig, foreground);
    // The other tasks get it as usual.
    if (all) {
      for (size_t j = 0; j < tasks_.size(); ++j) {
        if (j != i) which.push_back(j);
      }
    } else {
      std::erase(which, i);
    }
    return which.empty();
  }
  return false;
}

void TasksStepd::ReadOutput(TaskIo& task, bool stderr_stream, bool drain) {
  int& fd = stderr_stream ? task.err_fd : task.out_fd;
  char buf[kReadChunk];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && !drain) return;
    if (n <= 0) {  // EOF; or nothing left when draining a step that is over
      CloseFd(fd);
      return;
    }
    v1::StepIoResponse response;
    v1::TaskOutput* output = response.mutable_output();
    output->set_task_id(task.rank);
    output->set_stream(stderr_stream ? v1::OUTPUT_STREAM_STDERR : v1::OUTPUT_STREAM_STDOUT);
    output->set_data(buf, static_cast<size_t>(n));
    Queue(response, true);
    if (!drain) return;  // one chunk per wake-up keeps the streams fair
  }
}

void TasksStepd::QueueEnd(const stepd::TaskGroupResult& result) {
  // Tasks ending with the same status are reported together, in rank order of the first.
  std::vector<std::pair<ExitCode, std::vector<uint32_t>>> groups;
  ExitCode highest;
  for (size_t i = 0; i < tasks_.size() && i < result.exit_codes.size(); ++i) {
    const ExitCode& code = result.exit_codes[i];
    if (code.ToWaitStatus() > highest.ToWaitStatus()) highest = code;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return g.first.exit_status == code.exit_status && g.first.signal == code.signal;
    });
    if (it == groups.end()) {
      groups.push_back({code, {tasks_[i].rank}});
    } else {
      it->second.push_back(tasks_[i].rank);
    }
  }
  for (const auto& [code, ranks] : groups) {
    v1::StepIoResponse response;
    v1::TaskExit* exit = response.mutable_exit();
    exit->set_node_name(node_);
    for (uint32_t rank : ranks) exit->add_task_ids(rank);
    exit->mutable_exit_code()->set_status(code.exit_status);
    exit->mutable_exit_code()->set_signal(code.signal);
    Queue(response);
  }
  v1::StepIoResponse done;
  done.mutable_done()->mutable_exit_code()->set_status(highest.exit_status);
  done.mutable_done()->mutable_exit_code()->set_signal(highest.signal);
  Queue(done);
}

void TasksStepd::IoLoop() {
  std::optional<stepd::TaskGroupResult> result;
  bool end_queued = false;
  std::optional<std::chrono::steady_clock::time_point> end_at;
  bool connected_once = false;
  std::vector<pollfd> fds;
  // What each pollfd is: -1 listen, -2 connection, -3 wake; task index * 3 + stream
  // (0 stdout, 1 stderr, 2 stdin) otherwise.
  std::vector<int> what;
  for (;;) {
    bool outputs_open = std::any_of(tasks_.begin(), tasks_.end(),
                                    [](const TaskIo& t) { return t.out_fd >= 0 || t.err_fd >= 0; });
    if (result && outputs_open) {
      // Every process of the step is gone: what is in the pipes is all there will be.
      for (TaskIo& t : tasks_) {
        if (t.out_fd >= 0) ReadOutput(t, false, true);
        if (t.err_fd >= 0) ReadOutput(t, true, true);
      }
      outputs_open = false;
    }
    if (result && !outputs_open && !end_queued) {
      QueueEnd(*result);
      end_queued = true;
    }
    WriteOut();
    if (conn_fd_ >= 0) connected_once = true;
    if (end_queued && !end_at) end_at = std::chrono::steady_clock::now();
    // Over once srun has everything, or once its connection is gone. Before droverd has
    // connected at all, the output waits a while for it: a step may end before droverd
    // connects.
    int timeout_ms = -1;
    if (end_queued) {
      if (out_.empty() || (conn_fd_ < 0 && connected_once)) return;
      if (conn_fd_ < 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            *end_at + kUnsentOutputGrace - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        timeout_ms = static_cast<int>(left.count());
      }
    }

    fds.clear();
    what.clear();
    auto add = [&](int fd, short events, int tag) {
      fds.push_back(pollfd{fd, events, 0});
      what.push_back(tag);
    };
    add(wake_fd_, POLLIN, -3);
    if (conn_fd_ < 0) {
      add(listen_fd_, POLLIN, -1);
    } else {
      add(conn_fd_, static_cast<short>(POLLIN | (out_.empty() ? 0 : POLLOUT)), -2);
    }
    bool room = conn_fd_ < 0 || out_bytes_ < kMaxQueued;
    for (size_t i = 0; i < tasks_.size(); ++i) {
      const TaskIo& t = tasks_[i];
      int base = static_cast<int>(i) * 3;
      if (room && t.out_fd >= 0) add(t.out_fd, POLLIN, base);
      if (room && t.err_fd >= 0) add(t.err_fd, POLLIN, base + 1);
      if (t.in_fd >= 0 && !t.in_pending.empty()) add(t.in_fd, POLLOUT, base + 2);
    }
    if (poll(fds.data(), fds.size(), timeout_ms) < 0) {
      if (errno == EINTR) continue;
      Log().Error("StepId={} poll: {}", step_name_, std::strerror(errno));
      return;
    }
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      int tag = what[k];
      if (tag == -3) {
        uint64_t count;
        ssize_t ignored = read(wake_fd_, &count, sizeof count);
        (void)ignored;
        std::lock_guard<std::mutex> lock(shared_.mu);
        for (const std::string& text : shared_.messages) QueueMessage(text);
        shared_.messages.clear();
        if (shared_.result && !result) result = shared_.result;
      } else if (tag == -1) {
        int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
          conn_fd_ = fd;
          Log().Info("StepId={} I/O connection accepted", step_name_);
        }
      } else if (tag == -2) {
        if (conn_fd_ < 0) continue;
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
          char buf[kReadChunk];
          ssize_t n = recv(conn_fd_, buf, sizeof buf, MSG_DONTWAIT);
          if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
          if (n <= 0) {
            DropConnection();
            continue;
          }
          reader_.Append(buf, static_cast<size_t>(n));
          for (;;) {
            auto frame = reader_.Next();
            if (!frame || !frame->has_value()) {
              if (!frame) DropConnection();
              break;
            }
            v1::StepIoRequest request;
            if (request.ParseFromString(**frame)) HandleRequest(request);
          }
        }
      } else {
        TaskIo& t = tasks_[static_cast<size_t>(tag / 3)];
        switch (tag % 3) {
          case 0:
            if (t.out_fd >= 0) ReadOutput(t, false, false);
            break;
          case 1:
            if (t.err_fd >= 0) ReadOutput(t, true, false);
            break;
          default:
            FlushStdin(t);
            break;
        }
      }
    }
  }
}

void TasksStepd::Finish(const stepd::TaskGroupResult* result, const std::string& launch_error) {
  JobState state = result ? result->state : JobState::kFailed;
  ExitCode highest{launch_error.empty() ? 0 : 1, 0};
  if (result) {
    for (const ExitCode& code : result->exit_codes) {
      if (code.ToWaitStatus() > highest.ToWaitStatus()) highest = code;
    }
  }
  Log().Info("StepId={} JobState={} ExitCode={}{}", step_name_, JobStateName(state),
             highest.ToString(), launch_error.empty() ? "" : fmt::format(" ({})", launch_error));
  (void)WriteFileAtomic(dir_ + "/" + kStateFile,
                        fmt::format("{} {}\n", JobStateName(state), highest.ToString()), 0644);
  v1::StepCompleteRequest complete;
  *complete.mutable_step_id() = grant_.step_id();
  complete.set_node_name(node_);
  complete.mutable_exit_code()->set_status(highest.exit_status);
  complete.mutable_exit_code()->set_signal(highest.signal);
  complete.set_end_time(Now());
  if (!launch_error.empty()) {
    *complete.mutable_error() =
        rpc::ToProto(Error(ErrorCode::kInternal, launch_error, fmt::format("step {}", step_name_)));
  }
  // The FIFO stays open until the controller has the end: droverd keeps reporting the
  // step as here meanwhile.
  (void)ReportToController(Get(conf_, "controller"), auth::Munge(Get(conf_, "munge_socket")),
                           "/drover.v1.NodeRegistry/StepComplete", complete.SerializeAsString(),
                           fmt::format("StepId={} StepComplete", step_name_));
}

int TasksStepd::Run() {
  if (Status loaded = Load(); !loaded) {
    SayReady(ready_fd_, fmt::format("error: {}", loaded.error().ToString()));
    return 1;
  }
  log::Options log_options;
  log_options.file = Get(conf_, "log_file");
  log::ParseSlurmLevel(Get(conf_, "log_level"), &log_options.level);
  log::Configure(log_options);

  fifo_fd_ = open((dir_ + "/" + kControlFifo).c_str(), O_RDWR | O_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  stop_fd_ = eventfd(0, EFD_CLOEXEC);
  auto listening = Listen(dir_ + "/" + kIoSocket);
  if (fifo_fd_ < 0 || wake_fd_ < 0 || stop_fd_ < 0 || !listening) {
    SayReady(ready_fd_,
             fmt::format("error: cannot set up the step's spool dir {}: {}", dir_,
                         listening ? std::strerror(errno) : listening.error().ToString()));
    return 1;
  }
  listen_fd_ = *listening;
  (void)WriteFileAtomic(dir_ + "/" + kPidFile, fmt::format("{}\n", getpid()), 0644);

  stepd::TaskGroupOptions options;
  int64_t now = Now();
  std::optional<int64_t> limit_s;
  if (grant_.step_time_limit_s() > 0) limit_s = grant_.step_time_limit_s();
  if (grant_.job().end_time() > 0) {
    int64_t left = std::max<int64_t>(grant_.job().end_time() - now, 1);
    limit_s = limit_s ? std::min(*limit_s, left) : left;
  }
  if (limit_s) options.time_limit = std::chrono::seconds(*limit_s);
  options.kill_wait = std::chrono::seconds(IntOr(conf_, "kill_wait_s", 30));
  options.unkillable_timeout = std::chrono::seconds(IntOr(conf_, "unkillable_timeout_s", 60));
  options.kill_on_bad_exit = launch_.has_kill_on_bad_exit() && launch_.kill_on_bad_exit();
  options.on_terminate = [this](stepd::TerminateReason why) {
    std::string text =
        fmt::format("{}*** STEP {} ON {} CANCELLED AT {}{} ***", stepd::kStepdErrorPrefix,
                    step_name_, node_, NowIso8601(), Clause(why));
    {
      std::lock_guard<std::mutex> lock(shared_.mu);
      shared_.messages.push_back(std::move(text));
    }
    Wake();
  };

  stepd::TrackerOptions tracker_options;
  tracker_options.name =
      fmt::format("drover_{}_{}_{}", node_, grant_.step_id().job_id(), grant_.step_id().step_id());
  const v1::NodeAllocation& here =
      grant_.layout().nodes(static_cast<int>(node_index_)).allocation();
  if (here.mem_mb() > 0) tracker_options.memory_limit_bytes = here.mem_mb() << 20;

  std::string launch_error;
  auto specs = BuildSpecs();
  std::vector<int> task_ends;  // the tasks' ends of pipes and pty slaves, each once
  if (specs) {
    for (const stepd::LaunchSpec& spec : *specs) {
      for (int fd : {spec.stdin_fd, spec.stdout_fd, spec.stderr_fd}) {
        if (fd >= 0 && std::find(task_ends.begin(), task_ends.end(), fd) == task_ends.end()) {
          task_ends.push_back(fd);
        }
      }
    }
  }
  std::vector<stepd::LaunchSpec> task_epilogs;  // the tasks as started, for TaskEpilog
  if (!specs) {
    launch_error = specs.error().ToString();
  } else {
    auto tracker = stepd::CreateBestTracker(tracker_options);
    if (!tracker) {
      launch_error = tracker.error().ToString();
    } else {
      // TaskProlog (then srun --task-prolog) before each task, with the task's environment.
      const NodeScriptOptions scripts = ScriptOptionsFromConf(conf_);
      for (stepd::LaunchSpec& spec : *specs) RunTaskProlog(scripts, launch_.task_prolog(), spec);
      if (!scripts.task_epilog.empty() || !launch_.task_epilog().empty()) task_epilogs = *specs;
      auto started =
          stepd::TaskGroup::Start(std::move(*specs), std::move(tracker).value(), options);
      if (started) {
        group_ = std::move(started).value();
      } else {
        launch_error = started.error().ToString();
      }
    }
  }
  // The task ends belong to the tasks now (Start consumed `specs`, so not through it).
  for (int& fd : task_ends) CloseFd(fd);
  if (!group_) {
    Log().Error("StepId={} launch failed: {}", step_name_, launch_error);
    SayReady(ready_fd_, fmt::format("error: {}", launch_error));
    Finish(nullptr, launch_error);
    (void)RemoveJobDir(dir_);
    return 1;
  }

  (void)WriteFileAtomic(dir_ + "/" + kStateFile, "RUNNING\n", 0644);
  v1::StepIoResponse launched;
  launched.mutable_launched()->set_node_name(node_);
  for (size_t i = 0; i < tasks_.size(); ++i) {
    v1::LaunchedTask* task = launched.mutable_launched()->add_tasks();
    task->set_task_id(tasks_[i].rank);
    task->set_local_id(static_cast<uint32_t>(i));
    task->set_pid(group_->pids()[i]);
  }
  Queue(launched);
  Log().Info("StepId={} started {} task(s) as {}({})", step_name_, tasks_.size(),
             grant_.user().name(), grant_.user().uid());
  SayReady(ready_fd_, fmt::format("ok {}", getpid()));

  std::thread control([this] { ServeControl(); });
  std::thread waiter([this] {
    stepd::TaskGroupResult result = group_->Wait();
    {
      std::lock_guard<std::mutex> lock(shared_.mu);
      shared_.result = std::move(result);
    }
    Wake();
  });
  IoLoop();
  waiter.join();
  for (const stepd::LaunchSpec& spec : task_epilogs) {
    RunTaskEpilog(ScriptOptionsFromConf(conf_), launch_.task_epilog(), spec);
  }
  stepd::TaskGroupResult result;
  {
    std::lock_guard<std::mutex> lock(shared_.mu);
    if (shared_.result) result = *shared_.result;
  }
  // srun has everything: let droverd finish the call while the controller is told.
  CloseFd(conn_fd_);
  CloseFd(listen_fd_);
  Finish(&result, "");
  uint64_t one = 1;
  ssize_t ignored = write(stop_fd_, &one, sizeof one);
  (void)ignored;
  control.join();
  group_.reset();
  CloseFd(fifo_fd_);
  (void)RemoveJobDir(dir_);
  return 0;
}

}  // namespace

int RunTasksStepd(const std::string& step_dir, int ready_fd) {
  std::signal(SIGHUP, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  TasksStepd stepd(step_dir, ready_fd);
  return stepd.Run();
}

}  // namespace drover::noded
