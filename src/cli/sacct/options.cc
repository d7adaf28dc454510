#include "cli/sacct/options.h"

#include <pwd.h>

#include <charconv>
#include <ctime>

#include "base/strings.h"
#include "base/time_spec.h"
#include "cli/common/getopt.h"
#include "core/job_state.h"

namespace drover::cli::sacct {
namespace {

enum Id {
  kAllUsers = 1, kAccounts, kBrief, kEnd, kHelpFormat, kJobs, kLong, kNoHeader, kNodeList,
  kName, kFormat, kParsable, kParsable2, kPartition, kState, kStart, kUser, kAllocations,
  kJson, kHelp, kUsage, kVersion, kAllClusters, kClusters, kDuplicates, kArray, kTruncate,
  kDelimiter, kUid, kQos, kVerbose,
};

constexpr OptionSpec kSpecs[] = {
    {"allusers", 'a', ArgKind::kNone, kAllUsers},
    {"accounts", 'A', ArgKind::kRequired, kAccounts},
    {"brief", 'b', ArgKind::kNone, kBrief},
    {"endtime", 'E', ArgKind::kRequired, kEnd},
    {"helpformat", 'e', ArgKind::kNone, kHelpFormat},
    {"jobs", 'j', ArgKind::kRequired, kJobs},
    {"long", 'l', ArgKind::kNone, kLong},
    {"noheader", 'n', ArgKind::kNone, kNoHeader},
    {"nodelist", 'N', ArgKind::kRequired, kNodeList},
    {"name", 0, ArgKind::kRequired, kName},
    {"format", 'o', ArgKind::kRequired, kFormat},
    {"parsable", 'p', ArgKind::kNone, kParsable},
    {"parsable2", 'P', ArgKind::kNone, kParsable2},
    {"partition", 'r', ArgKind::kRequired, kPartition},
    {"state", 's', ArgKind::kRequired, kState},
    {"starttime", 'S', ArgKind::kRequired, kStart},
    {"user", 'u', ArgKind::kRequired, kUser},
    {"uid", 0, ArgKind::kRequired, kUid},
    {"allocations", 'X', ArgKind::kNone, kAllocations},
    {"json", 0, ArgKind::kNone, kJson},
    {"help", 'h', ArgKind::kNone, kHelp},
    {"usage", 0, ArgKind::kNone, kUsage},
    {"version", 'V', ArgKind::kNone, kVersion},
    {"allclusters", 'L', ArgKind::kNone, kAllClusters},
    {"clusters", 'M', ArgKind::kRequired, kClusters},
    {"duplicates", 'D', ArgKind::kNone, kDuplicates},
    {"array", 0, ArgKind::kNone, kArray},
    {"truncate", 'T', ArgKind::kNone, kTruncate},
    {"delimiter", 0, ArgKind::kRequired, kDelimiter},
    {"qos", 'q', ArgKind::kRequired, kQos},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
};

// Slurm's sacct default columns, -b and -l.
constexpr std::string_view kDefaultFields =
    "jobid,jobname,partition,account,alloccpus,state,exitcode";
constexpr std::string_view kBriefFields = "jobid,state,exitcode";
constexpr std::string_view kLongFields =
    "jobid,jobidraw,jobname,partition,alloccpus,elapsed,state,exitcode,reqcpus,alloctres,"
    "nnodes,nodelist,submit,start,end,timelimit,user,uid,account,cluster";

Result<uint32_t> ParseUint(std::string_view text, std::string_view what) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
    return Error(ErrorCode::kInvalidArgument, std::string(what) + std::string(text));
  }
  return v;
}

int64_t Midnight(TimePoint now) {
  time_t t = std::chrono::system_clock::to_time_t(now);
  struct tm tm;
  localtime_r(&t, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<int64_t>(mktime(&tm));
}

int64_t Epoch(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

Result<std::vector<FieldChoice>> ParseFieldList(std::string_view text) {
  std::vector<FieldChoice> out;
  for (const std::string& item : SplitList(std::string(text), ',')) {
    if (item.empty()) continue;
    FieldChoice f;
    size_t pct = item.find('%');
    f.name = item.substr(0, pct);
    if (pct != std::string::npos) {
      std::string_view w = std::string_view(item).substr(pct + 1);
      int width = 0;
      auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
      if (ec != std::errc() || p != w.data() + w.size() || width > 4096) {
        return Error(ErrorCode::kInvalidArgument, "Invalid field width: " + item);
      }
      f.width = width < 0 ? -width : width;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<Options> ParseOptions(const std::vector<std::string>& args, TimePoint now, uint32_t uid,
                             bool privileged) {
  ASSIGN_OR_RETURN(ParsedArgs parsed, ParseArgs(args, kSpecs));
  Options o;
  v1::ListJobRecordsRequest& r = o.request;
  bool all_users = false, start_given = false, end_given = false;
  std::string fields(kDefaultFields);
  std::string extra_fields;
  for (const ParsedOption& opt : parsed.options) {
    const std::string v = opt.value.value_or("");
    switch (opt.id) {
      case kAllUsers: all_users = true; break;
      case kAccounts:
        for (const std::string& a : SplitList(v, ',')) r.add_accounts(a);
        break;
      case kBrief: fields = kBriefFields; break;
      case kLong: fields = kLongFields; break;
      case kEnd: {
        ASSIGN_OR_RETURN(TimePoint t, ParseTimeSpec(v, now));
        r.mutable_window()->set_end_time(Epoch(t));
        end_given = true;
        break;
      }
      case kStart: {
        ASSIGN_OR_RETURN(TimePoint t, ParseTimeSpec(v, now));
        r.mutable_window()->set_start_time(Epoch(t));
        start_given = true;
        break;
      }
      case kHelpFormat: o.helpformat = true; break;
      case kJobs:
        for (const std::string& j : SplitList(v, ',')) {
          // 42, 42.batch, 42_3: the job part selects the record.
          std::string id = j.substr(0, j.find_first_of("._"));
          ASSIGN_OR_RETURN(uint32_t n, ParseUint(id, "Invalid job id: "));
          r.add_jobs()->set_job_id(n);
        }
        break;
      case kNoHeader: o.noheader = true; break;
      case kNodeList:
        for (const std::string& n : SplitList(v, ',')) r.add_node_names(n);
        break;
      case kName:
        for (const std::string& n : SplitList(v, ',')) r.add_names(n);
        break;
      case kFormat: extra_fields = extra_fields.empty() ? v : extra_fields + "," + v; break;
      case kParsable: o.parsable = true; break;
      case kParsable2: o.parsable2 = true; break;
      case kPartition:
        for (const std::string& p : SplitList(v, ',')) r.add_partitions(p);
        break;
      case kState: {
        for (const std::string& s : SplitList(v, ',')) {
          Result<JobState> state = ParseJobState(s);
          if (!state) return Error(ErrorCode::kInvalidArgument, "Invalid state: " + s);
          r.add_states(static_cast<v1::JobState>(static_cast<int>(*state) + 1));
        }
        break;
      }
      case kUser:
      case kUid:
        for (const std::string& u : SplitList(v, ',')) {
          if (!u.empty() && u.find_first_not_of("0123456789") == std::string::npos) {
            ASSIGN_OR_RETURN(uint32_t n, ParseUint(u, "Invalid user id: "));
            r.add_uids(n);
          } else {
            r.add_user_names(u);
          }
        }
        break;
      case kAllocations: r.set_allocations_only(true); break;
      case kJson: o.json = true; break;
      case kHelp: o.help = true; break;
      case kUsage: o.usage = true; break;
      case kVersion: o.version = true; break;
      case kAllClusters: r.set_all_clusters(true); break;
      case kClusters:
        for (const std::string& c : SplitList(v, ',')) r.add_clusters(c);
        break;
      case kDuplicates: r.set_duplicates(true); break;
      case kArray: r.set_array_expand(true); break;
      case kDelimiter: o.delimiter = v; break;
      case kQos:
        for (const std::string& q : SplitList(v, ',')) r.add_qos(q);
        break;
      default: break;  // -T, -v: accepted
    }
  }
  if (!parsed.positionals.empty()) {
    return Error(ErrorCode::kInvalidArgument, "Unknown arguments: " + parsed.positionals[0]);
  }
  // -o replaces the default columns; -b/-l choose another default.
  ASSIGN_OR_RETURN(o.fields, ParseFieldList(extra_fields.empty() ? fields : extra_fields));
  const bool have_users = r.uids_size() > 0 || r.user_names_size() > 0;
  r.set_all_users(all_users || privileged || r.jobs_size() > 0);
  if (!have_users && !r.all_users()) r.add_uids(uid);
  if (!start_given && r.jobs_size() == 0) r.mutable_window()->set_start_time(Midnight(now));
  if (!end_given && r.window().start_time() != 0) r.mutable_window()->set_end_time(Epoch(now));
  if (r.window().end_time() != 0 && r.window().start_time() > r.window().end_time()) {
    return Error(ErrorCode::kInvalidArgument, "Start time requested is after end time.");
  }
  return o;
}

}  // namespace drover::cli::sacct
