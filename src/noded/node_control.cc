#include "noded/node_control.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

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

Error ErrnoError(std::string_view what, const std::string& path) {
  return Error(ErrorCode::kIo, fmt::format("{}: {}", what, std::strerror(errno)), path);
}

}  // namespace

std::string NodeDaemon::StepdConf() const {
  const NodeDaemonOptions& o = options_;
  std::map<std::string, std::string> conf = {
      {"node_name", o.node_name},
      {"controller", o.controller},
      {"munge_socket", o.munge_socket},
      {"conf_path", o.conf_path},
      {"log_file", o.log_file},
      {"log_level", o.log_level},
      {"kill_wait_s", std::to_string(o.kill_wait.count())},
      {"unkillable_timeout_s", std::to_string(o.unkillable_timeout.count())},
      {"job_file_append", o.job_file_append ? "1" : "0"},
  };
  AddScriptOptions(o.scripts, conf);
  return FormatKeyValues(conf);
}

grpc::Status NodeDaemon::ControlService::Authorize(grpc::ServerContext& context) const {
  rpc::Identity caller;
  if (grpc::Status s = rpc::AuthenticateCall(context, daemon_.munge_, &caller); !s.ok()) {
    return s;
  }
  if (caller.uid != 0 && caller.uid != daemon_.options_.slurm_user_uid) {
    Log().Warn("NodeControl call from uid {} refused: only root and SlurmUser", caller.uid);
    return rpc::ToGrpcStatus(Error(ErrorCode::kAccessDenied));
  }
  return grpc::Status::OK;
}

Status NodeDaemon::ControlService::Launch(const v1::LaunchBatchRequest& request) {
  const NodeDaemonOptions& o = daemon_.options_;
  uint32_t job_id = request.job().job_id();
  if (job_id == 0) return Error(ErrorCode::kInvalidJobId);
  if (request.script().empty()) return Error(ErrorCode::kJobScriptMissing);
  std::string context = fmt::format("job {}", job_id);

  std::lock_guard<std::mutex> lock(daemon_.launch_mu_);
  std::string dir = JobDir(o.spool_dir, job_id);
  if (StepdAlive(dir)) {
    // The controller retried a launch whose reply it lost: the job already runs.
    Log().Info("JobId={} already running here; duplicate launch ignored", job_id);
    return Ok();
  }
  RETURN_IF_ERROR(RemoveJobDir(dir));  // a stale one, from a stepd that died
  if (mkdir(dir.c_str(), 0711) != 0) return ErrnoError("mkdir", dir);
  chmod(dir.c_str(), 0711);  // whatever the umask

  auto fail = [&](Error error) -> Status {
    (void)RemoveJobDir(dir);
    return error.WithContext(context);
  };
  uid_t uid = request.job().user().uid();
  gid_t gid = request.job().group().gid();
  std::string script = dir + "/" + kScriptFile;
  if (Status s = WriteFileAtomic(script, request.script(), 0500); !s) return fail(s.error());
  if (chown(script.c_str(), uid, gid) != 0) return fail(ErrnoError("chown", script));
  std::string launch;
  if (!request.SerializeToString(&launch)) {
    return fail(Error(ErrorCode::kInternal, "cannot serialise the launch request"));
  }
  if (Status s = WriteFileAtomic(dir + "/" + kLaunchFile, launch, 0600); !s) {
    return fail(s.error());
  }
  if (Status s = WriteFileAtomic(dir + "/" + kStepdConfFile, daemon_.StepdConf(), 0600); !s) {
    return fail(s.error());
  }
  std::string fifo = dir + "/" + kControlFifo;
  if (mkfifo(fifo.c_str(), 0600) != 0) return fail(ErrnoError("mkfifo", fifo));

  auto pid = SpawnStepd(o.stepd_path, dir, o.stepd_ready_timeout);
  if (!pid) return fail(std::move(pid).error());
  Log().Info("JobId={} launched: drover-stepd pid {} user {}({})", job_id, *pid,
             request.job().user().name(), uid);
  return Ok();
}

grpc::Status NodeDaemon::ControlService::LaunchBatch(grpc::ServerContext* context,
                                                     const v1::LaunchBatchRequest* request,
                                                     v1::LaunchBatchResponse*) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  Status launched = Launch(*request);
  if (!launched) {
    Log().Error("JobId={} launch failed: {}", request->job().job_id(), launched.error().ToString());
  }
  return rpc::ToGrpcStatus(launched);
}

grpc::Status NodeDaemon::ControlService::SignalJob(grpc::ServerContext* context,
                                                   const v1::SignalJobRequest* request,
                                                   v1::SignalJobResponse*) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  if (request->signal() <= 0 || request->signal() >= 65) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kInvalidArgument, fmt::format("invalid signal {}", request->signal())));
  }
  // The batch shell (alone with scancel -b), and every step's tasks unless -b.
  std::string line =
      fmt::format("signal {} {}", request->signal(), request->batch_only() ? "batch" : "all");
  int reached = daemon_.SendControlToJob(request->job_id(), line, true, !request->batch_only());
  if (reached == 0) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidJobId, "Invalid job id specified",
                                   fmt::format("job {}", request->job_id())));
  }
  Log().Info("JobId={} signal {} sent", request->job_id(), request->signal());
  return grpc::Status::OK;
}

grpc::Status NodeDaemon::ControlService::SignalStep(grpc::ServerContext* context,
                                                    const v1::SignalStepRequest* request,
                                                    v1::SignalStepResponse*) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  if (request->signal() <= 0 || request->signal() >= 65) {
    return rpc::ToGrpcStatus(
        Error(ErrorCode::kInvalidArgument, fmt::format("invalid signal {}", request->signal())));
  }
  const v1::StepId& id = request->step_id();
  if (id.kind() != v1::STEP_KIND_NORMAL) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kNotSupported, "only srun steps are signalled here"));
  }
  std::string dir = StepDir(daemon_.options_.spool_dir, id.job_id(), id.step_id());
  Status sent = SendControl(dir, fmt::format("signal {} all", request->signal()));
  if (!sent) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidJobId, "Invalid job id specified",
                                   fmt::format("step {}.{}", id.job_id(), id.step_id())));
  }
  Log().Info("StepId={}.{} signal {} sent", id.job_id(), id.step_id(), request->signal());
  return grpc::Status::OK;
}

grpc::Status NodeDaemon::ControlService::TerminateJob(grpc::ServerContext* context,
                                                      const v1::TerminateJobRequest* request,
                                                      v1::TerminateJobResponse*) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  // Why the job ends decides the banner stepd writes to its stderr (or srun's).
  std::string line = "terminate";
  switch (request->state()) {
    case v1::JOB_STATE_TIMEOUT:
      line += " timeout";
      break;
    case v1::JOB_STATE_NODE_FAIL:
      line += " node_fail";
      break;
    case v1::JOB_STATE_PREEMPTED:
      line += " preempted";
      break;
    default:
      break;
  }
  int reached = daemon_.SendControlToJob(request->job_id(), line, true, true);
  if (reached == 0) {
    // Already over here (or never here): the controller gets (or got) its JobComplete.
    Log().Debug("JobId={} terminate: no running stepd", request->job_id());
  } else {
    Log().Info("JobId={} {} sent to {} stepd(s)", request->job_id(), line, reached);
  }
  // Once nothing of the job is left here, the controller hears so (EpilogComplete).
  daemon_.QueueEpilogComplete(request->job_id());
  return grpc::Status::OK;
}

grpc::Status NodeDaemon::ControlService::SuspendJob(grpc::ServerContext* context,
                                                    const v1::SuspendJobRequest* request,
                                                    v1::SuspendJobResponse*) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  std::string_view line = request->resume() ? "resume" : "suspend";
  int reached = daemon_.SendControlToJob(request->job_id(), line, true, true);
  if (reached == 0) {
    return rpc::ToGrpcStatus(Error(ErrorCode::kInvalidJobId, "Invalid job id specified",
                                   fmt::format("job {}", request->job_id())));
  }
  Log().Info("JobId={} {} sent to {} stepd(s)", request->job_id(), line, reached);
  return grpc::Status::OK;
}

grpc::Status NodeDaemon::ControlService::Ping(grpc::ServerContext* context,
                                              const v1::PingNodeRequest*,
                                              v1::PingNodeResponse* response) {
  if (grpc::Status s = Authorize(*context); !s.ok()) return s;
  response->set_node_name(daemon_.options_.node_name);
  for (const v1::StepId& step : daemon_.RunningSteps()) *response->add_steps() = step;
  response->set_time(static_cast<int64_t>(std::time(nullptr)));
  return grpc::Status::OK;
}

}  // namespace drover::noded
