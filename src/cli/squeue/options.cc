#include "cli/squeue/options.h"

#include <charconv>

#include "base/strings.h"
#include "cli/common/getopt.h"
#include "cli/common/job_ref.h"
#include "cli/squeue/fields.h"
#include "core/job_state.h"

namespace drover::cli::squeue {
namespace {

enum Id {
  kAccount = 1,
  kAll,
  kArray,
  kHelp,
  kUsage,
  kIterate,
  kJobs,
  kLong,
  kMe,
  kName,
  kNodes,
  kNoHeader,
  kPartition,
  kQos,
  kReservation,
  kSort,
  kStart,
  kStates,
  kUser,
  kVerbose,
  kVersion,
  kFormat,
  kFormatLong,
  kJson,
  kLicenses,
  kCluster,
  kSteps,
  kNoConvert,
  kHide,
  kLocal,
  kWckey,
};

constexpr OptionSpec kSpecs[] = {
    {"account", 'A', ArgKind::kRequired, kAccount},
    {"accounts", 0, ArgKind::kRequired, kAccount},
    {"all", 'a', ArgKind::kNone, kAll},
    {"array", 'r', ArgKind::kNone, kArray},
    {"help", 0, ArgKind::kNone, kHelp},
    {"usage", 0, ArgKind::kNone, kUsage},
    {"iterate", 'i', ArgKind::kRequired, kIterate},
    {"jobs", 'j', ArgKind::kOptional, kJobs},
    {"long", 'l', ArgKind::kNone, kLong},
    {"me", 0, ArgKind::kNone, kMe},
    {"name", 'n', ArgKind::kRequired, kName},
    {"nodelist", 'w', ArgKind::kRequired, kNodes},
    {"nodes", 0, ArgKind::kRequired, kNodes},
    {"noheader", 'h', ArgKind::kNone, kNoHeader},
    {"partition", 'p', ArgKind::kRequired, kPartition},
    {"partitions", 0, ArgKind::kRequired, kPartition},
    {"qos", 'q', ArgKind::kRequired, kQos},
    {"reservation", 'R', ArgKind::kRequired, kReservation},
    {"sort", 'S', ArgKind::kRequired, kSort},
    {"start", 0, ArgKind::kNone, kStart},
    {"states", 't', ArgKind::kRequired, kStates},
    {"state", 0, ArgKind::kRequired, kStates},
    {"user", 'u', ArgKind::kRequired, kUser},
    {"users", 0, ArgKind::kRequired, kUser},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"version", 'V', ArgKind::kNone, kVersion},
    {"format", 'o', ArgKind::kRequired, kFormat},
    {"Format", 'O', ArgKind::kRequired, kFormatLong},
    {"json", 0, ArgKind::kNone, kJson},
    {"licenses", 'L', ArgKind::kRequired, kLicenses},
    {"clusters", 'M', ArgKind::kRequired, kCluster},
    {"steps", 's', ArgKind::kOptional, kSteps},
    {"noconvert", 0, ArgKind::kNone, kNoConvert},
    {"hide", 0, ArgKind::kNone, kHide},
    {"local", 0, ArgKind::kNone, kLocal},
    {"wckey", 0, ArgKind::kRequired, kWckey},
};

Error Bad(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

bool IsAll(std::string_view s) {
  return s.size() == 3 && (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 'l' && (s[2] | 0x20) == 'l';
}

}  // namespace

Result<v1::JobRef> ParseJobRef(std::string_view text) {
  std::optional<v1::JobRef> ref = ReadJobRef(text);
  if (!ref) return Bad("error: Invalid job id: " + std::string(text));
  ref->clear_step();  // squeue lists jobs; a step suffix names its job
  return *ref;
}

Result<std::vector<SortKey>> ParseSortKeys(std::string_view text) {
  std::vector<SortKey> keys;
  for (std::string item : SplitList(text)) {
    SortKey key;
    if (item[0] == '-' || item[0] == '+') {
      key.descending = item[0] == '-';
      item.erase(0, 1);
    }
    if (item.empty()) return Bad("error: Invalid sort specification: " + std::string(text));
    key.field = item;
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<Options> ParseOptions(const std::vector<std::string>& args, uint32_t uid) {
  Result<ParsedArgs> parsed = ParseArgs(args, kSpecs);
  if (!parsed) return Bad(parsed.error().message());
  Options o;
  v1::JobFilter* filter = o.request.mutable_filter();
  std::optional<std::string> format, format_long, sort;
  bool jobs_flag = false;
  for (const ParsedOption& opt : parsed->options) {
    const std::string value = opt.value.value_or("");
    switch (opt.id) {
      case kAccount:
        for (auto& s : SplitList(value)) filter->add_accounts(s);
        break;
      case kAll:
        o.request.set_include_hidden(true);
        break;
      case kArray:
        o.request.set_expand_arrays(true);
        break;
      case kHelp:
        o.help = true;
        break;
      case kUsage:
        o.usage = true;
        break;
      case kIterate: {
        auto n = ReadUint32(value);
        if (!n || *n == 0) return Bad("error: --iterate=" + value + " is invalid");
        o.iterate_s = static_cast<int>(*n);
        break;
      }
      case kJobs:
        jobs_flag = true;
        for (const std::string& item : SplitJobList(value)) {
          ASSIGN_OR_RETURN(v1::JobRef ref, ParseJobRef(item));
          *filter->add_jobs() = std::move(ref);
        }
        break;
      case kLong:
        o.long_listing = true;
        break;
      case kMe:
        filter->add_uids(uid);
        break;
      case kName:
        for (auto& s : SplitList(value)) filter->add_names(s);
        break;
      case kNodes:
        filter->add_node_names(value);
        break;
      case kNoHeader:
        o.no_header = true;
        break;
      case kPartition:
        for (auto& s : SplitList(value)) filter->add_partitions(s);
        break;
      case kQos:
        for (auto& s : SplitList(value)) filter->add_qos(s);
        break;
      case kReservation:
        for (auto& s : SplitList(value)) filter->add_reservations(s);
        break;
      case kSort:
        sort = value;
        break;
      case kStart:
        o.start = true;
        break;
      case kStates:
        for (const std::string& item : SplitList(value)) {
          if (IsAll(item)) {
            filter->set_all_states(true);
            continue;
          }
          Result<JobState> state = ParseJobState(item);
          if (!state) return Bad("error: Invalid job state specified: " + item);
          filter->add_states(static_cast<v1::JobState>(static_cast<int>(*state) + 1));
        }
        break;
      case kUser:
        for (auto& s : SplitList(value)) {
          if (auto n = ReadUint32(s)) {
            filter->add_uids(*n);
          } else {
            filter->add_user_names(s);
          }
        }
        break;
      case kVersion:
        o.version = true;
        break;
      case kFormat:
        format = value;
        break;
      case kFormatLong:
        format_long = value;
        break;
      case kJson:
        o.json = true;
        break;
      case kLicenses:
        for (auto& s : SplitList(value)) filter->add_licenses(s);
        break;
      case kWckey:
        for (auto& s : SplitList(value)) filter->add_wckeys(s);
        break;
      case kSteps:
        o.steps = true;
        // -s 42.0,43.1: the jobs of the steps named.
        for (const std::string& item : SplitJobList(value)) {
          ASSIGN_OR_RETURN(v1::JobRef ref, ParseJobRef(item));
          *filter->add_jobs() = std::move(ref);
        }
        break;
      default:
        break;  // -v, -M, --noconvert, --hide, --local: accepted, no effect yet
    }
  }
  // `squeue -j 42,43`: -j's argument is optional, so getopt leaves it as a positional.
  if (jobs_flag) {
    for (const std::string& positional : parsed->positionals) {
      for (const std::string& item : SplitJobList(positional)) {
        ASSIGN_OR_RETURN(v1::JobRef ref, ParseJobRef(item));
        *filter->add_jobs() = std::move(ref);
      }
    }
    parsed->positionals.clear();
  }
  if (!parsed->positionals.empty()) {
    return Bad("error: Unrecognized option: " + parsed->positionals.front());
  }
  // Slurm's squeue --start lists pending jobs only.
  if (o.start && filter->states_size() == 0 && !filter->all_states()) {
    filter->add_states(v1::JOB_STATE_PENDING);
  }
  if (format_long) {
    o.format = *format_long;
    o.long_format_syntax = true;
  } else if (format) {
    o.format = *format;
  } else if (o.start) {
    o.format = std::string(kStartFormat);
  } else if (o.long_listing) {
    o.format = std::string(kLongFormat);
  } else {
    o.format = std::string(kDefaultFormat);
  }
  // Slurm's default orders: partition, state, priority (highest first); --start: by
  // expected start time, then job id.
  ASSIGN_OR_RETURN(o.sort, ParseSortKeys(sort.value_or(o.start ? "S,i" : "P,t,-p")));
  return o;
}

}  // namespace drover::cli::squeue
