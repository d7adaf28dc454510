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

Result<std::vector<const v1::JobInfo*>> SortedJobs(const std::vector<v1::JobInfo>& jobs,
                                                   const std::vector<SortKey>& keys,
                                                   int64_t now) {
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
  // Each job's keys are computed once (a field's text costs an allocation), then an
  // index is sorted: comparing n log n times and moving messages about cost more than the
  // listing itself.
  const size_t n = jobs.size();
  const size_t width = resolved.size();
  std::vector<int64_t> numbers(n * width);
  std::vector<std::string> texts(n * width);
  std::vector<bool> numeric(width, true);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < width; ++k) {
      std::optional<int64_t> v = NumericKey(resolved[k].letter, jobs[i], now);
      if (v) {
        numbers[i * width + k] = *v;
      } else {
        numeric[k] = false;
      }
    }
  }
  for (size_t k = 0; k < width; ++k) {
    if (numeric[k]) continue;
    for (size_t i = 0; i < n; ++i) {
      texts[i * width + k] = resolved[k].field->get(JobRow{&jobs[i], now});
    }
  }
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < width; ++k) {
      int cmp;
      if (numeric[k]) {
        int64_t na = numbers[a * width + k], nb = numbers[b * width + k];
        cmp = na < nb ? -1 : (na > nb ? 1 : 0);
      } else {
        cmp = texts[a * width + k].compare(texts[b * width + k]);
      }
      if (cmp != 0) return resolved[k].descending ? cmp > 0 : cmp < 0;
    }
    return false;
  });
  std::vector<const v1::JobInfo*> sorted;
  sorted.reserve(n);
  for (uint32_t i : order) sorted.push_back(&jobs[i]);
  return sorted;
}

bool BriefSuffices(const Options& options) {
  if (options.json) return false;
  // The % letters whose fields read only what the brief listing carries.
  constexpr std::string_view kBriefLetters = "iAFKPjuUtTMlLDCRrNaqQpVSeBky";
  auto brief = [&](const FieldDef<JobRow>* f) {
    return f != nullptr && f->letter != 0 && kBriefLetters.find(f->letter) != std::string_view::npos;
  };
  Result<FormatSpec> spec = options.long_format_syntax ? ParseLongFormat(options.format)
                                                       : ParsePercentFormat(options.format);
  if (!spec) return false;
  Result<Layout<JobRow>> layout = ResolveFormat<JobRow>(*spec, JobFields(), "job");
  if (!layout) return false;
  for (const Column<JobRow>& c : layout->columns) {
    if (!brief(c.def)) return false;
  }
  for (const SortKey& k : options.sort) {
    if (!brief(FindField(k.field))) return false;
  }
  return true;
}

Result<std::string> RenderJobs(const Options& options, std::vector<v1::JobInfo> jobs, int64_t now) {
  Result<FormatSpec> spec = options.long_format_syntax ? ParseLongFormat(options.format)
                                                       : ParsePercentFormat(options.format);
  if (!spec) return Error(ErrorCode::kInvalidArgument, "Invalid job format specification");
  ASSIGN_OR_RETURN(Layout<JobRow> layout, ResolveFormat<JobRow>(*spec, JobFields(), "job"));
  ASSIGN_OR_RETURN(std::vector<const v1::JobInfo*> sorted, SortedJobs(jobs, options.sort, now));
  std::vector<JobRow> rows;
  rows.reserve(sorted.size());
  for (const v1::JobInfo* j : sorted) rows.push_back(JobRow{j, now});
  ApplyAutoWidths<JobRow>(&layout, rows, 0);
  std::string out;
  if (options.long_listing || options.iterate_s) out += DateLine(now) + "\n";
  if (!options.no_header) out += RenderHeader(layout);
  for (const JobRow& row : rows) out += RenderRow(layout, row);
  return out;
}

}  // namespace drover::cli::squeue
