// The multi-call CLI: one binary, installed under every command's name. argv[0] picks
// the command (sbatch, squeue, scontrol, ...); `drover <command> args` works too.
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "cli/common/client_factory.h"
#include "cli/common/invocation.h"
#include "cli/drover/drover.h"
#include "cli/sacct/sacct.h"
#include "cli/salloc/salloc.h"
#include "cli/sbatch/sbatch.h"
#include "cli/scancel/scancel.h"
#include "cli/scontrol/scontrol.h"
#include "cli/sinfo/sinfo.h"
#include "cli/sprio/sprio.h"
#include "cli/squeue/squeue.h"
#include "cli/srun/srun.h"

namespace {

using drover::cli::Invocation;

struct Command {
  std::string_view name;
  int (*run)(const Invocation&);
};

// Commands that talk to the controller get their client here; an unreachable controller
// still lets them parse options and print --help, as Slurm's commands do.
int RunSbatch(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::sbatch::Run(invocation, *unreachable);
  }
  return drover::cli::sbatch::Run(invocation, **client);
}

int RunSqueue(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::squeue::Run(invocation, *unreachable);
  }
  return drover::cli::squeue::Run(invocation, **client);
}

int RunSinfo(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::sinfo::Run(invocation, *unreachable);
  }
  return drover::cli::sinfo::Run(invocation, **client);
}

int RunScancel(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::scancel::Run(invocation, *unreachable);
  }
  return drover::cli::scancel::Run(invocation, **client);
}

int RunSacct(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::sacct::Run(invocation, *unreachable);
  }
  return drover::cli::sacct::Run(invocation, **client);
}

int RunSprio(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::sprio::Run(invocation, *unreachable);
  }
  return drover::cli::sprio::Run(invocation, **client);
}

int RunSalloc(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::salloc::Run(invocation, *unreachable);
  }
  return drover::cli::salloc::Run(invocation, **client);
}

int RunSrun(const Invocation& invocation) {
  auto client = drover::cli::MakeControllerClient(invocation.env);
  if (!client) {
    auto unreachable = drover::cli::UnreachableControllerClient(client.error());
    return drover::cli::srun::Run(invocation, *unreachable);
  }
  return drover::cli::srun::Run(invocation, **client);
}

// scontrol makes its client only for the subcommands that need the controller.
int RunScontrol(const Invocation& invocation) {
  return drover::cli::scontrol::Run(invocation, drover::cli::MakeControllerClient);
}

constexpr Command kCommands[] = {
    {"drover", drover::cli::drover::Run},
    {"scontrol", RunScontrol},
    {"squeue", RunSqueue},
    {"sinfo", RunSinfo},
    {"sbatch", RunSbatch},
    {"scancel", RunScancel},
    {"sacct", RunSacct},
    {"sprio", RunSprio},
    {"salloc", RunSalloc},
    {"srun", RunSrun},
};

const Command* Find(std::string_view name) {
  for (const Command& c : kCommands) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::string_view self = argc > 0 ? argv[0] : "drover";
  if (size_t slash = self.rfind('/'); slash != std::string_view::npos) {
    self = self.substr(slash + 1);
  }
  int first_arg = 1;
  const Command* command = Find(self);
  // `drover scontrol show hostnames ...` runs scontrol as if called by that name.
  if (command != nullptr && command->name == "drover" && argc > 1) {
    if (const Command* sub = Find(argv[1]); sub != nullptr && sub->name != "drover") {
      command = sub;
      first_arg = 2;
    }
  }
  if (command == nullptr) {
    std::cerr << "drover: unknown command name '" << self << "'\n";
    return 1;
  }
  Invocation invocation{std::string(command->name),
                        std::vector<std::string>(argv + first_arg, argv + argc),
                        drover::cli::ProcessEnvironment(), std::cout, std::cerr};
  int code = command->run(invocation);
  std::cout.flush();
  return code;
}
