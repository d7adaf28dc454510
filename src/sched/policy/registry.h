// Policy registry: creates policies from Slurm's plugin names, as slurm.conf spells them
// (PriorityType=priority/basic, SelectType=select/cons_tres).
//
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string_view>

#include "base/result.h"
#include "sched/policies.h"
#include "sched/policy/priority_multifactor.h"

namespace drover::sched {

// "priority/basic" (also the default for an empty name). Errors: kNotSupported naming the
// plugin, and for priority/multifactor, which needs the overload below.
Result<std::unique_ptr<PriorityPolicy>> MakePriorityPolicy(std::string_view name);

// "priority/basic" or "priority/multifactor" with its settings and denominators; `source`
// (may be null) supplies fair-share, association, QOS and site factors and must outlive
// the policy. Errors: kNotSupported naming the plugin.
Result<std::unique_ptr<PriorityPolicy>> MakePriorityPolicy(std::string_view name,
                                                           const MultifactorSettings& settings,
                                                           const PriorityCluster& cluster,
                                                           const ExternalFactorSource* source);

// "select/cons_tres" (also "select/cons_res" and the default for an empty name).
// Errors: kNotSupported.
Result<std::unique_ptr<SelectPolicy>> MakeSelectPolicy(std::string_view name,
                                                       const SelectDefaults& settings,
                                                       std::string_view params);

}  // namespace drover::sched
