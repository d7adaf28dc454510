#include "cli/squeue/job_text.h"

#include <fmt/format.h>

#include "base/duration.h"
#include "base/time_spec.h"
#include "core/job_state.h"
#include "core/pending_reason.h"
#include "core/tres.h"

namespace drover::cli::jobtext {
namespace {

// The wire enums are the core enumerators plus one (0 is UNSPECIFIED); see common.proto.
std::optional<JobState> ToCore(v1::JobState state) {
  int n = static_cast<int>(state);
  if (n <= 0 || static_cast<size_t>(n) > AllJobStates().size()) return std::nullopt;
  return AllJobStates()[static_cast<size_t>(n - 1)];
}

}  // namespace

std::string IdRangesText(const google::protobuf::RepeatedPtrField<v1::IdRange>& ranges) {
  std::string out;
  for (const v1::IdRange& r : ranges) {
    if (!out.empty()) out.push_back(',');
    if (r.last() > r.first()) {
      out += fmt::format("{}-{}", r.first(), r.last());
    } else {
      out += std::to_string(r.first());
    }
  }
  return out;
}

std::string ArrayTaskText(const v1::JobInfo& job) {
  if (job.pending_array_tasks_size() > 0) {
    std::string out = IdRangesText(job.pending_array_tasks());
    if (job.array_max_running() > 0) out += fmt::format("%{}", job.array_max_running());
    return out;
  }
  if (job.has_array_task_id()) return std::to_string(job.array_task_id());
  return "N/A";
}

std::string JobIdText(const v1::JobInfo& job) {
  if (job.pending_array_tasks_size() > 0) {
    uint32_t master = job.array_job_id() != 0 ? job.array_job_id() : job.job_id();
    return fmt::format("{}_[{}]", master, ArrayTaskText(job));
  }
  if (job.has_array_task_id() && job.array_job_id() != 0) {
    return fmt::format("{}_{}", job.array_job_id(), job.array_task_id());
  }
  return std::to_string(job.job_id());
}

std::string_view StateName(v1::JobState state) {
  auto s = ToCore(state);
  return s ? JobStateName(*s) : "UNKNOWN";
}

std::string_view StateCode(v1::JobState state) {
  auto s = ToCore(state);
  return s ? JobStateCode(*s) : "UN";
}

bool IsPendingState(v1::JobState state) {
  auto s = ToCore(state);
  return s && IsPending(*s);
}

bool IsFinishedState(v1::JobState state) {
  auto s = ToCore(state);
  return s && IsFinished(*s);
}

std::string_view ReasonName(v1::PendingReason reason) {
  int n = static_cast<int>(reason);
  if (n <= 0 || static_cast<size_t>(n) > AllPendingReasons().size()) return "None";
  return PendingReasonName(AllPendingReasons()[static_cast<size_t>(n - 1)]);
}

std::string ReasonOrNodes(const v1::JobInfo& job) {
  if (IsPendingState(job.state())) {
    std::string out = "(" + std::string(ReasonName(job.reason()));
    if (!job.reason_detail().empty()) out += ", " + job.reason_detail();
    return out + ")";
  }
  return job.node_list();
}

int64_t TimeUsedSeconds(const v1::JobInfo& job, int64_t now) {
  if (IsPendingState(job.state()) || job.start_time() == 0) return 0;
  if (job.state() == v1::JOB_STATE_SUSPENDED) return job.run_time_s();
  int64_t end = IsFinishedState(job.state()) && job.end_time() != 0 ? job.end_time() : now;
  return end - job.start_time() - job.suspended_s();
}

int64_t TimeLimitSeconds(const v1::JobInfo& job) {
  if (!job.spec().has_time_limit_s() || job.spec().time_limit_s() < 0) return -1;
  return job.spec().time_limit_s();
}

std::string TimeUsedText(const v1::JobInfo& job, int64_t now) {
  int64_t used = TimeUsedSeconds(job, now);
  if (used < 0) return "INVALID";
  return FormatElapsed(Duration::FromSeconds(used));
}

std::string TimeLimitText(const v1::JobInfo& job) {
  int64_t limit = TimeLimitSeconds(job);
  return FormatElapsed(limit < 0 ? Duration::Infinite() : Duration::FromSeconds(limit));
}

std::string TimeLeftText(const v1::JobInfo& job, int64_t now) {
  int64_t limit = TimeLimitSeconds(job);
  if (limit < 0) return "UNLIMITED";
  int64_t left = limit - TimeUsedSeconds(job, now);
  if (left < 0) return "INVALID";
  return FormatElapsed(Duration::FromSeconds(left));
}

std::string IsoTimeOr(int64_t t, std::string_view unset) {
  if (t == 0) return std::string(unset);
  return FormatIsoTime(TimePoint(std::chrono::seconds(t)));
}

std::string OrNull(std::string_view s) { return s.empty() ? "(null)" : std::string(s); }

std::string DependencyText(const v1::DependencySpec& dep) {
  if (dep.items_size() == 0) return "(null)";
  std::string out;
  for (const v1::Dependency& d : dep.items()) {
    if (!out.empty()) out.push_back(dep.any() ? '?' : ',');
    switch (d.type()) {
      case v1::DEPENDENCY_TYPE_AFTER:
        out += "after";
        break;
      case v1::DEPENDENCY_TYPE_AFTER_ANY:
        out += "afterany";
        break;
      case v1::DEPENDENCY_TYPE_AFTER_OK:
        out += "afterok";
        break;
      case v1::DEPENDENCY_TYPE_AFTER_NOT_OK:
        out += "afternotok";
        break;
      case v1::DEPENDENCY_TYPE_AFTER_CORR:
        out += "aftercorr";
        break;
      case v1::DEPENDENCY_TYPE_AFTER_BURST_BUFFER:
        out += "afterburstbuffer";
        break;
      case v1::DEPENDENCY_TYPE_SINGLETON:
        out += "singleton";
        break;
      default:
        out += "unknown";
        break;
    }
    if (d.type() != v1::DEPENDENCY_TYPE_SINGLETON) {
      out += fmt::format(":{}", d.job_id());
      if (d.has_array_task_id()) {
        out += fmt::format("_{}", d.array_task_id());
      } else if (d.all_array_tasks()) {
        out += "_*";
      }
      if (d.delay_s() > 0) out += fmt::format("+{}", d.delay_s() / 60);
    }
    switch (d.state()) {
      case v1::DEPENDENCY_STATE_UNFULFILLED:
        out += "(unfulfilled)";
        break;
      case v1::DEPENDENCY_STATE_FULFILLED:
        out += "(fulfilled)";
        break;
      case v1::DEPENDENCY_STATE_FAILED:
        out += "(failed)";
        break;
      default:
        break;
    }
  }
  return out;
}

std::string_view SharingText(v1::SharingMode mode) {
  switch (mode) {
    case v1::SHARING_MODE_EXCLUSIVE:
      return "NO";
    case v1::SHARING_MODE_EXCLUSIVE_USER:
      return "USER";
    case v1::SHARING_MODE_EXCLUSIVE_MCS:
      return "MCS";
    case v1::SHARING_MODE_EXCLUSIVE_TOPO:
      return "TOPO";
    case v1::SHARING_MODE_OVERSUBSCRIBE:
      return "YES";
    default:
      return "OK";
  }
}

std::string TresText(const v1::TresList& tres) {
  std::string out;
  for (const v1::Tres& t : tres.items()) {
    if (!out.empty()) out.push_back(',');
    TresKey key{t.type(), t.name()};
    out += key.ToString();
    out.push_back('=');
    out += key.IsMemory() ? FormatTresMemoryMb(static_cast<uint64_t>(t.count()))
                          : std::to_string(t.count());
  }
  return out;
}

std::string TresPerNodeText(const v1::JobSpec& spec) {
  std::string out;
  for (const v1::GresRequest& g : spec.gres()) {
    if (g.scope() != v1::TRES_SCOPE_PER_NODE && g.scope() != v1::TRES_SCOPE_UNSPECIFIED) continue;
    if (!out.empty()) out.push_back(',');
    out += "gres:" + g.name();
    if (!g.type().empty()) out += ":" + g.type();
    out += fmt::format(":{}", g.count());
  }
  return out;
}

std::string MinMemoryText(const v1::JobSpec& spec) {
  switch (spec.memory_case()) {
    case v1::JobSpec::kMemPerNodeMb:
      return FormatTresMemoryMb(spec.mem_per_node_mb());
    case v1::JobSpec::kMemPerCpuMb:
      return FormatTresMemoryMb(spec.mem_per_cpu_mb());
    case v1::JobSpec::kMemPerGpuMb:
      return FormatTresMemoryMb(spec.mem_per_gpu_mb());
    default:
      return "0";
  }
}

std::string LicensesText(const google::protobuf::RepeatedPtrField<v1::License>& licenses) {
  if (licenses.empty()) return "(null)";
  std::string out;
  for (const v1::License& l : licenses) {
    if (!out.empty()) out.push_back(',');
    out += l.name();
    if (!l.server().empty()) out += "@" + l.server();
    out += fmt::format(":{}", l.count());
  }
  return out;
}

}  // namespace drover::cli::jobtext
