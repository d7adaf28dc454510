// scontrol's host list subcommands: expand and compress Slurm host lists.
#pragma once

#include <string>
#include <vector>

#include "cli/common/invocation.h"

namespace drover::cli::scontrol {

// `show hostnames [LIST]`: one name per line; LIST defaults to $SLURM_JOB_NODELIST.
int ShowHostnames(const Invocation& invocation, const std::vector<std::string>& words);
// `show hostlist LIST` and `show hostlistsorted LIST`: the ranged form. LIST is a comma
// or space separated list of names or host lists, or a file name when it starts with '/'.
int ShowHostlist(const Invocation& invocation, const std::vector<std::string>& words, bool sorted);

}  // namespace drover::cli::scontrol
