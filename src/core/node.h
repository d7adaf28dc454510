// Node: the controller's record of one compute node: what it has (from slurm.conf or its
// registration), its state as Slurm models it, and what is allocated on it.
//
// Slurm keeps a base state plus flags and derives what it prints: a node holding jobs is
// ALLOCATED (every CPU) or MIXED (some); DRAIN prints DRAINING while jobs remain and
// DRAINED once idle; NOT_RESPONDING adds '*' in sinfo; COMPLETING is set while jobs that
// ended wait for the node to confirm their processes are gone (a node whose only jobs are
// completing is IDLE+COMPLETING, "comp" in sinfo). Drover stores the same pieces and
// derives the names the same way.
//
// Owner: the controller's engine; published records are immutable (copy on change).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"

namespace drover {

// What the node has to give.
struct NodeResources {
  uint32_t cpus = 1;
  uint32_t sockets = 1;
  uint32_t cores_per_socket = 1;
  uint32_t threads_per_core = 1;
  uint64_t real_memory_mb = 1;
  std::vector<std::string> features;
  uint32_t weight = 1;
};

// The stored base state; ALLOCATED and MIXED are derived from the allocation.
enum class NodeBaseState : uint8_t { kUnknown, kIdle, kDown, kFuture };

// Why a node is DOWN, which decides what ReturnToService lets a registration undo.
enum class DownCause : uint8_t { kNone, kNotResponding, kAdmin, kOther };

struct Node {
  std::string name;
  std::string addr;
  uint16_t port = 0;
  NodeResources res;

  NodeBaseState base = NodeBaseState::kUnknown;
  bool drain = false;           // DRAIN flag (admin or automatic)
  bool not_responding = false;  // NOT_RESPONDING flag: no heartbeat within SlurmdTimeout
  DownCause down_cause = DownCause::kNone;
  std::string reason;  // Reason=
  uint32_t reason_uid = 0;
  TimePoint reason_time{};

  uint32_t alloc_cpus = 0;
  uint64_t alloc_mem_mb = 0;
  uint32_t running_jobs = 0;     // jobs booked here, COMPLETING ones included
  uint32_t completing_jobs = 0;  // of those, the ones waiting for this node's confirmation
  TimePoint last_heartbeat{};
  TimePoint boot_time{};

  // Jobs may be placed here: not DOWN, not DRAIN, not FUTURE, responding, registered.
  bool Schedulable() const { return base == NodeBaseState::kIdle && !drain && !not_responding; }
  // Jobs booked here that still run (not completing).
  uint32_t active_jobs() const {
    return running_jobs > completing_jobs ? running_jobs - completing_jobs : 0;
  }
};

// scontrol's State= ("IDLE", "MIXED", "ALLOCATED+DRAIN", "DOWN+NOT_RESPONDING",
// "IDLE+COMPLETING"), base first then flags in alphabetical order, as Slurm 22.05+ prints it.
std::string NodeStateLong(const Node& node);
// sinfo's %T: "idle", "mixed", "allocated", "completing", "down*", "drained", "draining",
// "unknown*".
std::string NodeStateSinfo(const Node& node);

// scontrol update NodeName= State=: the values Drover takes.
enum class NodeStateUpdate : uint8_t { kDrain, kResume, kDown, kIdle, kUndrain };
// Any case. Errors: kInvalidNodeState.
Result<NodeStateUpdate> ParseNodeStateUpdate(std::string_view text);

}  // namespace drover
