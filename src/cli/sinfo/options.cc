#include <charconv>

#include "base/strings.h"
#include "cli/common/getopt.h"
#include "cli/sinfo/fields.h"
#include "cli/sinfo/sinfo.h"

namespace drover::cli::sinfo {
namespace {

enum Id {
  kAll = 1,
  kDead,
  kExact,
  kFormat,
  kFormatLong,
  kHelp,
  kUsage,
  kIterate,
  kLong,
  kNode,
  kNoHeader,
  kNodes,
  kPartition,
  kResponding,
  kReasons,
  kSummarize,
  kSort,
  kStates,
  kVerbose,
  kVersion,
  kJson,
  kCluster,
  kHide,
  kNoConvert,
  kLocal,
  kFuture,
};

constexpr OptionSpec kSpecs[] = {
    {"all", 'a', ArgKind::kNone, kAll},
    {"dead", 'd', ArgKind::kNone, kDead},
    {"exact", 'e', ArgKind::kNone, kExact},
    {"format", 'o', ArgKind::kRequired, kFormat},
    {"Format", 'O', ArgKind::kRequired, kFormatLong},
    {"help", 0, ArgKind::kNone, kHelp},
    {"usage", 0, ArgKind::kNone, kUsage},
    {"iterate", 'i', ArgKind::kRequired, kIterate},
    {"long", 'l', ArgKind::kNone, kLong},
    {"Node", 'N', ArgKind::kNone, kNode},
    {"noheader", 'h', ArgKind::kNone, kNoHeader},
    {"nodes", 'n', ArgKind::kRequired, kNodes},
    {"partition", 'p', ArgKind::kRequired, kPartition},
    {"responding", 'r', ArgKind::kNone, kResponding},
    {"list-reasons", 'R', ArgKind::kNone, kReasons},
    {"summarize", 's', ArgKind::kNone, kSummarize},
    {"sort", 'S', ArgKind::kRequired, kSort},
    {"states", 't', ArgKind::kRequired, kStates},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"version", 'V', ArgKind::kNone, kVersion},
    {"json", 0, ArgKind::kNone, kJson},
    {"clusters", 'M', ArgKind::kRequired, kCluster},
    {"hide", 0, ArgKind::kNone, kHide},
    {"noconvert", 0, ArgKind::kNone, kNoConvert},
    {"local", 0, ArgKind::kNone, kLocal},
    {"future", 'F', ArgKind::kNone, kFuture},
};

// One -t item: a base state or a flag, by the names sinfo prints and their long forms.
bool AddState(const std::string& item, v1::ListNodesRequest* req) {
  struct Name {
    std::string_view name;
    v1::NodeState state;
    v1::NodeStateFlag flag;
  };
  using S = v1::NodeState;
  using Fl = v1::NodeStateFlag;
  static constexpr Name kNames[] = {
      {"idle", v1::NODE_STATE_IDLE, Fl{}},
      {"alloc", v1::NODE_STATE_ALLOCATED, Fl{}},
      {"allocated", v1::NODE_STATE_ALLOCATED, Fl{}},
      {"mix", v1::NODE_STATE_MIXED, Fl{}},
      {"mixed", v1::NODE_STATE_MIXED, Fl{}},
      {"down", v1::NODE_STATE_DOWN, Fl{}},
      {"unk", v1::NODE_STATE_UNKNOWN, Fl{}},
      {"unknown", v1::NODE_STATE_UNKNOWN, Fl{}},
      {"err", v1::NODE_STATE_ERROR, Fl{}},
      {"error", v1::NODE_STATE_ERROR, Fl{}},
      {"futr", v1::NODE_STATE_FUTURE, Fl{}},
      {"future", v1::NODE_STATE_FUTURE, Fl{}},
      {"drain", S{}, v1::NODE_STATE_FLAG_DRAIN},
      {"drained", S{}, v1::NODE_STATE_FLAG_DRAIN},
      {"draining", S{}, v1::NODE_STATE_FLAG_DRAIN},
      {"drng", S{}, v1::NODE_STATE_FLAG_DRAIN},
      {"comp", S{}, v1::NODE_STATE_FLAG_COMPLETING},
      {"completing", S{}, v1::NODE_STATE_FLAG_COMPLETING},
      {"fail", S{}, v1::NODE_STATE_FLAG_FAIL},
      {"failing", S{}, v1::NODE_STATE_FLAG_FAIL},
      {"maint", S{}, v1::NODE_STATE_FLAG_MAINT},
      {"resv", S{}, v1::NODE_STATE_FLAG_RESERVED},
      {"reserved", S{}, v1::NODE_STATE_FLAG_RESERVED},
      {"no_respond", S{}, v1::NODE_STATE_FLAG_NOT_RESPONDING},
      {"not_responding", S{}, v1::NODE_STATE_FLAG_NOT_RESPONDING},
      {"planned", S{}, v1::NODE_STATE_FLAG_PLANNED},
      {"cloud", S{}, v1::NODE_STATE_FLAG_CLOUD},
      {"powered_down", S{}, v1::NODE_STATE_FLAG_POWERED_DOWN},
      {"power_down", S{}, v1::NODE_STATE_FLAG_POWER_DOWN},
      {"powering_down", S{}, v1::NODE_STATE_FLAG_POWERING_DOWN},
      {"powering_up", S{}, v1::NODE_STATE_FLAG_POWERING_UP},
      {"reboot", S{}, v1::NODE_STATE_FLAG_REBOOT_REQUESTED},
      {"inval", S{}, v1::NODE_STATE_FLAG_INVALID_REG},
  };
  std::string l = AsciiLower(item);
  if (l == "all") return true;
  for (const Name& n : kNames) {
    if (n.name != l) continue;
    if (n.state != S{}) req->add_states(n.state);
    if (n.flag != Fl{}) req->add_state_flags(n.flag);
    return true;
  }
  return false;
}

Error Bad(std::string m) { return Error(ErrorCode::kInvalidArgument, std::move(m)); }

}  // namespace

Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Result<ParsedArgs> parsed = ParseArgs(args, kSpecs);
  if (!parsed) return Bad(parsed.error().message());
  Options o;
  std::optional<std::string> format, format_long;
  for (const ParsedOption& opt : parsed->options) {
    const std::string value = opt.value.value_or("");
    switch (opt.id) {
      case kAll:
        o.nodes_request.set_include_hidden(true);
        o.partitions_request.set_include_hidden(true);
        break;
      case kDead:
        o.nodes_request.set_dead_only(true);
        break;
      case kResponding:
        o.nodes_request.set_responding_only(true);
        break;
      case kFormat:
        format = value;
        break;
      case kFormatLong:
        format_long = value;
        break;
      case kHelp:
      case kUsage:
        o.help = true;
        break;
      case kIterate: {
        int n = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec != std::errc() || p != value.data() + value.size() || n <= 0) {
          return Bad("error: --iterate=" + value + " is invalid");
        }
        o.iterate_s = n;
        break;
      }
      case kLong:
        o.long_listing = true;
        break;
      case kNode:
        o.node_oriented = true;
        break;
      case kNoHeader:
        o.no_header = true;
        break;
      case kNodes:
        o.nodes_request.add_node_names(value);
        break;
      case kPartition:
        for (auto& p : SplitList(value)) {
          o.nodes_request.add_partitions(p);
          o.partitions_request.add_names(p);
        }
        break;
      case kReasons:
        o.reasons = true;
        break;
      case kSummarize:
        o.summarize = true;
        break;
      case kStates:
        for (auto& s : SplitList(value)) {
          if (!AddState(s, &o.nodes_request)) {
            return Bad("error: Invalid node state specified: " + s);
          }
        }
        break;
      case kVersion:
        o.version = true;
        break;
      case kJson:
        o.json = true;
        break;
      default:
        break;  // -e, -S, -v, -M, --hide, --local, -F: accepted, no effect yet
    }
  }
  if (!parsed->positionals.empty()) {
    return Bad("error: Unrecognized option: " + parsed->positionals.front());
  }
  if (format_long) {
    o.format = *format_long;
    o.long_format_syntax = true;
  } else if (format) {
    o.format = *format;
  } else if (o.summarize) {
    o.format = std::string(kSummarizeFormat);
  } else if (o.reasons) {
    o.format = std::string(o.long_listing ? kReasonLongFormat : kReasonFormat);
  } else if (o.node_oriented) {
    o.format = std::string(o.long_listing ? kNodeLongFormat : kNodeFormat);
  } else {
    o.format = std::string(o.long_listing ? kLongFormat : kDefaultFormat);
  }
  return o;
}

}  // namespace drover::cli::sinfo
