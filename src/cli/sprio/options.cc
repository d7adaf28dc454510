#include "cli/sprio/options.h"

#include "base/strings.h"
#include "cli/common/getopt.h"
#include "cli/common/job_ref.h"

namespace drover::cli::sprio {
namespace {

enum Id {
  kAccount = 1,
  kCluster,
  kFederation,
  kFormat,
  kHelp,
  kJobs,
  kLocal,
  kLong,
  kNoHeader,
  kNorm,
  kPartition,
  kSort,
  kUsage,
  kUser,
  kVerbose,
  kVersion,
  kWeights,
};

constexpr OptionSpec kSpecs[] = {
    {"account", 'A', ArgKind::kRequired, kAccount},
    {"clusters", 'M', ArgKind::kRequired, kCluster},
    {"federation", 0, ArgKind::kNone, kFederation},
    {"format", 'o', ArgKind::kRequired, kFormat},
    {"help", 0, ArgKind::kNone, kHelp},
    {"jobs", 'j', ArgKind::kOptional, kJobs},
    {"local", 0, ArgKind::kNone, kLocal},
    {"long", 'l', ArgKind::kNone, kLong},
    {"noheader", 'h', ArgKind::kNone, kNoHeader},
    {"norm", 'n', ArgKind::kNone, kNorm},
    {"partition", 'p', ArgKind::kRequired, kPartition},
    {"sort", 'S', ArgKind::kRequired, kSort},
    {"usage", 0, ArgKind::kNone, kUsage},
    {"user", 'u', ArgKind::kRequired, kUser},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"version", 'V', ArgKind::kNone, kVersion},
    {"weights", 'w', ArgKind::kNone, kWeights},
};

Error Bad(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

Status AddJobs(std::string_view list, v1::JobFilter* filter) {
  for (const std::string& item : SplitJobList(list)) {
    std::optional<v1::JobRef> ref = ReadJobRef(item);
    if (!ref) return Bad("error: Invalid job id: " + item);
    ref->clear_step();  // sprio lists jobs; a step suffix names its job
    *filter->add_jobs() = std::move(*ref);
  }
  return Ok();
}

}  // namespace

Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Result<ParsedArgs> parsed = ParseArgs(args, kSpecs);
  if (!parsed) return Bad(parsed.error().message());
  Options o;
  v1::JobFilter* filter = o.request.mutable_filter();
  bool jobs_flag = false;
  for (const ParsedOption& opt : parsed->options) {
    const std::string value = opt.value.value_or("");
    switch (opt.id) {
      case kAccount:
        for (auto& s : SplitList(value)) filter->add_accounts(s);
        break;
      case kFormat:
        o.format = value;
        break;
      case kHelp:
        o.help = true;
        break;
      case kJobs:
        jobs_flag = true;
        RETURN_IF_ERROR(AddJobs(value, filter));
        break;
      case kLong:
        o.long_listing = true;
        break;
      case kNoHeader:
        o.no_header = true;
        break;
      case kNorm:
        o.normalized = true;
        break;
      case kPartition:
        for (auto& s : SplitList(value)) filter->add_partitions(s);
        break;
      case kUsage:
        o.usage = true;
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
      case kWeights:
        o.weights = true;
        break;
      default:  // -M, --local, --federation, -S, -v: one cluster, id order, no extra logging
        break;
    }
  }
  // "-j 41": the list follows as its own word (getopt leaves an optional argument there).
  if (jobs_flag) {
    for (const std::string& positional : parsed->positionals) {
      RETURN_IF_ERROR(AddJobs(positional, filter));
    }
    parsed->positionals.clear();
  }
  if (!parsed->positionals.empty()) {
    return Bad("error: Unrecognized option: " + parsed->positionals.front());
  }
  return o;
}

}  // namespace drover::cli::sprio
