#include "cli/common/job_spec_builder.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "base/time_spec.h"
#include "core/dependency.h"

namespace drover::cli {
namespace {

std::vector<std::string> Split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t at = text.find(sep, pos);
    out.emplace_back(text.substr(pos, at == std::string_view::npos ? at : at - pos));
    if (at == std::string_view::npos) break;
    pos = at + 1;
  }
  return out;
}

std::optional<uint32_t> ToU32(std::string_view s) {
  uint32_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

Result<uint32_t> ResolveUid(const std::string& text) {
  if (auto n = ToU32(text)) return *n;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwnam_r(text.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "Invalid --uid specification");
  }
  return static_cast<uint32_t>(found->pw_uid);
}

Result<uint32_t> ResolveGid(const std::string& text) {
  if (auto n = ToU32(text)) return *n;
  std::vector<char> buf(16384);
  group gr{};
  group* found = nullptr;
  if (getgrnam_r(text.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || found == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "Invalid --gid specification");
  }
  return static_cast<uint32_t>(found->gr_gid);
}

void AddGres(const std::vector<GresSpec>& specs, v1::TresScope scope, v1::JobSpec& spec) {
  for (const GresSpec& g : specs) {
    v1::GresRequest* r = spec.add_gres();
    r->set_name(g.name);
    r->set_type(g.type);
    r->set_count(static_cast<int64_t>(g.count));
    r->set_scope(scope);
  }
}

v1::MailType MailTypeOf(const std::string& name) {
  static const std::map<std::string, v1::MailType> kTypes = {
      {"BEGIN", v1::MAIL_TYPE_BEGIN},
      {"END", v1::MAIL_TYPE_END},
      {"FAIL", v1::MAIL_TYPE_FAIL},
      {"REQUEUE", v1::MAIL_TYPE_REQUEUE},
      {"ALL", v1::MAIL_TYPE_ALL},
      {"STAGE_OUT", v1::MAIL_TYPE_STAGE_OUT},
      {"TIME_LIMIT", v1::MAIL_TYPE_TIME_LIMIT},
      {"TIME_LIMIT_90", v1::MAIL_TYPE_TIME_LIMIT_90},
      {"TIME_LIMIT_80", v1::MAIL_TYPE_TIME_LIMIT_80},
      {"TIME_LIMIT_50", v1::MAIL_TYPE_TIME_LIMIT_50},
      {"ARRAY_TASKS", v1::MAIL_TYPE_ARRAY_TASKS},
      {"INVALID_DEPEND", v1::MAIL_TYPE_INVALID_DEPEND},
  };
  auto it = kTypes.find(name);
  return it == kTypes.end() ? v1::MAIL_TYPE_UNSPECIFIED : it->second;
}

int64_t DurationSeconds(Duration d) { return d.infinite() ? -1 : d.seconds(); }

Result<int64_t> ResolveTime(const std::string& text, std::string_view option, TimePoint now) {
  auto t = ParseTimeSpec(text, now);
  if (!t) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid --{} specification", option));
  }
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

}  // namespace

Result<v1::DependencySpec> ParseDependency(std::string_view text) {
  // The controller's reader (core/dependency.h, fuzzed), so sbatch refuses exactly what
  // the controller would.
  ASSIGN_OR_RETURN(Dependency dep, drover::ParseDependency(text));
  v1::DependencySpec spec;
  spec.set_any(dep.any);
  for (const DependencyItem& d : dep.items) {
    v1::Dependency* item = spec.add_items();
    switch (d.kind) {
      case DependencyKind::kAfter: item->set_type(v1::DEPENDENCY_TYPE_AFTER); break;
      case DependencyKind::kAfterAny: item->set_type(v1::DEPENDENCY_TYPE_AFTER_ANY); break;
      case DependencyKind::kAfterOk: item->set_type(v1::DEPENDENCY_TYPE_AFTER_OK); break;
      case DependencyKind::kAfterNotOk: item->set_type(v1::DEPENDENCY_TYPE_AFTER_NOT_OK); break;
      case DependencyKind::kAfterCorr: item->set_type(v1::DEPENDENCY_TYPE_AFTER_CORR); break;
      case DependencyKind::kAfterBurstBuffer:
        item->set_type(v1::DEPENDENCY_TYPE_AFTER_BURST_BUFFER);
        break;
      case DependencyKind::kSingleton: item->set_type(v1::DEPENDENCY_TYPE_SINGLETON); break;
    }
    if (d.kind == DependencyKind::kSingleton) continue;
    item->set_job_id(d.job);
    if (d.array_task) item->set_array_task_id(*d.array_task);
    if (d.all_array_tasks) item->set_all_array_tasks(true);
    if (d.delay_s > 0) item->set_delay_s(d.delay_s);
  }
  return spec;
}

std::vector<std::string> ResolveExport(const std::optional<std::string>& spec,
                                       const Environment& env, bool* get_user_env) {
  std::map<std::string, std::string> out;
  bool all = !spec.has_value();
  std::vector<std::string> items;
  if (spec) {
    for (std::string& item : Split(*spec, ',')) {
      std::string upper = item;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == "ALL") {
        all = true;
      } else if (upper == "NONE") {
        if (get_user_env != nullptr) *get_user_env = true;
      } else if (upper == "NIL" || item.empty()) {
        // only SLURM_* variables
      } else {
        items.push_back(std::move(item));
      }
    }
  }
  for (const auto& [name, value] : env) {
    if (all || name.starts_with("SLURM_")) out[name] = value;
  }
  for (const std::string& item : items) {
    if (size_t eq = item.find('='); eq != std::string::npos) {
      out[item.substr(0, eq)] = item.substr(eq + 1);
    } else if (auto it = env.find(item); it != env.end()) {
      out[item] = it->second;
    }
  }
  if (spec) out["SLURM_EXPORT_ENV"] = *spec;
  std::vector<std::string> result;
  result.reserve(out.size());
  for (const auto& [name, value] : out) result.push_back(name + "=" + value);
  return result;
}

Result<v1::JobSpec> BuildJobSpec(const JobOptions& o, const SubmitContext& ctx) {
  v1::JobSpec spec;
  // Naming and accounting
  spec.set_name(o.job_name.value_or(ctx.default_name));
  if (o.account) spec.set_account(*o.account);
  if (o.partition) {
    for (const std::string& p : Split(*o.partition, ',')) {
      if (!p.empty()) spec.add_partitions(p);
    }
  }
  if (o.qos) spec.set_qos(*o.qos);
  if (o.reservation) {
    for (const std::string& r : Split(*o.reservation, ',')) {
      if (!r.empty()) spec.add_reservations(r);
    }
  }
  if (o.wckey) spec.set_wckey(*o.wckey);
  if (o.comment) spec.set_comment(*o.comment);

  // Time
  if (o.time_limit) spec.set_time_limit_s(DurationSeconds(*o.time_limit));
  if (o.time_min) spec.set_time_min_s(DurationSeconds(*o.time_min));
  if (o.begin) {
    ASSIGN_OR_RETURN(int64_t begin, ResolveTime(*o.begin, "begin", ctx.now));
    spec.set_begin_time(begin);
  }
  if (o.deadline) {
    ASSIGN_OR_RETURN(int64_t deadline, ResolveTime(*o.deadline, "deadline", ctx.now));
    spec.set_deadline_time(deadline);
  }

  // Size and shape
  if (o.min_nodes) spec.set_min_nodes(*o.min_nodes);
  if (o.max_nodes) spec.set_max_nodes(*o.max_nodes);
  if (o.ntasks) spec.set_num_tasks(*o.ntasks);
  if (o.cpus_per_task) spec.set_cpus_per_task(*o.cpus_per_task);
  if (o.ntasks_per_node) spec.set_ntasks_per_node(*o.ntasks_per_node);
  if (o.ntasks_per_socket) spec.set_ntasks_per_socket(*o.ntasks_per_socket);
  if (o.ntasks_per_core) spec.set_ntasks_per_core(*o.ntasks_per_core);
  if (o.mincpus) spec.set_min_cpus_per_node(*o.mincpus);
  if (o.threads_per_core) spec.set_threads_per_core(*o.threads_per_core);
  if (o.core_spec) spec.set_core_spec(*o.core_spec);
  spec.set_overcommit(o.overcommit);
  switch (o.memory_kind) {
    case MemoryKind::kPerNode:
      spec.set_mem_per_node_mb(o.memory_mb);
      break;
    case MemoryKind::kPerCpu:
      spec.set_mem_per_cpu_mb(o.memory_mb);
      break;
    case MemoryKind::kPerGpu:
      spec.set_mem_per_gpu_mb(o.memory_mb);
      break;
    case MemoryKind::kUnset:
      break;
  }
  if (o.tmp_mb) spec.set_tmp_disk_mb(*o.tmp_mb);
  AddGres(o.gres, v1::TRES_SCOPE_PER_NODE, spec);
  if (o.gpus) AddGres(*o.gpus, v1::TRES_SCOPE_PER_JOB, spec);
  if (o.gpus_per_node) AddGres(*o.gpus_per_node, v1::TRES_SCOPE_PER_NODE, spec);
  if (o.gpus_per_socket) AddGres(*o.gpus_per_socket, v1::TRES_SCOPE_PER_SOCKET, spec);
  if (o.gpus_per_task) AddGres(*o.gpus_per_task, v1::TRES_SCOPE_PER_TASK, spec);
  if (o.cpus_per_gpu) spec.set_cpus_per_gpu(*o.cpus_per_gpu);

  // Placement
  if (o.constraint) spec.set_constraint(*o.constraint);
  if (o.nodelist) spec.set_node_list(*o.nodelist);
  if (o.exclude) spec.set_exclude_node_list(*o.exclude);
  spec.set_contiguous(o.contiguous);
  spec.set_spread_job(o.spread_job);
  spec.set_use_min_nodes(o.use_min_nodes);
  switch (o.sharing) {
    case Sharing::kExclusive:
      spec.set_sharing(v1::SHARING_MODE_EXCLUSIVE);
      break;
    case Sharing::kExclusiveUser:
      spec.set_sharing(v1::SHARING_MODE_EXCLUSIVE_USER);
      break;
    case Sharing::kExclusiveMcs:
      spec.set_sharing(v1::SHARING_MODE_EXCLUSIVE_MCS);
      break;
    case Sharing::kOversubscribe:
      spec.set_sharing(v1::SHARING_MODE_OVERSUBSCRIBE);
      break;
    case Sharing::kUnset:
      break;
  }

  // Life cycle
  if (o.dependency && !o.dependency->empty()) {
    ASSIGN_OR_RETURN(*spec.mutable_dependency(), ParseDependency(*o.dependency));
  }
  if (o.array) {
    v1::JobArraySpec* array = spec.mutable_array();
    for (const ArrayRangeOpt& r : o.array->ranges) {
      v1::ArrayRange* range = array->add_ranges();
      range->set_first(r.first);
      range->set_last(r.last);
      range->set_step(r.step);
    }
    array->set_max_running(o.array->max_running);
  }
  spec.set_hold(o.hold);
  if (o.requeue) spec.set_requeue(*o.requeue);
  if (o.nice) spec.set_nice(*o.nice);
  if (o.priority) spec.set_priority(*o.priority);
  spec.set_no_kill(o.no_kill);
  if (o.kill_on_invalid_dep) spec.set_kill_on_invalid_dependency(*o.kill_on_invalid_dep);
  if (o.signal) {
    v1::SignalSpec* s = spec.mutable_signal();
    s->set_signal(o.signal->signal);
    s->set_lead_time_s(o.signal->lead_time_s);
    s->set_batch_only(o.signal->batch_only);
    s->set_reservation(o.signal->reservation);
  }
  for (const std::string& t : o.mail_types) spec.add_mail_types(MailTypeOf(t));
  if (o.mail_user) spec.set_mail_user(*o.mail_user);

  // Execution context
  std::string work_dir = ctx.cwd;
  if (o.chdir && !o.chdir->empty()) {
    work_dir = o.chdir->front() == '/' ? *o.chdir : ctx.cwd + "/" + *o.chdir;
  }
  spec.set_work_dir(work_dir);
  if (o.input) spec.set_std_in(*o.input);
  if (o.output) spec.set_std_out(*o.output);
  if (o.error) spec.set_std_err(*o.error);
  if (o.open_mode == OpenModeOpt::kAppend) spec.set_open_mode(v1::OPEN_MODE_APPEND);
  if (o.open_mode == OpenModeOpt::kTruncate) spec.set_open_mode(v1::OPEN_MODE_TRUNCATE);
  bool get_user_env = o.get_user_env;
  std::vector<std::string> environment = ResolveExport(o.export_env, ctx.env, &get_user_env);
  // Variables sbatch itself hands to the job (and to srun inside it).
  if (o.distribution) environment.push_back("SLURM_DISTRIBUTION=" + *o.distribution);
  if (get_user_env) environment.push_back("SLURM_GET_USER_ENV=1");
  std::sort(environment.begin(), environment.end());
  for (std::string& e : environment) spec.add_environment(std::move(e));
  spec.set_get_user_env(get_user_env);
  for (const std::string& a : ctx.argv) spec.add_argv(a);
  spec.set_command(ctx.command);
  spec.set_submit_line(ctx.submit_line);
  if (o.container) spec.set_container(*o.container);
  spec.set_alloc_node(ctx.hostname);
  spec.set_alloc_sid(ctx.sid);

  // An administrator submitting for someone else: explicit fields the controller
  // authorises from the caller's credential, never trusted as identity.
  if (o.uid) {
    if (ctx.caller_uid != 0) {
      return Error(ErrorCode::kInvalidArgument, "--uid only permitted by root user");
    }
    ASSIGN_OR_RETURN(uint32_t uid, ResolveUid(*o.uid));
    spec.set_on_behalf_uid(uid);
  }
  if (o.gid) {
    if (ctx.caller_uid != 0) {
      return Error(ErrorCode::kInvalidArgument, "--gid only permitted by root user");
    }
    ASSIGN_OR_RETURN(uint32_t gid, ResolveGid(*o.gid));
    spec.set_on_behalf_gid(gid);
  }
  return spec;
}

}  // namespace drover::cli
