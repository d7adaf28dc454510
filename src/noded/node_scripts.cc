#include "noded/node_scripts.h"

#include <fmt/format.h>
#include <unistd.h>

#include "base/log.h"
#include "noded/spool.h"
#include "stepd/batch_env.h"
#include "stepd/node_script.h"
#include "stepd/task_prolog.h"

namespace drover::noded {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("noded");
  return logger;
}

std::string Get(const std::map<std::string, std::string>& conf, const std::string& key) {
  auto it = conf.find(key);
  return it == conf.end() ? std::string() : it->second;
}

// Runs `path` as the task's user with its environment; what it printed, or nothing.
std::string RunAsTask(const NodeScriptOptions& options, const std::string& path,
                      const stepd::LaunchSpec& spec, std::string_view what, bool capture) {
  stepd::ScriptSpec script;
  script.path = path;
  script.env = spec.env;
  script.cwd = spec.cwd;
  script.identity = stepd::ScriptSpec::Identity{spec.uid, spec.gid, spec.user};
  script.timeout = options.timeout;
  script.max_output = capture ? kMaxTaskPrologOutput : 0;
  auto ran = stepd::RunScript(script);
  if (!ran) {
    Log().Error("JobId={} {} {} could not run: {}", spec.job_id, what, path,
                ran.error().ToString());
    return {};
  }
  if (!ran->ok()) {
    Log().Warn("JobId={} {} {} failed: {}", spec.job_id, what, path, ran->Describe());
  }
  return std::move(ran->output);
}

}  // namespace

std::chrono::seconds ScriptTimeout(uint32_t prolog_epilog_timeout_s) {
  if (prolog_epilog_timeout_s == 0 || prolog_epilog_timeout_s >= 65534) {
    return kDefaultScriptTimeout;
  }
  return std::chrono::seconds(prolog_epilog_timeout_s);
}

void AddScriptOptions(const NodeScriptOptions& o, std::map<std::string, std::string>& conf) {
  conf["prolog"] = o.prolog;
  conf["epilog"] = o.epilog;
  conf["task_prolog"] = o.task_prolog;
  conf["task_epilog"] = o.task_epilog;
  conf["script_timeout_s"] = std::to_string(o.timeout.count());
  conf["cluster_name"] = o.cluster;
  conf["spool_dir"] = o.spool_dir;
}

NodeScriptOptions ScriptOptionsFromConf(const std::map<std::string, std::string>& conf) {
  NodeScriptOptions o;
  o.prolog = Get(conf, "prolog");
  o.epilog = Get(conf, "epilog");
  o.task_prolog = Get(conf, "task_prolog");
  o.task_epilog = Get(conf, "task_epilog");
  if (std::string t = Get(conf, "script_timeout_s"); !t.empty()) {
    long long s = std::strtoll(t.c_str(), nullptr, 10);
    if (s > 0) o.timeout = std::chrono::seconds(s);
  }
  o.node_name = Get(conf, "node_name");
  o.cluster = Get(conf, "cluster_name");
  o.conf_path = Get(conf, "conf_path");
  o.spool_dir = Get(conf, "spool_dir");
  return o;
}

std::string PrologMarkPath(std::string_view spool_dir, uint32_t job_id) {
  return fmt::format("{}/prolog.job{:05}", spool_dir, job_id);
}

bool PrologRan(std::string_view spool_dir, uint32_t job_id) {
  return ::access(PrologMarkPath(spool_dir, job_id).c_str(), F_OK) == 0;
}

stepd::PrologJobInfo PrologInfo(const v1::JobContext& job, const NodeScriptOptions& options,
                                const std::string& work_dir) {
  stepd::PrologJobInfo info;
  info.job_id = job.job_id();
  info.user = job.user().name();
  info.uid = job.user().uid();
  info.gid = job.group().gid();
  info.group = job.group().name();
  info.partition = job.partition();
  info.account = job.account();
  info.qos = job.qos();
  info.reservation = job.reservation();
  info.node_list = job.node_list();
  info.job_name = job.job_name();
  info.work_dir = !work_dir.empty() ? work_dir : job.submit_dir();
  if (job.has_array_task_id()) {
    info.array_job_id = job.array_job_id();
    info.array_task_id = job.array_task_id();
  }
  info.cluster = !job.cluster().empty() ? job.cluster() : options.cluster;
  info.node_name = options.node_name;
  info.conf_path = options.conf_path;
  return info;
}

Status RunProlog(const NodeScriptOptions& options, const v1::JobContext& job,
                 const std::string& work_dir, const std::function<bool()>& cancelled) {
  const uint32_t job_id = job.job_id();
  if (options.prolog.empty() || PrologRan(options.spool_dir, job_id)) return Ok();
  stepd::ScriptSpec script;
  script.path = options.prolog;
  script.env = stepd::BuildPrologEnv(PrologInfo(job, options, work_dir), stepd::kPrologContext);
  script.timeout = options.timeout;
  script.cancelled = cancelled;
  auto ran = stepd::RunScript(script);
  std::string context = fmt::format("job {} node {}", job_id, options.node_name);
  if (!ran) {
    Log().Error("JobId={} prolog {} could not run: {}", job_id, options.prolog,
                ran.error().ToString());
    return Error(ErrorCode::kInternal, std::string(kPrologFailedText), context);
  }
  if (!ran->ok()) {
    Log().Error("JobId={} prolog {} failed: {}", job_id, options.prolog, ran->Describe());
    return Error(ErrorCode::kInternal, std::string(kPrologFailedText),
                 fmt::format("{}: {}", context, ran->Describe()));
  }
  Log().Info("JobId={} prolog done", job_id);
  std::string mark;
  (void)job.SerializeToString(&mark);
  RETURN_IF_ERROR(WriteFileAtomic(PrologMarkPath(options.spool_dir, job_id), mark, 0600));
  return Ok();
}

int RunEpilog(const NodeScriptOptions& options, uint32_t job_id,
              const std::function<bool()>& cancelled) {
  const std::string mark_path = PrologMarkPath(options.spool_dir, job_id);
  int status = 0;
  if (!options.epilog.empty()) {
    stepd::PrologJobInfo info;
    v1::JobContext job;
    auto mark = ReadFile(mark_path);
    if (mark && job.ParseFromString(*mark) && job.job_id() == job_id) {
      info = PrologInfo(job, options, "");
    } else {
      info.job_id = job_id;
      info.cluster = options.cluster;
      info.node_name = options.node_name;
      info.conf_path = options.conf_path;
    }
    stepd::ScriptSpec script;
    script.path = options.epilog;
    script.env = stepd::BuildPrologEnv(info, stepd::kEpilogContext);
    script.timeout = options.timeout;
    script.cancelled = cancelled;
    auto ran = stepd::RunScript(script);
    if (!ran) {
      Log().Error("JobId={} epilog {} could not run: {}", job_id, options.epilog,
                  ran.error().ToString());
      status = 1 << 8;
    } else if (!ran->ok()) {
      Log().Error("JobId={} epilog {} failed: {}", job_id, options.epilog, ran->Describe());
      status = ran->timed_out || ran->wait_status == 0 ? 1 << 8 : ran->wait_status;
    } else {
      Log().Info("JobId={} epilog done", job_id);
    }
  }
  ::unlink(mark_path.c_str());
  return status;
}

void RunTaskProlog(const NodeScriptOptions& options, const std::string& extra,
                   stepd::LaunchSpec& spec) {
  for (const std::string* path : {&options.task_prolog, &extra}) {
    if (path->empty()) continue;
    std::string output = RunAsTask(options, *path, spec, "task prolog", true);
    std::string printed =
        stepd::ApplyTaskPrologRequests(stepd::ParseTaskPrologOutput(output), spec.env);
    spec.stdout_preamble += printed;
  }
  if (spec.stdout_preamble.size() > kMaxTaskPrologPrint) {
    spec.stdout_preamble.resize(kMaxTaskPrologPrint);
  }
}

void RunTaskEpilog(const NodeScriptOptions& options, const std::string& extra,
                   const stepd::LaunchSpec& spec) {
  for (const std::string* path : {&options.task_epilog, &extra}) {
    if (!path->empty()) (void)RunAsTask(options, *path, spec, "task epilog", false);
  }
}

}  // namespace drover::noded
