// The policy interfaces the scheduling pass asks. Implementations live in sched/policy
// and are created by Slurm's plugin names (policy/registry.h).
//
// Policies are pure: they get `now` and read-only views, and return values; they never
// read a clock, lock, or do I/O. Thread-safety: const methods; one owner.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/clock.h"
#include "core/job.h"
#include "core/partition.h"
#include "sched/matcher.h"

namespace drover::sched {

// priority/*: a pending job's priority (higher runs first; ties go to submit order).
class PriorityPolicy {
 public:
  virtual ~PriorityPolicy() = default;
  virtual std::string_view name() const = 0;
  // REQUIRES: job.spec is set. Never 0 (0 means held).
  virtual uint32_t Priority(const Job& job, const Partition* partition, TimePoint now) const = 0;
};

// Cluster-wide selection settings read from slurm.conf.
struct SelectDefaults {
  bool whole_cores = false;   // CR_Core / CR_Socket
  bool track_memory = false;  // CR_*_Memory
  std::optional<uint64_t> def_mem_per_cpu_mb, def_mem_per_node_mb;
};

// select/*: turns a job and a partition into the resource request the matcher plans.
class SelectPolicy {
 public:
  virtual ~SelectPolicy() = default;
  virtual std::string_view name() const = 0;
  virtual const SelectDefaults& defaults() const = 0;
  // The request for `job` in `partition`, without required/excluded nodes (the caller
  // resolves names to indexes).
  virtual MatchRequest BuildRequest(const Job& job, const Partition& partition) const = 0;
};

}  // namespace drover::sched
