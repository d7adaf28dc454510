// select/cons_tres: consumable CPUs (CR_CPU, or whole cores with CR_Core/CR_Socket) and,
// with CR_*_Memory, memory. The memory a job books per node: --mem, else --mem-per-cpu x
// CPUs, else the partition's then the cluster's DefMemPerCPU/DefMemPerNode, else (as in
// Slurm) all of the node's memory. OverSubscribe: NO never shares CPUs; YES shares them
// (up to the partition's count, default 4) with jobs that asked --oversubscribe; FORCE
// shares every job's; EXCLUSIVE and --exclusive allocate whole nodes.
//
// Thread-safety: immutable after construction.
#pragma once

#include <string_view>

#include "sched/policies.h"

namespace drover::sched {

class ConsTresSelect final : public SelectPolicy {
 public:
  // `params`: SelectTypeParameters, any case ("CR_Core_Memory").
  ConsTresSelect(std::string_view params, std::optional<uint64_t> def_mem_per_cpu_mb,
                 std::optional<uint64_t> def_mem_per_node_mb);
  std::string_view name() const override { return "select/cons_tres"; }
  const SelectDefaults& defaults() const override { return defaults_; }
  MatchRequest BuildRequest(const Job& job, const Partition& partition) const override;

 private:
  SelectDefaults defaults_;
};

}  // namespace drover::sched
