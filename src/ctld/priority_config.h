// priority/multifactor's inputs as slurm.conf gives them: the weights and flags
// (MultifactorSettings) and the denominators (PriorityCluster). The engine builds its
// priority policy from these; sprio's listing builds the same policy from a published
// snapshot's configuration, so it answers without asking the engine thread.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "config/slurm_conf.h"
#include "sched/policy/multifactor_settings.h"
#include "sched/policy/priority_multifactor.h"

namespace drover::ctld {

// The words of PriorityFlags that are no flag go to `unknown_flags` (may be null) for the
// caller to warn about. Errors: a malformed PriorityWeightTRES (kConfigValue).
Result<sched::MultifactorSettings> MultifactorFromConfig(const config::SlurmConfig& c,
                                                         std::vector<std::string>* unknown_flags);

// The cluster's and each partition's CPUs, memory, nodes and GRES, and the largest
// PriorityJobFactor.
sched::PriorityCluster PriorityClusterFromConfig(const config::SlurmConfig& c);

}  // namespace drover::ctld
