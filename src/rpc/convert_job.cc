#include "rpc/convert_job.h"

#include <fmt/format.h>

#include <algorithm>

#include "rpc/convert_enums.h"

namespace drover::rpc {
namespace {

std::string_view DependencyTypeName(v1::DependencyType type) {
  switch (type) {
    case v1::DEPENDENCY_TYPE_AFTER:
      return "after";
    case v1::DEPENDENCY_TYPE_AFTER_ANY:
      return "afterany";
    case v1::DEPENDENCY_TYPE_AFTER_OK:
      return "afterok";
    case v1::DEPENDENCY_TYPE_AFTER_NOT_OK:
      return "afternotok";
    case v1::DEPENDENCY_TYPE_AFTER_CORR:
      return "aftercorr";
    case v1::DEPENDENCY_TYPE_AFTER_BURST_BUFFER:
      return "afterburstbuffer";
    case v1::DEPENDENCY_TYPE_SINGLETON:
      return "singleton";
    default:
      return "";
  }
}

// --dependency as Slurm writes it: afterok:42_3+5,singleton (or '?' between items).
std::string DependencyText(const v1::DependencySpec& d) {
  std::string out;
  for (const v1::Dependency& item : d.items()) {
    if (!out.empty()) out += d.any() ? "?" : ",";
    out += DependencyTypeName(item.type());
    if (item.type() == v1::DEPENDENCY_TYPE_SINGLETON) continue;
    out += fmt::format(":{}", item.job_id());
    if (item.all_array_tasks()) out += "_*";
    if (item.has_array_task_id()) out += fmt::format("_{}", item.array_task_id());
    if (item.delay_s() > 0) out += fmt::format("+{}", (item.delay_s() + 59) / 60);
  }
  return out;
}

v1::DependencyType ToProto(DependencyKind kind) {
  switch (kind) {
    case DependencyKind::kAfter:
      return v1::DEPENDENCY_TYPE_AFTER;
    case DependencyKind::kAfterAny:
      return v1::DEPENDENCY_TYPE_AFTER_ANY;
    case DependencyKind::kAfterOk:
      return v1::DEPENDENCY_TYPE_AFTER_OK;
    case DependencyKind::kAfterNotOk:
      return v1::DEPENDENCY_TYPE_AFTER_NOT_OK;
    case DependencyKind::kAfterCorr:
      return v1::DEPENDENCY_TYPE_AFTER_CORR;
    case DependencyKind::kAfterBurstBuffer:
      return v1::DEPENDENCY_TYPE_AFTER_BURST_BUFFER;
    case DependencyKind::kSingleton:
      return v1::DEPENDENCY_TYPE_SINGLETON;
  }
  return v1::DEPENDENCY_TYPE_UNSPECIFIED;
}

// What scontrol shows as Dependency=: the items still unfulfilled or failed, each with its
// status; a fulfilled item is dropped, and a satisfied dependency shows as none at all.
void FillDependency(const Job& job, v1::DependencySpec* out) {
  const Dependency& dep = job.dependency;
  if (dep.empty() || dep.Overall() == DependencyStatus::kFulfilled) return;
  out->set_any(dep.any);
  for (const DependencyItem& d : dep.items) {
    if (d.status == DependencyStatus::kFulfilled) continue;
    v1::Dependency* item = out->add_items();
    item->set_type(ToProto(d.kind));
    item->set_job_id(d.job);
    if (d.array_task) item->set_array_task_id(*d.array_task);
    item->set_all_array_tasks(d.all_array_tasks);
    item->set_delay_s(d.delay_s);
    item->set_state(d.status == DependencyStatus::kFailed ? v1::DEPENDENCY_STATE_FAILED
                                                         : v1::DEPENDENCY_STATE_UNFULFILLED);
  }
}

// --signal as Slurm writes it: [B:]<num>[@<lead>].
std::string SignalText(const v1::SignalSpec& s) {
  if (s.signal() == 0) return "";
  std::string out = s.batch_only() ? "B:" : (s.reservation() ? "R:" : "");
  out += std::to_string(s.signal());
  out += fmt::format("@{}", s.lead_time_s());
  return out;
}

std::string GresText(const google::protobuf::RepeatedPtrField<v1::GresRequest>& gres) {
  std::string out;
  for (const v1::GresRequest& g : gres) {
    if (!out.empty()) out += ",";
    out += g.name();
    if (!g.type().empty()) out += ":" + g.type();
    out += fmt::format(":{}", g.count());
  }
  return out;
}

// The reverse of GresText: "gpu:tesla:2,nic:1" back into per-node requests.
void AddGresRequests(std::string_view text, v1::JobSpec* p) {
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t first = item.find(':');
    size_t last = item.rfind(':');
    if (item.empty() || first == std::string_view::npos) continue;
    v1::GresRequest* g = p->add_gres();
    g->set_name(std::string(item.substr(0, first)));
    if (last != first) g->set_type(std::string(item.substr(first + 1, last - first - 1)));
    int64_t count = 0;
    for (char c : item.substr(last + 1)) {
      if (c < '0' || c > '9') break;
      count = count * 10 + (c - '0');
    }
    g->set_count(count);
    g->set_scope(v1::TRES_SCOPE_PER_NODE);
  }
}

void AddTres(v1::TresList* list, const char* type, int64_t count) {
  v1::Tres* t = list->add_items();
  t->set_type(type);
  t->set_count(count);
}

// The TRES list in Slurm's order: cpu, mem, node, billing. mem is left out when unknown.
void FillTres(v1::TresList* list, uint64_t cpus, uint64_t mem_mb, uint64_t nodes) {
  AddTres(list, "cpu", static_cast<int64_t>(cpus));
  if (mem_mb > 0) AddTres(list, "mem", static_cast<int64_t>(mem_mb));
  AddTres(list, "node", static_cast<int64_t>(nodes));
  AddTres(list, "billing", static_cast<int64_t>(cpus));
}

void AddIdRanges(const std::vector<uint16_t>& ids,
                 google::protobuf::RepeatedPtrField<v1::IdRange>* out) {
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1) ++j;
    v1::IdRange* r = out->Add();
    r->set_first(ids[i]);
    r->set_last(ids[j]);
    i = j + 1;
  }
}

std::string Replace(const std::string& pattern, const Job& job, const std::string& user) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%' || i + 1 == pattern.size()) {
      out.push_back(c);
      continue;
    }
    char k = pattern[++i];
    switch (k) {
      case 'j':
        out += std::to_string(job.id);
        break;
      case 'A':
        out += std::to_string(job.array_job_id != 0 ? job.array_job_id : job.id);
        break;
      case 'a':
        if (job.array_task_id) {
          out += std::to_string(*job.array_task_id);
        } else {
          out += "%a";
        }
        break;
      case 'x':
        out += job.name;
        break;
      case 'u':
        out += user;
        break;
      case 'N':
        out += job.alloc.empty() ? "" : job.alloc.nodes.front().node;
        break;
      case '%':
        out.push_back('%');
        break;
      default:  // %a, %s, %t, %n... have no value for a batch job's own files here
        out.push_back('%');
        out.push_back(k);
        break;
    }
  }
  return out;
}

}  // namespace

int64_t ToEpochSeconds(TimePoint t) {
  if (t == TimePoint{}) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint FromEpochSeconds(int64_t s) {
  if (s == 0) return TimePoint{};
  return TimePoint(std::chrono::seconds(s));
}

std::string ExpandStdPath(const std::string& pattern, const Job& job, const std::string& user) {
  std::string fallback = job.array_job_id != 0 ? "slurm-%A_%a.out" : "slurm-%j.out";
  std::string path = Replace(pattern.empty() ? fallback : pattern, job, user);
  if (!path.empty() && path.front() != '/' && !job.spec->work_dir.empty()) {
    path = job.spec->work_dir + (job.spec->work_dir.back() == '/' ? "" : "/") + path;
  }
  return path;
}

Result<JobSpec> JobSpecFromProto(const v1::JobSpec& p, std::string script) {
  if (p.memory_case() == v1::JobSpec::kMemPerGpuMb) {
    return Error(ErrorCode::kNotSupported, "--mem-per-gpu is not supported yet");
  }
  for (const v1::GresRequest& g : p.gres()) {
    if (g.scope() != v1::TRES_SCOPE_UNSPECIFIED && g.scope() != v1::TRES_SCOPE_PER_NODE) {
      return Error(ErrorCode::kNotSupported,
                   "--gpus and --gpus-per-{socket,task} are not supported yet");
    }
  }
  if (p.has_cpus_per_task() && p.cpus_per_task() == 0) {
    return Error(ErrorCode::kInvalidArgument, "invalid --cpus-per-task: 0");
  }
  if (p.max_nodes() != 0 && p.max_nodes() < p.min_nodes())
    return Error(ErrorCode::kInvalidNodeCount);
  if (p.has_time_limit_s() && p.time_limit_s() < -1) return Error(ErrorCode::kInvalidTimeLimit);

  JobSpec s;
  s.name = p.name();
  s.partitions.assign(p.partitions().begin(), p.partitions().end());
  s.min_nodes = p.min_nodes();
  s.max_nodes = p.max_nodes();
  if (p.has_num_tasks()) s.ntasks = p.num_tasks();
  if (p.has_cpus_per_task()) {
    s.cpus_per_task = p.cpus_per_task();
    s.cpus_per_task_given = true;
  }
  if (p.has_ntasks_per_node()) s.ntasks_per_node = p.ntasks_per_node();
  if (p.memory_case() == v1::JobSpec::kMemPerNodeMb) s.mem_per_node_mb = p.mem_per_node_mb();
  if (p.memory_case() == v1::JobSpec::kMemPerCpuMb) s.mem_per_cpu_mb = p.mem_per_cpu_mb();
  if (p.has_time_limit_s()) {
    s.time_limit =
        p.time_limit_s() < 0 ? Duration::Infinite() : Duration::FromSeconds(p.time_limit_s());
  }
  s.nodelist = p.node_list();
  s.exclude = p.exclude_node_list();
  switch (p.sharing()) {
    case v1::SHARING_MODE_EXCLUSIVE:
    case v1::SHARING_MODE_EXCLUSIVE_USER:  // stricter than Slurm's: whole nodes
    case v1::SHARING_MODE_EXCLUSIVE_MCS:
    case v1::SHARING_MODE_EXCLUSIVE_TOPO:
      s.exclusive = true;
      break;
    case v1::SHARING_MODE_OVERSUBSCRIBE:
      s.oversubscribe = true;
      break;
    default:
      break;
  }
  s.hold = p.hold();
  if (p.has_requeue()) s.requeue = p.requeue();
  if (p.begin_time() != 0) s.begin_time = FromEpochSeconds(p.begin_time());
  s.account = p.account();
  s.qos = p.qos();
  s.comment = p.comment();
  s.gres = GresText(p.gres());
  s.work_dir = p.work_dir();
  s.std_out = p.std_out();
  s.std_err = p.std_err();
  s.std_in = p.std_in();
  switch (p.open_mode()) {
    case v1::OPEN_MODE_APPEND:
      s.open_mode = OpenMode::kAppend;
      break;
    case v1::OPEN_MODE_TRUNCATE:
      s.open_mode = OpenMode::kTruncate;
      break;
    default:
      s.open_mode = OpenMode::kDefault;
      break;
  }
  s.signal = SignalText(p.signal());
  s.nice = p.nice();
  s.environment = std::vector<std::string>(p.environment().begin(), p.environment().end());
  s.script = std::move(script);
  s.argv.assign(p.argv().begin(), p.argv().end());
  s.dependency = DependencyText(p.dependency());
  if (p.has_kill_on_invalid_dependency()) s.kill_on_invalid_dep = p.kill_on_invalid_dependency();
  s.command = p.command();
  s.alloc_node = p.alloc_node();
  s.alloc_sid = p.alloc_sid();
  if (p.has_array() && p.array().ranges_size() > 0) {
    std::vector<ArrayRange> ranges;
    for (const v1::ArrayRange& r : p.array().ranges()) {
      ranges.push_back({r.first(), r.last(), std::max<uint32_t>(r.step(), 1)});
    }
    // The controller bounds the count by MaxArraySize; this bound only keeps a request
    // from making it spell out an absurd number of interleaved ids.
    ASSIGN_OR_RETURN(s.array, ArrayTaskSet::FromRanges(std::move(ranges), 4'000'001));
    s.array_max_running = p.array().max_running();
  }
  return s;
}

v1::JobSpec JobSpecToProto(const Job& job) {
  const JobSpec& s = *job.spec;
  v1::JobSpec p;
  p.set_name(job.name);
  p.set_account(s.account);
  if (!job.partition.empty()) p.add_partitions(job.partition);
  for (const std::string& part : s.partitions) {
    if (part != job.partition) p.add_partitions(part);
  }
  p.set_qos(s.qos);
  p.set_comment(s.comment);
  p.set_time_limit_s(job.time_limit.infinite() ? -1 : job.time_limit.seconds());
  if (s.begin_time) p.set_begin_time(ToEpochSeconds(*s.begin_time));
  p.set_min_nodes(job.min_nodes);
  p.set_max_nodes(job.max_nodes);
  if (s.ntasks != 0) p.set_num_tasks(s.ntasks);
  p.set_cpus_per_task(s.cpus_per_task);
  if (s.ntasks_per_node != 0) p.set_ntasks_per_node(s.ntasks_per_node);
  if (s.mem_per_node_mb) p.set_mem_per_node_mb(*s.mem_per_node_mb);
  if (s.mem_per_cpu_mb) p.set_mem_per_cpu_mb(*s.mem_per_cpu_mb);
  p.set_node_list(s.nodelist);
  p.set_exclude_node_list(s.exclude);
  if (s.exclusive) p.set_sharing(v1::SHARING_MODE_EXCLUSIVE);
  if (s.oversubscribe) p.set_sharing(v1::SHARING_MODE_OVERSUBSCRIBE);
  p.set_hold(s.hold);
  if (s.requeue) p.set_requeue(*s.requeue);
  p.set_nice(job.nice);
  p.set_work_dir(s.work_dir);
  p.set_std_in(s.std_in);
  p.set_std_out(s.std_out);
  p.set_std_err(s.std_err);
  if (s.open_mode == OpenMode::kAppend) p.set_open_mode(v1::OPEN_MODE_APPEND);
  if (s.open_mode == OpenMode::kTruncate) p.set_open_mode(v1::OPEN_MODE_TRUNCATE);
  AddGresRequests(s.gres, &p);
  if (std::optional<JobSignal> sig = JobSignalFromText(s.signal)) {
    v1::SignalSpec* out = p.mutable_signal();
    out->set_signal(sig->number);
    out->set_lead_time_s(sig->lead.seconds());
    out->set_batch_only(sig->batch_only);
    out->set_reservation(sig->reservation);
  }
  p.set_command(s.command);
  p.set_alloc_node(s.alloc_node);
  p.set_alloc_sid(s.alloc_sid);
  FillDependency(job, p.mutable_dependency());
  if (s.kill_on_invalid_dep) p.set_kill_on_invalid_dependency(*s.kill_on_invalid_dep);
  return p;
}

v1::JobInfo JobInfoFromJob(const Job& job, const JobInfoContext& ctx) {
  const JobSpec& s = *job.spec;
  v1::JobInfo info;
  info.set_job_id(job.id);
  if (job.array_job_id != 0) {
    info.set_array_job_id(job.array_job_id);
    if (job.array_task_id) info.set_array_task_id(*job.array_task_id);
    for (const auto& [first, last] : job.array_pending.Runs()) {
      v1::IdRange* r = info.add_pending_array_tasks();
      r->set_first(first);
      r->set_last(last);
    }
    info.set_array_max_running(s.array_max_running);
  }
  std::string user = s.user_name;
  if (user.empty() && ctx.names.user) user = ctx.names.user(s.uid);
  info.mutable_user()->set_uid(s.uid);
  info.mutable_user()->set_name(user);
  info.mutable_group()->set_gid(s.gid);
  if (ctx.brief) {
    v1::JobSpec* p = info.mutable_spec();
    p->set_name(job.name);
    p->set_account(s.account);
    p->set_qos(s.qos);
    p->set_comment(s.comment);
    p->set_time_limit_s(job.time_limit.infinite() ? -1 : job.time_limit.seconds());
    p->set_nice(job.nice);
  } else {
    if (ctx.names.group) info.mutable_group()->set_name(ctx.names.group(s.gid));
    *info.mutable_spec() = JobSpecToProto(job);
    info.set_cluster(ctx.cluster_name);
  }
  info.set_partition(job.partition);

  info.set_state(ToProto(job.state));
  info.set_reason(ToProto(job.reason));
  info.set_priority(job.priority);
  info.set_restarts(job.restarts);
  info.set_batch(!s.script.empty());  // an allocation (salloc, srun) has no script
  info.mutable_exit_code()->set_status(job.exit_code.exit_status);
  info.mutable_exit_code()->set_signal(job.exit_code.signal);
  info.mutable_derived_exit_code();  // 0:0 until steps are modelled

  info.set_submit_time(ToEpochSeconds(job.submit_time));
  info.set_eligible_time(ToEpochSeconds(job.eligible_time));
  info.set_accrue_time(ToEpochSeconds(job.eligible_time));
  TimePoint start = job.start_time;
  // A job deferred by --begin (or a requeue delay) and not planned yet is expected to
  // start when it becomes eligible: squeue --start shows that time.
  if (IsPending(job.state) && start == TimePoint{} && job.eligible_time > ctx.now) {
    start = job.eligible_time;
  }
  info.set_start_time(ToEpochSeconds(start));
  int64_t end = ToEpochSeconds(job.end_time);
  if (end == 0 && job.start_time != TimePoint{} && !job.time_limit.infinite() &&
      !IsPending(job.state)) {
    end = ToEpochSeconds(job.start_time) + job.time_limit.seconds();  // expected end
  }
  info.set_end_time(end);
  if (job.start_time != TimePoint{} && !IsPending(job.state)) {
    TimePoint until = job.end_time != TimePoint{} ? job.end_time : ctx.now;
    info.set_run_time_s(std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(until - job.start_time).count()));
  }
  info.set_last_sched_eval_time(
      ToEpochSeconds(job.start_time != TimePoint{} ? job.start_time : job.submit_time));
  info.set_scheduler(job.backfilled ? v1::SCHEDULER_KIND_BACKFILL : v1::SCHEDULER_KIND_MAIN);

  uint32_t tasks = EffectiveTasks(s, job.min_nodes);
  info.set_num_tasks(tasks);
  if (!job.alloc.empty()) {
    info.set_node_list(job.alloc.NodeList());
    info.set_batch_host(job.alloc.nodes.front().node);
    info.set_num_nodes(static_cast<uint32_t>(job.alloc.nodes.size()));
    info.set_num_cpus(job.alloc.TotalCpus());
    if (!ctx.brief) {
      FillTres(info.mutable_alloc_tres(), job.alloc.TotalCpus(), job.alloc.TotalMemMb(),
               job.alloc.nodes.size());
    }
  } else {
    info.set_num_nodes(job.min_nodes);
    info.set_num_cpus(std::max<uint32_t>(1, tasks) * s.cpus_per_task);
  }
  if (ctx.brief) return info;
  uint64_t req_mem = 0;
  if (s.mem_per_node_mb) req_mem = *s.mem_per_node_mb * job.min_nodes;
  if (s.mem_per_cpu_mb) req_mem = *s.mem_per_cpu_mb * info.num_cpus();
  FillTres(info.mutable_req_tres(), info.num_cpus(), req_mem, info.num_nodes());
  if (ctx.details) {
    for (const NodeAllocation& a : job.alloc.nodes) {
      v1::NodeAllocation* n = info.add_node_allocations();
      n->set_node_name(a.node);
      if (ctx.node_address) ctx.node_address(a.node, n);
      n->set_num_cpus(static_cast<uint32_t>(a.cpus.size()));
      AddIdRanges(a.cpus, n->mutable_cpu_ids());
      n->set_mem_mb(a.mem_mb);
    }
  }
  info.set_std_in_path(s.std_in.empty() ? "/dev/null" : ExpandStdPath(s.std_in, job, user));
  std::string out = ExpandStdPath(s.std_out, job, user);
  info.set_std_out_path(out);
  info.set_std_err_path(s.std_err.empty() ? out : ExpandStdPath(s.std_err, job, user));
  return info;
}

}  // namespace drover::rpc
