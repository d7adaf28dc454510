#include "cli/scontrol/scontrol.h"

#include <algorithm>
#include <ostream>

#include "base/strings.h"
#include "cli/common/getopt.h"
#include "cli/common/version.h"
#include "cli/scontrol/actions.h"
#include "cli/scontrol/hosts.h"
#include "cli/scontrol/show.h"

namespace drover::cli::scontrol {
namespace {

enum OptionId { kOneliner = 1, kDetails, kQuiet, kVerbose, kVersion, kHelp, kCluster };

constexpr OptionSpec kOptions[] = {
    {"oneliner", 'o', ArgKind::kNone, kOneliner}, {"details", 'd', ArgKind::kNone, kDetails},
    {"quiet", 'Q', ArgKind::kNone, kQuiet},       {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"version", 'V', ArgKind::kNone, kVersion},   {"help", 'h', ArgKind::kNone, kHelp},
    {"usage", 0, ArgKind::kNone, kHelp},          {"clusters", 'M', ArgKind::kRequired, kCluster},
};

constexpr const char* kUsage =
    "Usage: scontrol [<OPTION>] [<COMMAND>]\n"
    "  Options:\n"
    "     -d or --details    show more details on show commands\n"
    "     -h or --help       print this help message\n"
    "     -o or --oneliner   print records on a single line\n"
    "     -Q or --quiet      do not print warning or informational messages\n"
    "     -V or --version    print the version\n"
    "\n"
    "  Commands that need no controller:\n"
    "     show hostnames [<LIST>]      expand a host list, one name a line\n"
    "     show hostlist <LIST>         compress names into a host list\n"
    "     show hostlistsorted <LIST>   the same, sorted and without duplicates\n"
    "     version                      print the version\n"
    "\n"
    "  Commands that ask the controller:\n"
    "     show job [<ID>]              jobs (-d: per node detail)\n"
    "     show node [<NAME>]           nodes\n"
    "     show partition [<NAME>]      partitions\n"
    "     show config                  the running configuration\n"
    "     ping                         whether the controller answers\n"
    "     update JobId=<ID> <KEY>=<VALUE>...   change jobs (TimeLimit, Partition, NumNodes,\n"
    "                                      Nice, Name; JobName=/UserId= select by filter)\n"
    "     update NodeName=<NODES> State=<STATE> [Reason=<TEXT>]   change nodes\n"
    "     hold | uhold | release <IDS>  hold (admin / user) or release jobs\n"
    "     requeue | requeuehold <IDS>   requeue jobs (held)\n"
    "     reconfigure                  re-read slurm.conf in the controller\n";

// Slurm accepts any unique prefix of a keyword ("show host" is ambiguous, "sh" is show).
bool Matches(const std::string& typed, std::string_view keyword, size_t min_len) {
  return typed.size() >= min_len && keyword.starts_with(typed);
}

// What `scontrol show X` asks the controller for, and how Slurm names the failed call.
std::string_view LoadCallFor(const std::string& entity) {
  if (Matches(entity, "jobs", 1)) return "slurm_load_jobs";
  if (Matches(entity, "nodes", 1)) return "slurm_load_node";
  if (Matches(entity, "partitions", 1)) return "slurm_load_partitions";
  if (Matches(entity, "config", 1)) return "slurm_load_ctl_conf";
  if (Matches(entity, "reservations", 1)) return "slurm_load_reservations";
  if (Matches(entity, "steps", 2)) return "slurm_get_job_steps";
  return {};
}

// The client for a controller-backed subcommand, or the error in Slurm's words for `call`.
std::unique_ptr<client::ControllerClient> Connect(const Invocation& inv,
                                                  const ClientFactory& make_client,
                                                  std::string_view call) {
  Result<std::unique_ptr<client::ControllerClient>> client = make_client(inv.env);
  if (!client) {
    inv.err << call << " error: " << client.error().message() << "\n";
    return nullptr;
  }
  return std::move(*client);
}

int Show(const Invocation& inv, std::vector<std::string> words, const ClientFactory& make_client,
         const ShowOptions& options) {
  if (words.empty()) {
    inv.err << "scontrol: error: too few arguments for keyword:show\n";
    return 1;
  }
  std::string entity = AsciiLower(words.front());
  words.erase(words.begin());
  if (entity == "hostnames") return ShowHostnames(inv, words);
  if (entity == "hostlist") return ShowHostlist(inv, words, /*sorted=*/false);
  if (entity == "hostlistsorted") return ShowHostlist(inv, words, /*sorted=*/true);
  if (std::string_view call = LoadCallFor(entity); !call.empty()) {
    bool served = Matches(entity, "jobs", 1) || Matches(entity, "nodes", 1) ||
                  Matches(entity, "partitions", 1) || Matches(entity, "config", 1) ||
                  Matches(entity, "steps", 2);
    if (!served) {
      inv.err << call << " error: " << ErrorText(ErrorCode::kNotSupported) << "\n";
      return 1;
    }
    std::unique_ptr<client::ControllerClient> client = Connect(inv, make_client, call);
    if (client == nullptr) return 1;
    if (Matches(entity, "jobs", 1)) return ShowJobs(inv, *client, words, options);
    if (Matches(entity, "nodes", 1)) return ShowNodes(inv, *client, words, options);
    if (Matches(entity, "partitions", 1)) return ShowPartitions(inv, *client, words, options);
    if (Matches(entity, "steps", 2)) return ShowSteps(inv, *client, words, options);
    return ShowConfig(inv, *client);
  }
  inv.err << "scontrol: error: invalid entity:" << entity << " for keyword:show\n";
  return 1;
}

}  // namespace

int Run(const Invocation& inv, const ClientFactory& make_client) {
  // Options may follow the command ("scontrol show job -o 42"), as glibc's getopt permutes
  // scontrol's arguments; values that start with '-' follow a key ("Nice=-5"), so no
  // command word is mistaken for an option.
  Result<ParsedArgs> parsed = ParseArgs(inv.args, kOptions, Permute::kYes);
  if (!parsed) {
    inv.err << "scontrol: " << parsed.error().message() << "\n"
            << "Try \"scontrol --help\" for more information\n";
    return 1;
  }
  ShowOptions show_options;
  for (const ParsedOption& option : parsed->options) {
    if (option.id == kOneliner) show_options.one_liner = true;
    if (option.id == kDetails) show_options.details = true;
    if (option.id == kVersion) {
      inv.out << "slurm " << kSlurmCompatVersion << "\n";
      return 0;
    }
    if (option.id == kHelp) {
      inv.out << kUsage;
      return 0;
    }
  }
  std::vector<std::string> words = parsed->positionals;
  if (words.empty()) {
    inv.err << "scontrol: error: no command given; the interactive prompt is not offered, "
               "pass a command (see scontrol --help)\n";
    return 1;
  }
  std::string command = AsciiLower(words.front());
  words.erase(words.begin());
  if (Matches(command, "show", 2)) return Show(inv, std::move(words), make_client, show_options);
  if (Matches(command, "ping", 2)) {
    return PingControllers(inv, [&] {
      std::unique_ptr<client::ControllerClient> client = Connect(inv, make_client, "slurm_ping");
      if (client == nullptr) return 1;
      return Ping(inv, *client);
    });
  }
  if (Matches(command, "update", 1)) return Update(inv, words, make_client);
  if (command == "hold") return Hold(inv, words, /*user_hold=*/false, make_client);
  if (command == "uhold") return Hold(inv, words, /*user_hold=*/true, make_client);
  if (Matches(command, "release", 3)) return Release(inv, words, make_client);
  if (command == "requeue") return Requeue(inv, words, /*hold=*/false, make_client);
  if (command == "requeuehold") return Requeue(inv, words, /*hold=*/true, make_client);
  if (Matches(command, "reconfigure", 3)) return Reconfigure(inv, make_client);
  if (Matches(command, "version", 2)) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (Matches(command, "help", 1)) {
    inv.out << kUsage;
    return 0;
  }
  inv.err << "invalid keyword: " << command << "\n";
  return 1;
}

}  // namespace drover::cli::scontrol
