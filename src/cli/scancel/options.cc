#include "cli/scancel/options.h"

#include <charconv>
#include <csignal>
#include <optional>

#include "base/strings.h"
#include "cli/common/getopt.h"
#include "cli/common/job_ref.h"
#include "core/job_state.h"

namespace drover::cli::scancel {
namespace {

enum OptionId {
  kAccount = 1,
  kBatch,
  kClusters,
  kFull,
  kHelp,
  kHurry,
  kInteractive,
  kMe,
  kName,
  kNodes,
  kPartition,
  kQos,
  kQuiet,
  kReservation,
  kSibling,
  kSignal,
  kState,
  kUsage,
  kUser,
  kVerbose,
  kVersion,
  kWckey,
};

constexpr OptionSpec kSpecs[] = {
    {"account", 'A', ArgKind::kRequired, kAccount},
    {"batch", 'b', ArgKind::kNone, kBatch},
    {"clusters", 'M', ArgKind::kRequired, kClusters},
    {"cluster", 0, ArgKind::kRequired, kClusters},
    {"full", 'f', ArgKind::kNone, kFull},
    {"help", 'h', ArgKind::kNone, kHelp},
    {"hurry", 'H', ArgKind::kNone, kHurry},
    {"interactive", 'i', ArgKind::kNone, kInteractive},
    {"me", 0, ArgKind::kNone, kMe},
    {"name", 'n', ArgKind::kRequired, kName},
    {"jobname", 0, ArgKind::kRequired, kName},
    {"nodelist", 'w', ArgKind::kRequired, kNodes},
    {"partition", 'p', ArgKind::kRequired, kPartition},
    {"qos", 'q', ArgKind::kRequired, kQos},
    {"quiet", 'Q', ArgKind::kNone, kQuiet},
    {"reservation", 'R', ArgKind::kRequired, kReservation},
    {"sibling", 0, ArgKind::kRequired, kSibling},
    {"signal", 's', ArgKind::kRequired, kSignal},
    {"state", 't', ArgKind::kRequired, kState},
    {"usage", 0, ArgKind::kNone, kUsage},
    {"user", 'u', ArgKind::kRequired, kUser},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"version", 'V', ArgKind::kNone, kVersion},
    {"wckey", 0, ArgKind::kRequired, kWckey},
};

struct SignalName {
  std::string_view name;
  int number;
};

constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},
    {"KILL", SIGKILL},     {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},   {"CHLD", SIGCHLD},
    {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"POLL", SIGPOLL},     {"PWR", SIGPWR},   {"SYS", SIGSYS},
};

Error Bad(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

std::string StepSuffix(const v1::StepRef& step) {
  switch (step.kind()) {
    case v1::STEP_KIND_BATCH:
      return ".batch";
    case v1::STEP_KIND_EXTERN:
      return ".extern";
    case v1::STEP_KIND_INTERACTIVE:
      return ".interactive";
    default:
      return "." + std::to_string(step.step_id());
  }
}

}  // namespace

Result<v1::JobRef> ParseJobId(std::string_view text) {
  std::optional<v1::JobRef> ref = ReadJobRef(text);
  if (!ref) return Bad("error: Invalid job id " + std::string(text));
  return *ref;
}

std::string FormatJobRef(const v1::JobRef& ref) {
  std::string out = std::to_string(ref.job_id());
  if (ref.array_tasks_size() > 0) {
    std::string tasks;
    for (const v1::IdRange& r : ref.array_tasks()) {
      if (!tasks.empty()) tasks += ",";
      tasks += std::to_string(r.first());
      if (r.last() != r.first()) tasks += "-" + std::to_string(r.last());
    }
    bool single =
        ref.array_tasks_size() == 1 && ref.array_tasks(0).first() == ref.array_tasks(0).last();
    out += single ? "_" + tasks : "_[" + tasks + "]";
  }
  if (ref.has_step()) out += StepSuffix(ref.step());
  return out;
}

Result<int> ParseSignal(std::string_view text) {
  if (auto n = ReadUint32(text)) {
    if (*n >= 1 && *n <= 64) return static_cast<int>(*n);
    return Bad("error: Invalid job signal: " + std::string(text));
  }
  std::string upper = AsciiUpper(text);
  std::string_view name = upper;
  if (name.starts_with("SIG")) name.remove_prefix(3);
  for (const SignalName& s : kSignals) {
    if (s.name == name) return s.number;
  }
  return Bad("error: Invalid job signal: " + std::string(text));
}

Result<Options> ParseOptions(const std::vector<std::string>& args, uint32_t uid) {
  Result<ParsedArgs> parsed = ParseArgs(args, kSpecs);
  if (!parsed) return Bad(parsed.error().message());
  Options o;
  v1::CancelJobsRequest& request = o.request;
  v1::JobFilter* filter = request.mutable_filter();
  for (const ParsedOption& opt : parsed->options) {
    const std::string value = opt.value.value_or("");
    switch (opt.id) {
      case kAccount:
        for (auto& s : SplitList(value)) filter->add_accounts(s);
        break;
      case kBatch:
        request.set_batch_only(true);
        break;
      case kFull:
        request.set_full(true);
        break;
      case kHelp:
        o.help = true;
        break;
      case kHurry:
        request.set_hurry(true);
        break;
      case kInteractive:
        o.interactive = true;
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
      case kPartition:
        for (auto& s : SplitList(value)) filter->add_partitions(s);
        break;
      case kQos:
        for (auto& s : SplitList(value)) filter->add_qos(s);
        break;
      case kQuiet:
        o.quiet = true;
        break;
      case kReservation:
        for (auto& s : SplitList(value)) filter->add_reservations(s);
        break;
      case kSignal: {
        ASSIGN_OR_RETURN(int signal, ParseSignal(value));
        request.set_signal(signal);
        break;
      }
      case kState:
        for (const std::string& item : SplitList(value)) {
          Result<JobState> state = ParseJobState(item);
          // Slurm's scancel acts on jobs that have not finished only.
          if (!state || (*state != JobState::kPending && *state != JobState::kRunning &&
                         *state != JobState::kSuspended)) {
            return Bad("error: Invalid job state specified: " + item +
                       "\nscancel: error: Valid job states are PENDING, RUNNING, and SUSPENDED");
          }
          filter->add_states(static_cast<v1::JobState>(static_cast<int>(*state) + 1));
        }
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
      case kVerbose:
        ++o.verbose;
        break;
      case kVersion:
        o.version = true;
        break;
      case kWckey:
        for (auto& s : SplitList(value)) filter->add_wckeys(s);
        break;
      default:
        break;  // -M, --sibling: one cluster, accepted
    }
  }
  for (const std::string& positional : parsed->positionals) {
    for (const std::string& item : SplitJobList(positional)) {
      ASSIGN_OR_RETURN(v1::JobRef ref, ParseJobId(item));
      *request.add_jobs() = std::move(ref);
    }
  }
  return o;
}

}  // namespace drover::cli::scancel
