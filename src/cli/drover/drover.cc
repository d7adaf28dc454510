#include "cli/drover/drover.h"

#include <ostream>
#include <string>

#include "cli/common/version.h"
#include "cli/drover/config_check.h"
#include "cli/drover/local_cluster.h"
#include "cli/drover/sim_command.h"

namespace drover::cli::drover {
namespace {

constexpr const char* kUsage =
    "Usage: drover <command> [arguments]\n"
    "\n"
    "Commands:\n"
    "  config check [FILE]   validate a slurm.conf (and the gres.conf and cgroup.conf\n"
    "                        beside it) and print it in the `scontrol show config` layout;\n"
    "                        FILE defaults to $SLURM_CONF, then /etc/slurm/slurm.conf\n"
    "  up [--nodes N]        start the local cluster on this host: its own slurm.conf,\n"
    "                        munged, controller and N node daemons (default 4) on free\n"
    "                        ports; again, it restarts whichever daemon is not running\n"
    "  down                  stop every daemon `drover up` started\n"
    "  env                   print the export lines for eval \"$(drover env)\"\n"
    "  status                one line per daemon of the local cluster\n"
    "                        (up/down/env/status take --dir DIR; default $DROVER_HOME,\n"
    "                        $XDG_RUNTIME_DIR/drover, ~/.local/state/drover)\n"
    "  sim [options]         simulate the scheduler over a trace (SWF) or a synthetic\n"
    "                        workload; `drover sim --help` lists the options\n"
    "  version               print Drover's version\n"
    "  help                  print this message\n"
    "\n"
    "Slurm's commands are this same binary under their own names (scontrol, ...), or\n"
    "`drover <slurm command> [arguments]`.\n";

}  // namespace

int Run(const Invocation& inv) {
  const std::vector<std::string>& args = inv.args;
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? inv.err : inv.out) << kUsage;
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "version" || args[0] == "--version" || args[0] == "-V") {
    inv.out << "drover " << kDroverVersion << " (slurm " << kSlurmCompatVersion << ")\n";
    return 0;
  }
  if (args[0] == "config") {
    if (args.size() >= 2 && args[1] == "check") {
      if (args.size() > 3) {
        inv.err << "drover: error: config check takes at most one file\n";
        return 1;
      }
      return ConfigCheck(inv, args.size() == 3 ? args[2] : std::string());
    }
    inv.err << "drover: error: unknown config subcommand; try `drover config check [FILE]`\n";
    return 1;
  }
  if (args[0] == "sim") {
    Invocation sub{inv.program, {args.begin() + 1, args.end()}, inv.env, inv.out, inv.err};
    return SimCommand(sub);
  }
  if (IsLocalClusterCommand(args[0])) return LocalClusterCommand(inv);
  inv.err << "drover: error: unknown command '" << args[0] << "'\n" << kUsage;
  return 1;
}

}  // namespace drover::cli::drover
