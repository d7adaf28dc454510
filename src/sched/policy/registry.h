// Policy registry: creates policies from Slurm's plugin names, as slurm.conf spells them
// (PriorityType=priority/basic, SelectType=select/cons_tres).
//
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string_view>

#include "base/result.h"
#include "sched/policies.h"

namespace drover::sched {

// "priority/basic" (also the default for an empty name). Errors: kNotSupported naming the
// plugin; priority/multifactor is not here yet.
Result<std::unique_ptr<PriorityPolicy>> MakePriorityPolicy(std::string_view name);

// "select/cons_tres" (also "select/cons_res" and the default for an empty name).
// Errors: kNotSupported.
Result<std::unique_ptr<SelectPolicy>> MakeSelectPolicy(std::string_view name,
                                                       const SelectDefaults& settings,
                                                       std::string_view params);

}  // namespace drover::sched
