#include "cli/squeue/render.h"

#include <algorithm>
#include <ctime>
#include <functional>

#include "cli/common/format_table.h"
#include "cli/squeue/fields.h"
#include "cli/squeue/job_text.h"

namespace drover::cli::squeue {
namespace {

namespace jt = jobtext;

// Keys that compare as numbers rather than as printed text.
std::optional<int64_t> NumericKey(char letter, const v1::JobInfo& j, int64_t now) {
  switch (letter) {
    case 'i':
    case 'A':
      return j.array_job_id() != 0 ? j.array_job_id() : j.job_id();
    case 'F':
      return j.array_job_id() != 0 ? j.array_job_id() : j.job_id();
    case 'p':
    case 'Q':
      return j.priority();
    case 't':
    case 'T':
      return j.state();
    case 'M':
      return jt::TimeUsedSeconds(j, now);
    case 'l': {
      int64_t l = jt::TimeLimitSeconds(j);
      return l < 0 ? INT64_MAX : l;
    }
    case 'L': {
      int64_t l = jt::TimeLimitSeconds(j);
      return l < 0 ? INT64_MAX : l - jt::TimeUsedSeconds(j, now);
    }
    case 'D':
      return j.num_nodes();
    case 'C':
      return j.num_cpus();
    case 'S':
      return j.start_time() == 0 ? INT64_MAX : j.start_time();
    case 'e':
      return j.end_time() == 0 ? INT64_MAX : j.end_time();
    case 'V':
      return j.submit_time();
    case 'U':
      return j.user().uid();
    case 'G':
      return j.group().gid();
    case 'y':
      return j.spec().nice();
    default:
      return std::nullopt;
  }
}

const FieldDef<JobRow>* FindField(const std::string& key) {
  for (const FieldDef<JobRow>& f : JobFields()) {
    if (key.size() == 1 ? f.letter == key[0] : EqualsIgnoreCase(f.long_name, key)) return &f;
  }
  return nullptr;
}

}  // namespace

std::string DateLine(int64_t now) {
  time_t t = static_cast<time_t>(now);
  struct tm tm;
  localtime_r(&t, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
  return buf;
}

Status SortJobs(std::vector<v1::JobInfo>* jobs, const std::vector<SortKey>& keys, int64_t now) {
  struct Key {
    const FieldDef<JobRow>* field;
    char letter;
    bool descending;
  };
  std::vector<Key> resolved;
  for (const SortKey& k : keys) {
    const FieldDef<JobRow>* f = FindField(k.field);
    if (f == nullptr) {
      return Error(ErrorCode::kInvalidArgument, "Invalid sort specification: " + k.field);
    }
    resolved.push_back({f, f->letter, k.descending});
  }
  std::stable_sort(jobs->begin(), jobs->end(), [&](const v1::JobInfo& a, const v1::JobInfo& b) {
    for (const Key& k : resolved) {
      int cmp = 0;
      auto na = NumericKey(k.letter, a, now);
      auto nb = NumericKey(k.letter, b, now);
      if (na && nb) {
        cmp = *na < *nb ? -1 : (*na > *nb ? 1 : 0);
      } else {
        std::string sa = k.field->get(JobRow{&a, now});
        std::string sb = k.field->get(JobRow{&b, now});
        cmp = sa.compare(sb);
      }
      if (cmp != 0) return k.descending ? cmp > 0 : cmp < 0;
    }
    return false;
  });
  return Ok();
}

Result<std::string> RenderJobs(const Options& options, std::vector<v1::JobInfo> jobs, int64_t now) {
  Result<FormatSpec> spec = options.long_format_syntax ? ParseLongFormat(options.format)
                                                       : ParsePercentFormat(options.format);
  if (!spec) return Error(ErrorCode::kInvalidArgument, "Invalid job format specification");
  ASSIGN_OR_RETURN(Layout<JobRow> layout, ResolveFormat<JobRow>(*spec, JobFields(), "job"));
  RETURN_IF_ERROR(SortJobs(&jobs, options.sort, now));
  std::vector<JobRow> rows;
  rows.reserve(jobs.size());
  for (const v1::JobInfo& j : jobs) rows.push_back(JobRow{&j, now});
  ApplyAutoWidths<JobRow>(&layout, rows, 0);
  std::string out;
  if (options.long_listing || options.iterate_s) out += DateLine(now) + "\n";
  if (!options.no_header) out += RenderHeader(layout);
  for (const JobRow& row : rows) out += RenderRow(layout, row);
  return out;
}

}  // namespace drover::cli::squeue
