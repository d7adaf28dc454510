#include "noded/step_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <optional>
#include <thread>

#include "auth/step_credential.h"
#include "base/log.h"
#include "noded/spool.h"
#include "noded/step_spool.h"
#include "noded/stepd_spawn.h"
#include "rpc/auth_server.h"
#include "rpc/status.h"

namespace drover::noded {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("noded");
  return logger;
}

// Replies queued for a slow srun beyond this stop the relay reading stepd's socket, which
// in turn stops stepd reading the tasks' pipes.
constexpr size_t kMaxQueuedReplies = 4u << 20;

Error ErrnoError(std::string_view what, const std::string& path) {
  return Error(ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(errno)), path);
}

Result<int> Connect(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return Error(ErrorCode::kPathnameTooLong, "socket path too long", path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket", path);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Error e = ErrnoError("connect", path);
    close(fd);
    return e;
  }
  fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

}  // namespace

class NodeDaemon::StepIoService::LaunchReactor final
    : public grpc::ServerBidiReactor<v1::StepIoRequest, v1::StepIoResponse> {
 public:
  LaunchReactor(NodeDaemon& daemon, grpc::CallbackServerContext* context)
      : daemon_(daemon), context_(context), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    // Reads complete one at a time, so launch_seen_ needs no lock.
    if (!ok) {
      // srun closed its side (or the call is over): nothing more to relay to stepd.
      if (!launch_seen_) RequestFinish(NoLaunch());
      return;
    }
    if (!launch_seen_) {
      launch_seen_ = true;
      if (request_.msg_case() != v1::StepIoRequest::kLaunch) {
        RequestFinish(NoLaunch());
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      worker_ = std::thread([this, launch = request_.launch()] { Work(launch); });
    } else {
      {
        std::lock_guard<std::mutex> lock(mu_);
        to_stepd_.push_back(EncodeFrame(request_.SerializeAsString()));
      }
      Wake();
    }
    StartRead(&request_);
  }

  void OnWriteDone(bool ok) override {
    const v1::StepIoResponse* next = nullptr;
    std::optional<grpc::Status> finish;
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_bytes_ -= replies_.front().ByteSizeLong();
      replies_.pop_front();
      if (!ok) {
        replies_.clear();
        queued_bytes_ = 0;
      }
      if (!replies_.empty()) {
        next = &replies_.front();
      } else {
        writing_ = false;
        if (finish_status_ && !finished_) {
          finished_ = true;
          finish = finish_status_;
        }
      }
    }
    Wake();  // the relay may read stepd's socket again
    if (next != nullptr) StartWrite(next);
    if (finish) Finish(*finish);
  }

  void OnCancel() override {
    bool spawned;
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
      spawned = spawned_;
    }
    Wake();
    if (spawned) TerminateStep("srun went away");
    RequestFinish(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
    }
    Wake();
    if (worker_.joinable()) worker_.join();
    if (wake_fd_ >= 0) close(wake_fd_);
    delete this;
  }

 private:
  static grpc::Status NoLaunch() {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kInvalidArgument, "LaunchTasks needs a launch request first"));
  }

  void Wake() {
    uint64_t one = 1;
    ssize_t ignored = write(wake_fd_, &one, sizeof one);
    (void)ignored;
  }

  // Finishes the call once the queued replies are written. The first status wins.
  void RequestFinish(grpc::Status status) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_ || finish_status_) return;
      if (writing_) {
        finish_status_ = std::move(status);
        return;
      }
      finished_ = true;
    }
    Finish(std::move(status));
  }

  void QueueReply(v1::StepIoResponse reply) {
    const v1::StepIoResponse* start = nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_ || finish_status_ || cancelled_) return;
      queued_bytes_ += reply.ByteSizeLong();
      replies_.push_back(std::move(reply));
      if (!writing_) {
        writing_ = true;
        start = &replies_.front();
      }
    }
    if (start != nullptr) StartWrite(start);
  }

  void TerminateStep(std::string_view why) {
    if (step_dir_.empty() || daemon_.Stopping()) return;  // a droverd restart keeps steps
    Status sent = SendControl(step_dir_, "terminate");
    Log().Info("StepId={} terminate ({}): {}", step_name_, why,
               sent ? "sent" : sent.error().ToString());
  }

  Status Launch(const v1::LaunchTasks& launch);
  void Relay(int sock);

  void Work(v1::LaunchTasks launch) {
    step_name_ = fmt::format("{}.{}", launch.step_id().job_id(), launch.step_id().step_id());
    Status launched = Launch(launch);
    if (!launched) {
      Log().Warn("StepId={} launch refused or failed: {}", step_name_, launched.error().ToString());
      RequestFinish(rpc::ToGrpcStatus(launched));
      return;
    }
    auto sock = Connect(step_dir_ + "/" + kIoSocket);
    if (!sock) {
      TerminateStep("no I/O connection");
      RequestFinish(rpc::ToGrpcStatus(sock.error()));
      return;
    }
    Relay(*sock);
    close(*sock);
  }

  NodeDaemon& daemon_;
  grpc::CallbackServerContext* const context_;
  const int wake_fd_;
  v1::StepIoRequest request_;  // the read in flight
  bool launch_seen_ = false;   // touched by OnReadDone only
  std::string step_dir_;       // set by the worker before spawned_
  std::string step_name_;

  std::mutex mu_;
  // Guarded by mu_.
  std::thread worker_;
  std::deque<std::string> to_stepd_;  // encoded frames
  std::deque<v1::StepIoResponse> replies_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool cancelled_ = false;
  bool spawned_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> finish_status_;
};

Status NodeDaemon::StepIoService::LaunchReactor::Launch(const v1::LaunchTasks& launch) {
  const NodeDaemonOptions& o = daemon_.options_;
  std::string context = fmt::format("step {}", step_name_);
  rpc::Identity caller;
  ASSIGN_OR_RETURN(caller, rpc::Authenticate(*context_, daemon_.munge_));
  auto grant = auth::VerifyStepCredential(daemon_.munge_, launch.credential(), o.slurm_user_uid,
                                          std::chrono::system_clock::now());
  if (!grant) {
    if (grant.error().code() == ErrorCode::kAuthUnavailable) return grant.error();
    Log().Warn("StepId={} credential refused: {}", step_name_, grant.error().ToString());
    return Error(ErrorCode::kInvalidJobCredential, "Invalid job credential", context);
  }
  const v1::StepCredentialPayload& payload = *grant;
  if (payload.step_id().job_id() != launch.step_id().job_id() ||
      payload.step_id().step_id() != launch.step_id().step_id() ||
      payload.step_id().kind() != launch.step_id().kind()) {
    return Error(ErrorCode::kInvalidJobCredential, "Invalid job credential",
                 fmt::format("{}: the credential is for step {}.{}", context,
                             payload.step_id().job_id(), payload.step_id().step_id()));
  }
  bool here = false;
  for (const v1::StepNodeLayout& node : payload.layout().nodes()) {
    if (node.allocation().node_name() == o.node_name && node.task_ids_size() > 0) here = true;
  }
  if (!here) {
    return Error(ErrorCode::kInvalidJobCredential, "Invalid job credential",
                 fmt::format("{}: no tasks on node {}", context, o.node_name));
  }
  if (caller.uid != 0 && caller.uid != payload.user().uid()) {
    Log().Warn("StepId={} launch by uid {} refused: the step is uid {}'s", step_name_, caller.uid,
               payload.user().uid());
    return Error(ErrorCode::kAccessDenied, "Access/permission denied", context);
  }
  if (launch.argv().empty() && launch.multi_prog().empty()) {
    return Error(ErrorCode::kInvalidArgument, "no program to run", context);
  }

  uint32_t job_id = payload.step_id().job_id();
  uint32_t step_id = payload.step_id().step_id();
  // The job's first step here runs the node's Prolog first; srun going away cancels it.
  RETURN_IF_ERROR(daemon_.EnsureProlog(payload.job(), launch.work_dir(), [this] {
    std::lock_guard<std::mutex> lock(mu_);
    return cancelled_;
  }));
  std::lock_guard<std::mutex> lock(daemon_.launch_mu_);
  std::string dir = StepDir(o.spool_dir, job_id, step_id);
  if (daemon_.launched_steps_.contains({job_id, step_id}) || StepdAlive(dir)) {
    return Error(ErrorCode::kDuplicateJobId, "Duplicate job id",
                 fmt::format("{} already launched on {}", context, o.node_name));
  }
  RETURN_IF_ERROR(RemoveJobDir(dir));  // a stale one, from a stepd that died
  if (mkdir(dir.c_str(), 0700) != 0) return ErrnoError("mkdir", dir);
  auto fail = [&](Error error) -> Status {
    (void)RemoveJobDir(dir);
    return error.WithContext(context);
  };
  if (Status s = WriteFileAtomic(dir + "/" + kLaunchFile, launch.SerializeAsString(), 0600); !s) {
    return fail(s.error());
  }
  if (Status s = WriteFileAtomic(dir + "/" + kCredentialFile, payload.SerializeAsString(), 0600);
      !s) {
    return fail(s.error());
  }
  if (Status s = WriteFileAtomic(dir + "/" + kStepdConfFile, daemon_.StepdConf(), 0600); !s) {
    return fail(s.error());
  }
  std::string fifo = dir + "/" + kControlFifo;
  if (mkfifo(fifo.c_str(), 0600) != 0) return fail(ErrnoError("mkfifo", fifo));
  daemon_.launched_steps_.insert({job_id, step_id});
  auto pid = SpawnStepd(o.stepd_path, dir, o.stepd_ready_timeout, "--step-dir");
  if (!pid) {
    (void)RemoveJobDir(dir);
    return pid.error();
  }
  Log().Info("StepId={} launched: drover-stepd pid {} user {}({})", step_name_, *pid,
             payload.user().name(), payload.user().uid());
  step_dir_ = dir;
  bool cancelled;
  {
    std::lock_guard<std::mutex> reactor_lock(mu_);
    spawned_ = true;
    cancelled = cancelled_;
  }
  if (cancelled) TerminateStep("srun went away");
  return Ok();
}

void NodeDaemon::StepIoService::LaunchReactor::Relay(int sock) {
  FrameReader reader;
  std::string to_send;
  bool got_done = false;
  for (;;) {
    bool full;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cancelled_) return;
      for (std::string& frame : to_stepd_) to_send += frame;
      to_stepd_.clear();
      full = queued_bytes_ >= kMaxQueuedReplies;
    }
    struct pollfd fds[2] = {
        {wake_fd_, POLLIN, 0},
        {sock, static_cast<short>((full ? 0 : POLLIN) | (to_send.empty() ? 0 : POLLOUT)), 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) {
      uint64_t count;
      ssize_t ignored = read(wake_fd_, &count, sizeof count);
      (void)ignored;
    }
    if (fds[1].revents & POLLOUT) {
      ssize_t n = send(sock, to_send.data(), to_send.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) to_send.erase(0, static_cast<size_t>(n));
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[64 << 10];
      ssize_t n = recv(sock, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) break;
      reader.Append(buf, static_cast<size_t>(n));
      for (;;) {
        auto frame = reader.Next();
        if (!frame || !frame->has_value()) break;
        v1::StepIoResponse reply;
        if (!reply.ParseFromString(**frame)) continue;
        got_done = reply.has_done();
        QueueReply(std::move(reply));
        if (got_done) break;
      }
      if (got_done) break;
    }
  }
  if (got_done) {
    RequestFinish(grpc::Status::OK);
  } else {
    RequestFinish(rpc::ToGrpcStatus(Error(ErrorCode::kInternal,
                                          "drover-stepd ended the step's I/O before it was done",
                                          fmt::format("step {}", step_name_))));
  }
}

grpc::ServerBidiReactor<v1::StepIoRequest, v1::StepIoResponse>*
NodeDaemon::StepIoService::LaunchTasks(grpc::CallbackServerContext* context) {
  return new LaunchReactor(daemon_, context);
}

}  // namespace drover::noded
