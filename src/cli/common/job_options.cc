// The option table: naming, time, life cycle, I/O and command-behaviour rows, the table
// assembly and the shared parsers. Resource rows (sizes, memory, GRES) are in
// job_options_resources.cc.
#include "cli/common/job_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>
#include <ostream>

#include "base/time_spec.h"

namespace drover::cli {
namespace job_options_internal {

Error InvalidSpec(std::string_view option) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("Invalid --{} specification", option));
}

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int64_t> ToInt(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Linux signal names Slurm accepts for --signal (with or without "SIG").
constexpr std::pair<std::string_view, int> kSignals[] = {
    {"HUP", 1},   {"INT", 2},     {"QUIT", 3},  {"ILL", 4},     {"TRAP", 5},  {"ABRT", 6},
    {"BUS", 7},   {"FPE", 8},     {"KILL", 9},  {"USR1", 10},   {"SEGV", 11}, {"USR2", 12},
    {"PIPE", 13}, {"ALRM", 14},   {"TERM", 15}, {"STKFLT", 16}, {"CHLD", 17}, {"CONT", 18},
    {"STOP", 19}, {"TSTP", 20},   {"TTIN", 21}, {"TTOU", 22},   {"URG", 23},  {"XCPU", 24},
    {"XFSZ", 25}, {"VTALRM", 26}, {"PROF", 27}, {"WINCH", 28},  {"IO", 29},   {"PWR", 30},
    {"SYS", 31},
};

}  // namespace

Result<uint32_t> ParseCount(std::string_view option, std::string_view value, bool positive) {
  auto v = ToInt(value);
  if (!v || *v < 0 || (positive && *v == 0) || *v > INT32_MAX) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Invalid numeric value \"{}\" for --{}.", value, option));
  }
  return static_cast<uint32_t>(*v);
}

Result<SignalOpt> ParseSignal(std::string_view value) {
  SignalOpt out;
  std::string_view rest = value;
  if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
    std::string_view flags = rest.substr(0, colon);
    if (flags.empty()) return InvalidSpec("signal");
    for (char f : flags) {
      if (f == 'B' || f == 'b') {
        out.batch_only = true;
      } else if (f == 'R' || f == 'r') {
        out.reservation = true;
      } else {
        return InvalidSpec("signal");
      }
    }
    rest = rest.substr(colon + 1);
  }
  std::string_view sig = rest;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    sig = rest.substr(0, at);
    auto t = ToInt(rest.substr(at + 1));
    if (!t || *t < 0 || *t > 0xffff) return InvalidSpec("signal");
    out.lead_time_s = *t;
  }
  if (auto n = ToInt(sig)) {
    if (*n < 1 || *n > 0xff) return InvalidSpec("signal");
    out.signal = static_cast<int>(*n);
    return out;
  }
  std::string name = Upper(sig);
  if (name.starts_with("SIG")) name.erase(0, 3);
  for (auto [n, num] : kSignals) {
    if (n == name) {
      out.signal = num;
      return out;
    }
  }
  return InvalidSpec("signal");
}

Result<ArrayOpt> ParseArray(std::string_view value) {
  ArrayOpt out;
  std::string_view list = value;
  if (size_t pct = value.find('%'); pct != std::string_view::npos) {
    auto n = ToInt(value.substr(pct + 1));
    if (!n || *n < 0 || *n > INT32_MAX) return InvalidSpec("array");
    out.max_running = static_cast<uint32_t>(*n);
    list = value.substr(0, pct);
  }
  if (list.empty()) return InvalidSpec("array");
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    std::string_view item =
        list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    ArrayRangeOpt r;
    std::string_view range = item;
    if (size_t colon = item.find(':'); colon != std::string_view::npos) {
      auto step = ToInt(item.substr(colon + 1));
      if (!step || *step < 1 || *step > INT32_MAX) return InvalidSpec("array");
      r.step = static_cast<uint32_t>(*step);
      range = item.substr(0, colon);
    }
    std::string_view first = range, last = range;
    if (size_t dash = range.find('-'); dash != std::string_view::npos) {
      first = range.substr(0, dash);
      last = range.substr(dash + 1);
    }
    auto f = ToInt(first), l = ToInt(last);
    if (!f || !l || *f < 0 || *l < *f || *l > INT32_MAX) return InvalidSpec("array");
    r.first = static_cast<uint32_t>(*f);
    r.last = static_cast<uint32_t>(*l);
    out.ranges.push_back(r);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

Result<std::vector<std::string>> ParseMailTypes(std::string_view value) {
  static constexpr std::string_view kTypes[] = {
      "NONE",          "BEGIN",       "END",           "FAIL",          "REQUEUE",
      "ALL",           "STAGE_OUT",   "TIME_LIMIT",    "TIME_LIMIT_90", "TIME_LIMIT_80",
      "TIME_LIMIT_50", "ARRAY_TASKS", "INVALID_DEPEND"};
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t comma = value.find(',', pos);
    std::string item =
        Upper(value.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    if (std::find(std::begin(kTypes), std::end(kTypes), item) == std::end(kTypes)) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("--mail-type={} invalid", value));
    }
    if (item == "NONE") {
      out.clear();
    } else if (std::find(out.begin(), out.end(), item) == out.end()) {
      out.push_back(item);
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

Status ValidateDistribution(std::string_view value) {
  // <node>[:<socket>[:<core>]][,Pack|NoPack]  or  plane=<size>  or  arbitrary
  std::string_view layout = value;
  if (size_t comma = value.find(','); comma != std::string_view::npos) {
    std::string pack = Upper(value.substr(comma + 1));
    if (pack != "PACK" && pack != "NOPACK") return InvalidSpec("distribution");
    layout = value.substr(0, comma);
  }
  std::string lower(layout);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.starts_with("plane=")) {
    auto n = ToInt(std::string_view(lower).substr(6));
    if (!n || *n < 1) return InvalidSpec("distribution");
    return Ok();
  }
  if (lower == "arbitrary" || lower == "plane") return Ok();
  static constexpr std::string_view kLevels[] = {"*", "block", "cyclic", "fcyclic"};
  size_t level = 0, pos = 0;
  while (true) {
    size_t colon = lower.find(':', pos);
    std::string_view part = std::string_view(lower).substr(
        pos, colon == std::string::npos ? std::string::npos : colon - pos);
    bool ok = std::find(std::begin(kLevels), std::end(kLevels), part) != std::end(kLevels);
    if (level == 0 && part == "fcyclic") ok = false;  // fcyclic is for sockets and cores
    if (!ok || ++level > 3) return InvalidSpec("distribution");
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  return Ok();
}

namespace {

using V = std::optional<std::string_view>;

std::string Str(V v) { return std::string(v.value_or("")); }

#define DROVER_STRING_OPTION(field) \
  +[](JobOptions& o, V v) -> Status { return o.field = Str(v), Ok(); }
#define DROVER_FLAG_OPTION(field) +[](JobOptions& o, V) -> Status { return o.field = true, Ok(); }

Status SetTime(std::optional<Duration>& field, std::string_view option, V v) {
  auto d = ParseDuration(Str(v));
  if (!d) return InvalidSpec(option);
  field = *d;
  return Ok();
}

Status SetTimeSpec(std::optional<std::string>& field, std::string_view option, V v) {
  // Syntax only here; the builder resolves it against the submission time.
  if (!ParseTimeSpec(Str(v), TimePoint{})) return InvalidSpec(option);
  field = Str(v);
  return Ok();
}

Status SetExclusive(JobOptions& o, V v) {
  if (!v || v->empty()) {
    o.sharing = Sharing::kExclusive;
  } else if (*v == "user") {
    o.sharing = Sharing::kExclusiveUser;
  } else if (*v == "mcs") {
    o.sharing = Sharing::kExclusiveMcs;
  } else {
    return InvalidSpec("exclusive");
  }
  return Ok();
}

Status SetOpenMode(JobOptions& o, V v) {
  std::string s = Str(v);
  if (!s.empty() && (s[0] == 'a' || s[0] == 'A')) {
    o.open_mode = OpenModeOpt::kAppend;
  } else if (!s.empty() && (s[0] == 't' || s[0] == 'T')) {
    o.open_mode = OpenModeOpt::kTruncate;
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Invalid --open-mode argument: {}. Ignored", s));
  }
  return Ok();
}

Status SetNice(JobOptions& o, V v) {
  int64_t n = 100;  // --nice alone
  if (v && !v->empty()) {
    auto parsed = ToInt(*v);
    if (!parsed) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("Invalid numeric value \"{}\" for --nice.", *v));
    }
    n = *parsed;
  }
  constexpr int64_t kMax = 2147483645;  // NICE_OFFSET - 3
  if (n > kMax || n < -kMax) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Invalid --nice value, out of range (+/- {})", kMax));
  }
  o.nice = static_cast<int32_t>(n);
  return Ok();
}

Status SetPriority(JobOptions& o, V v) {
  std::string s = Str(v);
  if (Upper(s) == "TOP") {
    o.priority = 0xfffffffdu;  // NO_VAL - 1: the highest priority an operator may set
    return Ok();
  }
  auto n = ToInt(s);
  if (!n) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Invalid numeric value \"{}\" for --priority.", s));
  }
  if (*n < 0) return Error(ErrorCode::kInvalidArgument, "Priority must be >= 0");
  if (*n >= 0xfffffffe) return Error(ErrorCode::kInvalidArgument, "Priority must be < 4294967294");
  o.priority = static_cast<uint32_t>(*n);
  return Ok();
}

Status SetKillOnInvalidDep(JobOptions& o, V v) {
  std::string s = Upper(Str(v));
  if (s == "YES" || s == "1") {
    o.kill_on_invalid_dep = true;
  } else if (s == "NO" || s == "0") {
    o.kill_on_invalid_dep = false;
  } else {
    return InvalidSpec("kill-on-invalid-dep");
  }
  return Ok();
}

Status SetGetUserEnv(JobOptions& o, V v) {
  // --get-user-env[=timeout][S|L]
  std::string_view s = v.value_or("");
  if (!s.empty() && (s.back() == 'S' || s.back() == 's' || s.back() == 'L' || s.back() == 'l')) {
    s.remove_suffix(1);
  }
  if (!s.empty() && !ToInt(s)) return InvalidSpec("get-user-env");
  o.get_user_env = true;
  return Ok();
}

Status SetPropagate(JobOptions& o, V v) {
  static constexpr std::string_view kLimits[] = {"ALL",    "NONE",  "AS",    "CORE",
                                                 "CPU",    "DATA",  "FSIZE", "MEMLOCK",
                                                 "NOFILE", "NPROC", "RSS",   "STACK"};
  std::string s = Str(v);
  std::string upper = Upper(s);
  size_t pos = 0;
  while (!upper.empty()) {
    size_t comma = upper.find(',', pos);
    std::string item = upper.substr(pos, comma == std::string::npos ? comma : comma - pos);
    if (item.starts_with("RLIMIT_")) item.erase(0, 7);
    if (std::find(std::begin(kLimits), std::end(kLimits), item) == std::end(kLimits)) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("--propagate={} is not valid.", s));
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  o.propagate = s.empty() ? "ALL" : s;
  return Ok();
}

Status SetNoKill(JobOptions& o, V v) {
  if (v && Upper(*v) == "OFF") {
    o.no_kill = false;
  } else if (v && !v->empty()) {
    return InvalidSpec("no-kill");
  } else {
    o.no_kill = true;
  }
  return Ok();
}

constexpr uint8_t kSb = kSbatch;
constexpr uint8_t kSbSr = kSbatch | kSrun;
constexpr uint8_t kSbSa = kSbatch | kSalloc;
constexpr uint8_t kAll = kAllJobCommands;
constexpr ArgKind kNo = ArgKind::kNone;
constexpr ArgKind kReq = ArgKind::kRequired;
constexpr ArgKind kOpt = ArgKind::kOptional;

const JobOptionRow kGeneralRows[] = {
    // Naming and accounting
    {"account", 'A', kReq, kAll, "SBATCH_ACCOUNT", "SALLOC_ACCOUNT", "SLURM_ACCOUNT",
     DROVER_STRING_OPTION(account)},
    {"job-name", 'J', kReq, kAll, "SBATCH_JOB_NAME", "SALLOC_JOB_NAME", "SLURM_JOB_NAME",
     DROVER_STRING_OPTION(job_name)},
    {"partition", 'p', kReq, kAll, "SBATCH_PARTITION", "SALLOC_PARTITION", "SLURM_PARTITION",
     DROVER_STRING_OPTION(partition)},
    {"qos", 'q', kReq, kAll, "SBATCH_QOS", "SALLOC_QOS", "SLURM_QOS", DROVER_STRING_OPTION(qos)},
    {"reservation", 0, kReq, kAll, "SBATCH_RESERVATION", "SALLOC_RESERVATION", "SLURM_RESERVATION",
     DROVER_STRING_OPTION(reservation)},
    {"comment", 0, kReq, kAll, "", "", "", DROVER_STRING_OPTION(comment)},
    {"wckey", 0, kReq, kAll, "SBATCH_WCKEY", "SALLOC_WCKEY", "SLURM_WCKEY",
     DROVER_STRING_OPTION(wckey)},
    {"clusters", 'M', kReq, kAll, "SBATCH_CLUSTERS,SLURM_CLUSTERS",
     "SALLOC_CLUSTERS,SLURM_CLUSTERS", "SLURM_CLUSTERS", DROVER_STRING_OPTION(clusters)},
    {"cluster", 0, kReq, kAll, "", "", "", DROVER_STRING_OPTION(clusters)},
    {"container", 0, kReq, kAll, "SBATCH_CONTAINER", "SALLOC_CONTAINER", "SLURM_CONTAINER",
     DROVER_STRING_OPTION(container)},
    // Time
    {"time", 't', kReq, kAll, "SBATCH_TIMELIMIT", "SALLOC_TIMELIMIT", "SLURM_TIMELIMIT",
     +[](JobOptions& o, V v) { return SetTime(o.time_limit, "time", v); }},
    {"time-min", 0, kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) { return SetTime(o.time_min, "time-min", v); }},
    {"begin", 'b', kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) { return SetTimeSpec(o.begin, "begin", v); }},
    {"deadline", 0, kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) { return SetTimeSpec(o.deadline, "deadline", v); }},
    // Placement
    {"constraint", 'C', kReq, kAll, "SBATCH_CONSTRAINT", "SALLOC_CONSTRAINT", "SLURM_CONSTRAINT",
     DROVER_STRING_OPTION(constraint)},
    {"nodelist", 'w', kReq, kAll, "", "", "", DROVER_STRING_OPTION(nodelist)},
    {"exclude", 'x', kReq, kAll, "", "", "", DROVER_STRING_OPTION(exclude)},
    {"exclusive", 0, kOpt, kAll, "SBATCH_EXCLUSIVE", "SALLOC_EXCLUSIVE", "SLURM_EXCLUSIVE",
     SetExclusive},
    {"oversubscribe", 's', kNo, kAll, "", "", "",
     +[](JobOptions& o, V) -> Status { return o.sharing = Sharing::kOversubscribe, Ok(); }},
    {"contiguous", 0, kNo, kAll, "", "", "", DROVER_FLAG_OPTION(contiguous)},
    {"spread-job", 0, kNo, kAll, "SBATCH_SPREAD_JOB", "SALLOC_SPREAD_JOB", "SLURM_SPREAD_JOB",
     DROVER_FLAG_OPTION(spread_job)},
    {"use-min-nodes", 0, kNo, kAll, "SBATCH_USE_MIN_NODES", "SALLOC_USE_MIN_NODES",
     "SLURM_USE_MIN_NODES", DROVER_FLAG_OPTION(use_min_nodes)},
    // Life cycle
    {"dependency", 'd', kReq, kAll, "", "", "", DROVER_STRING_OPTION(dependency)},
    {"array", 'a', kReq, kSb, "SBATCH_ARRAY_INX", "", "",
     +[](JobOptions& o, V v) -> Status {
       ASSIGN_OR_RETURN(o.array, ParseArray(Str(v)));
       return Ok();
     }},
    {"hold", 'H', kNo, kAll, "", "", "", DROVER_FLAG_OPTION(hold)},
    {"requeue", 0, kNo, kSb, "SBATCH_REQUEUE", "", "",
     +[](JobOptions& o, V) -> Status { return o.requeue = true, Ok(); }},
    {"no-requeue", 0, kNo, kSb, "SBATCH_NO_REQUEUE", "", "",
     +[](JobOptions& o, V) -> Status { return o.requeue = false, Ok(); }},
    {"kill-on-invalid-dep", 0, kReq, kSb, "", "", "", SetKillOnInvalidDep},
    {"no-kill", 'k', kOpt, kAll, "SBATCH_NO_KILL", "SALLOC_NO_KILL", "SLURM_NO_KILL", SetNoKill},
    {"nice", 0, kOpt, kAll, "", "", "", SetNice},
    {"priority", 0, kReq, kAll, "", "", "", SetPriority},
    {"signal", 0, kReq, kAll, "SBATCH_SIGNAL", "SALLOC_SIGNAL", "SLURM_SIGNAL",
     +[](JobOptions& o, V v) -> Status {
       ASSIGN_OR_RETURN(o.signal, ParseSignal(Str(v)));
       return Ok();
     }},
    {"mail-type", 0, kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) -> Status {
       ASSIGN_OR_RETURN(o.mail_types, ParseMailTypes(Str(v)));
       return Ok();
     }},
    {"mail-user", 0, kReq, kAll, "", "", "", DROVER_STRING_OPTION(mail_user)},
    // Execution context
    {"chdir", 'D', kReq, kAll, "", "", "", DROVER_STRING_OPTION(chdir)},
    {"output", 'o', kReq, kSbSr, "SBATCH_OUTPUT", "", "", DROVER_STRING_OPTION(output)},
    {"error", 'e', kReq, kSbSr, "SBATCH_ERROR", "", "", DROVER_STRING_OPTION(error)},
    {"input", 'i', kReq, kSbSr, "SBATCH_INPUT", "", "", DROVER_STRING_OPTION(input)},
    {"open-mode", 0, kReq, kSbSr, "SBATCH_OPEN_MODE", "", "", SetOpenMode},
    {"export", 0, kReq, kSbSr, "SBATCH_EXPORT", "", "SLURM_EXPORT_ENV",
     DROVER_STRING_OPTION(export_env)},
    {"get-user-env", 0, kOpt, kSbSa, "SBATCH_GET_USER_ENV", "SALLOC_GET_USER_ENV", "",
     SetGetUserEnv},
    {"propagate", 0, kOpt, kSbSr, "", "", "", SetPropagate},
    {"uid", 0, kReq, kAll, "", "", "", DROVER_STRING_OPTION(uid)},
    {"gid", 0, kReq, kAll, "", "", "", DROVER_STRING_OPTION(gid)},
    // Command behaviour
    {"wrap", 0, kReq, kSb, "", "", "", DROVER_STRING_OPTION(wrap), true},
    {"parsable", 0, kNo, kSb, "", "", "", DROVER_FLAG_OPTION(parsable)},
    {"test-only", 0, kNo, kAll, "", "", "", DROVER_FLAG_OPTION(test_only)},
    {"wait", 'W', kNo, kSb, "SBATCH_WAIT", "", "", DROVER_FLAG_OPTION(wait)},
    {"quiet", 'Q', kNo, kAll, "", "", "",
     +[](JobOptions& o, V) -> Status { return ++o.quiet, Ok(); }},
    {"verbose", 'v', kNo, kAll, "", "", "",
     +[](JobOptions& o, V) -> Status { return ++o.verbose, Ok(); }},
    {"version", 'V', kNo, kAll, "", "", "", DROVER_FLAG_OPTION(version), true},
    {"help", 'h', kNo, kAll, "", "", "", DROVER_FLAG_OPTION(help), true},
    {"usage", 0, kNo, kAll, "", "", "", DROVER_FLAG_OPTION(usage), true},
};

#undef DROVER_STRING_OPTION
#undef DROVER_FLAG_OPTION

struct Table {
  std::vector<JobOptionRow> rows;
  std::map<uint8_t, std::vector<OptionSpec>> specs;

  Table() {
    for (const auto& r : GeneralRows()) rows.push_back(r);
    for (const auto& r : ResourceRows()) rows.push_back(r);
    for (const auto& r : StepRows()) rows.push_back(r);
    for (uint8_t command : {uint8_t{kSbatch}, uint8_t{kSalloc}, uint8_t{kSrun}}) {
      auto& list = specs[command];
      for (size_t i = 0; i < rows.size(); ++i) {
        if ((rows[i].commands & command) == 0) continue;
        list.push_back(
            {rows[i].long_name, rows[i].short_name, rows[i].arg, static_cast<int>(i + 1)});
      }
    }
  }
};

const Table& TheTable() {
  static const Table* table = new Table();
  return *table;
}

}  // namespace

std::span<const JobOptionRow> GeneralRows() { return kGeneralRows; }

}  // namespace job_options_internal

std::span<const JobOptionRow> JobOptionTable() { return job_options_internal::TheTable().rows; }

std::span<const OptionSpec> JobOptionSpecs(CommandMask command) {
  return job_options_internal::TheTable().specs.at(command);
}

const JobOptionRow& JobOptionRowById(int id) {
  const auto& rows = job_options_internal::TheTable().rows;
  DROVER_CHECK(id >= 1 && static_cast<size_t>(id) <= rows.size());
  return rows[id - 1];
}

Status ApplyParsedOptions(const ParsedArgs& parsed, JobOptions& options,
                          bool skip_command_line_only) {
  for (const ParsedOption& option : parsed.options) {
    const JobOptionRow& row = JobOptionRowById(option.id);
    if (skip_command_line_only && row.command_line_only) continue;
    std::optional<std::string_view> value;
    if (option.value) value = *option.value;
    RETURN_IF_ERROR(row.set(options, value));
  }
  return Ok();
}

int ReportOptionFailure(const OptionFailure& failure, std::string_view program, std::ostream& err) {
  std::string_view message = failure.error.message();
  while (true) {
    size_t nl = message.find('\n');
    std::string_view line = message.substr(0, nl);
    if (failure.usage) {
      err << program << ": " << line << "\n";
    } else {
      err << program << ": error: " << line << "\n";
    }
    if (nl == std::string_view::npos) break;
    message.remove_prefix(nl + 1);
  }
  if (!failure.where.empty()) err << program << ": error: " << failure.where << "\n";
  if (failure.usage) err << "Try \"" << program << " --help\" for more information\n";
  return 255;
}

OptionResult ParseAndApply(std::span<const std::string> args, CommandMask command, Permute permute,
                           JobOptions& options, std::vector<std::string>* positionals,
                           bool skip_command_line_only) {
  auto parsed = ParseArgs(args, JobOptionSpecs(command), permute);
  if (!parsed) return OptionFailure{true, parsed.error(), {}};
  if (auto status = ApplyParsedOptions(*parsed, options, skip_command_line_only); !status) {
    return OptionFailure{false, status.error(), {}};
  }
  if (positionals != nullptr) *positionals = std::move(parsed->positionals);
  return std::nullopt;
}

std::vector<std::string_view> EnvNamesFor(const JobOptionRow& row, CommandMask command) {
  std::string_view names = command == kSbatch   ? row.sbatch_env
                           : command == kSalloc ? row.salloc_env
                                                : row.srun_env;
  std::vector<std::string_view> out;
  while (!names.empty()) {
    size_t comma = names.find(',');
    out.push_back(names.substr(0, comma));
    if (comma == std::string_view::npos) break;
    names.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace drover::cli
