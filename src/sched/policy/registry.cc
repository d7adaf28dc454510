#include "sched/policy/registry.h"

#include <string>

#include "sched/policy/priority_basic.h"
#include "sched/policy/select_cons_tres.h"

namespace drover::sched {

Result<std::unique_ptr<PriorityPolicy>> MakePriorityPolicy(std::string_view name) {
  if (name.empty() || name == "priority/basic") {
    return std::unique_ptr<PriorityPolicy>(std::make_unique<BasicPriority>());
  }
  return Error(ErrorCode::kNotSupported, "PriorityType=" + std::string(name) + " not supported");
}

Result<std::unique_ptr<PriorityPolicy>> MakePriorityPolicy(std::string_view name,
                                                           const MultifactorSettings& settings,
                                                           const PriorityCluster& cluster,
                                                           const ExternalFactorSource* source) {
  if (name == "priority/multifactor") {
    return std::unique_ptr<PriorityPolicy>(
        std::make_unique<MultifactorPriority>(settings, cluster, source));
  }
  return MakePriorityPolicy(name);
}

Result<std::unique_ptr<SelectPolicy>> MakeSelectPolicy(std::string_view name,
                                                       const SelectDefaults& settings,
                                                       std::string_view params) {
  if (name.empty() || name == "select/cons_tres" || name == "select/cons_res") {
    return std::unique_ptr<SelectPolicy>(std::make_unique<ConsTresSelect>(
        params, settings.def_mem_per_cpu_mb, settings.def_mem_per_node_mb));
  }
  return Error(ErrorCode::kNotSupported, "SelectType=" + std::string(name) + " not supported");
}

}  // namespace drover::sched
