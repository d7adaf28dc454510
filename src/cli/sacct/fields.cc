#include "cli/sacct/fields.h"

#include <fmt/core.h>

#include <algorithm>

#include "base/duration.h"
#include "base/time_spec.h"
#include "cli/common/format_table.h"
#include "core/job_state.h"
#include "core/pending_reason.h"

namespace drover::cli::sacct {
namespace {

using v1::JobRecord;
using v1::StepRecord;

std::string Time(int64_t t) {
  if (t <= 0) return "Unknown";
  return FormatIsoTime(TimePoint{} + std::chrono::seconds(t));
}

// The wire's enums number core's values from 1 (common.proto).
std::string StateName(v1::JobState s) {
  const int n = static_cast<int>(s);
  if (n < 1 || n > static_cast<int>(AllJobStates().size())) return "UNKNOWN";
  return std::string(JobStateName(static_cast<JobState>(n - 1)));
}

std::string ReasonName(v1::PendingReason r) {
  const int n = static_cast<int>(r);
  if (n < 1 || n > static_cast<int>(AllPendingReasons().size())) return "None";
  return std::string(PendingReasonName(static_cast<PendingReason>(n - 1)));
}

int64_t StartOf(const Row& r) { return r.step ? r.step->start_time() : r.job->start_time(); }
int64_t EndOf(const Row& r) { return r.step ? r.step->end_time() : r.job->end_time(); }

int64_t ElapsedSeconds(const Row& r) {
  int64_t start = StartOf(r), end = EndOf(r);
  if (start <= 0) return 0;
  if (end <= 0) end = r.now;
  return std::max<int64_t>(0, end - start);
}

uint32_t Cpus(const Row& r) { return r.step ? r.step->num_cpus() : r.job->num_cpus(); }

std::string JobIdText(const Row& r, bool raw) {
  const JobRecord& j = *r.job;
  std::string id = !raw && j.has_array_task_id()
                       ? fmt::format("{}_{}", j.array_job_id(), j.array_task_id())
                       : std::to_string(j.job_id());
  if (!r.step) return id;
  switch (r.step->id().kind()) {
    case v1::STEP_KIND_BATCH: return id + ".batch";
    case v1::STEP_KIND_NORMAL: return id + "." + std::to_string(r.step->id().step_id());
    default: return id + ".extern";
  }
}

std::string Tres(const v1::TresList& list) {
  std::string out;
  for (const v1::Tres& t : list.items()) {
    if (!out.empty()) out += ',';
    out += t.name().empty() ? t.type() : t.type() + "/" + t.name();
    out += '=';
    out += t.type() == "mem" ? std::to_string(t.count()) + "M" : std::to_string(t.count());
  }
  return out;
}

std::string Exit(const v1::ExitCode& c) { return fmt::format("{}:{}", c.status(), c.signal()); }

std::string Limit(int64_t s) {
  return FormatHms(s < 0 ? Duration::Infinite() : Duration::FromSeconds(s));
}

constexpr Field kFields[] = {
    {"Account", 10, false, [](const Row& r) { return r.job->account(); }},
    {"AllocCPUS", 10, false, [](const Row& r) { return std::to_string(Cpus(r)); }},
    {"AllocNodes", 10, false,
     [](const Row& r) {
       return std::to_string(r.step ? r.step->num_nodes() : r.job->num_nodes());
     }},
    {"AllocTRES", 10, false,
     [](const Row& r) { return Tres(r.step ? r.step->alloc_tres() : r.job->alloc_tres()); }},
    {"Cluster", 10, false, [](const Row& r) { return r.job->cluster(); }},
    {"CPUTime", 10, false,
     [](const Row& r) { return FormatHms(Duration::FromSeconds(ElapsedSeconds(r) * Cpus(r))); }},
    {"CPUTimeRAW", 10, false,
     [](const Row& r) { return std::to_string(ElapsedSeconds(r) * Cpus(r)); }},
    {"DerivedExitCode", 15, false,
     [](const Row& r) { return r.step ? std::string() : Exit(r.job->derived_exit_code()); }},
    {"Elapsed", 10, false,
     [](const Row& r) { return FormatHms(Duration::FromSeconds(ElapsedSeconds(r))); }},
    {"ElapsedRaw", 10, false, [](const Row& r) { return std::to_string(ElapsedSeconds(r)); }},
    {"Eligible", 19, false,
     [](const Row& r) { return Time(r.step ? r.step->start_time() : r.job->eligible_time()); }},
    {"End", 19, false, [](const Row& r) { return Time(EndOf(r)); }},
    {"ExitCode", 8, false,
     [](const Row& r) { return Exit(r.step ? r.step->exit_code() : r.job->exit_code()); }},
    {"GID", 6, false,
     [](const Row& r) { return r.step ? std::string() : std::to_string(r.job->group().gid()); }},
    {"Group", 9, false,
     [](const Row& r) { return r.step ? std::string() : r.job->group().name(); }},
    {"JobID", 12, true, [](const Row& r) { return JobIdText(r, false); }},
    {"JobIDRaw", 12, true, [](const Row& r) { return JobIdText(r, true); }},
    {"JobName", 10, false,
     [](const Row& r) { return r.step ? r.step->name() : r.job->job_name(); }},
    {"NCPUS", 10, false, [](const Row& r) { return std::to_string(Cpus(r)); }},
    {"NNodes", 8, false,
     [](const Row& r) {
       return std::to_string(r.step ? r.step->num_nodes() : r.job->num_nodes());
     }},
    {"NodeList", 15, false,
     [](const Row& r) {
       const std::string& n = r.step ? r.step->node_list() : r.job->node_list();
       return n.empty() ? std::string("None assigned") : n;
     }},
    {"NTasks", 8, false,
     [](const Row& r) { return r.step ? std::to_string(r.step->num_tasks()) : std::string(); }},
    {"Partition", 10, false,
     [](const Row& r) { return r.step ? std::string() : r.job->partition(); }},
    {"QOS", 10, false, [](const Row& r) { return r.step ? std::string() : r.job->qos(); }},
    {"Reason", 20, false,
     [](const Row& r) { return r.step ? std::string() : ReasonName(r.job->reason()); }},
    {"ReqCPUS", 8, false,
     [](const Row& r) { return std::to_string(r.step ? r.step->num_cpus() : r.job->req_cpus()); }},
    {"Restarts", 8, false,
     [](const Row& r) { return r.step ? std::string() : std::to_string(r.job->restarts()); }},
    {"Start", 19, false, [](const Row& r) { return Time(StartOf(r)); }},
    {"State", 10, false,
     [](const Row& r) {
       if (r.step) return StateName(r.step->state());
       std::string s = StateName(r.job->state());
       if (r.job->has_cancelled_by_uid()) s += " by " + std::to_string(r.job->cancelled_by_uid());
       return s;
     }},
    {"Submit", 19, false,
     [](const Row& r) { return Time(r.step ? r.step->start_time() : r.job->submit_time()); }},
    {"Timelimit", 10, false,
     [](const Row& r) { return r.step ? std::string() : Limit(r.job->time_limit_s()); }},
    {"TimelimitRaw", 12, false,
     [](const Row& r) {
       if (r.step) return std::string();
       int64_t s = r.job->time_limit_s();
       return s < 0 ? std::string("UNLIMITED") : std::to_string(s / 60);
     }},
    {"UID", 6, false,
     [](const Row& r) { return r.step ? std::string() : std::to_string(r.job->user().uid()); }},
    {"User", 9, false, [](const Row& r) { return r.step ? std::string() : r.job->user().name(); }},
    {"WorkDir", 15, false,
     [](const Row& r) { return r.step ? std::string() : r.job->work_dir(); }},
};

}  // namespace

std::span<const Field> Fields() { return kFields; }

Result<std::vector<Column>> ResolveFields(std::span<const FieldChoice> choices) {
  std::vector<Column> out;
  for (const FieldChoice& c : choices) {
    auto it = std::find_if(std::begin(kFields), std::end(kFields),
                           [&](const Field& f) { return EqualsIgnoreCase(f.name, c.name); });
    if (it == std::end(kFields)) {
      return Error(ErrorCode::kInvalidArgument, "Invalid field requested: \"" + c.name + "\"");
    }
    out.push_back({&*it, c.width >= 0 ? c.width : it->width});
  }
  return out;
}

std::vector<Row> Rows(const std::vector<v1::JobRecord>& jobs, int64_t now,
                      bool allocations_only) {
  std::vector<Row> rows;
  rows.reserve(jobs.size() * 2);
  for (const v1::JobRecord& j : jobs) {
    rows.push_back({&j, nullptr, now});
    if (allocations_only) continue;
    for (const v1::StepRecord& s : j.steps()) rows.push_back({&j, &s, now});
  }
  return rows;
}

std::string Cell(std::string_view text, int width, bool left) {
  std::string out;
  if (static_cast<int>(text.size()) > width) {
    if (width <= 0) return out;
    out.assign(text.substr(0, static_cast<size_t>(width - 1)));
    out.push_back('+');
    return out;
  }
  size_t pad = static_cast<size_t>(width) - text.size();
  if (!left) out.append(pad, ' ');
  out.append(text);
  if (left) out.append(pad, ' ');
  return out;
}

std::string Render(const std::vector<Column>& columns, const std::vector<Row>& rows,
                   const Options& o) {
  std::string out;
  out.reserve((rows.size() + 2) * 80);
  const bool delimited = o.parsable || o.parsable2;
  auto line = [&](auto&& text_of) {
    for (size_t i = 0; i < columns.size(); ++i) {
      const Column& c = columns[i];
      if (delimited) {
        out += text_of(c);
        if (o.parsable || i + 1 < columns.size()) out += o.delimiter;
      } else {
        out += Cell(text_of(c), c.width, c.field->left);
        out += ' ';
      }
    }
    out += '\n';
  };
  if (!o.noheader) {
    line([](const Column& c) { return std::string(c.field->name); });
    if (!delimited) line([](const Column& c) { return std::string(c.width, '-'); });
  }
  for (const Row& r : rows) line([&](const Column& c) { return c.field->get(r); });
  return out;
}

std::string HelpFormat() {
  std::string out;
  int n = 0;
  for (const Field& f : kFields) {
    out += fmt::format("{:<20}", f.name);
    if (++n % 4 == 0) out += '\n';
  }
  if (n % 4 != 0) out += '\n';
  return out;
}

}  // namespace drover::cli::sacct
