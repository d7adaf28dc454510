// How a node's and a partition's state read on screen: sinfo's long (%T "allocated",
// "draining", "idle*") and compact (%t "alloc", "drng", "down*") names, and scontrol's
// State=ALLOCATED+DRAIN. The suffix characters are Slurm's: '*' not responding, '~'
// powered down, '#' powering up, '%' powering down, '!' power down requested, '@' reboot
// requested, '^' reboot issued, '-' planned by backfill.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "drover/v1/cluster.pb.h"

namespace drover::cli::nodetext {

namespace v1 = ::drover::v1;

bool HasFlag(const v1::NodeInfo& node, v1::NodeStateFlag flag);
std::string StateLong(const v1::NodeInfo& node);      // sinfo %T
std::string StateCompact(const v1::NodeInfo& node);   // sinfo %t
std::string StateScontrol(const v1::NodeInfo& node);  // scontrol State=
// Counts the node as sinfo's A/I/O: 'A' allocated or mixed, 'I' idle, 'O' other.
char StateClass(const v1::NodeInfo& node);

std::string_view PartitionStateText(v1::PartitionState state);  // "UP"
// sinfo AVAIL: "up", "down", "drain", "inact".
std::string_view PartitionAvail(v1::PartitionState state);

}  // namespace drover::cli::nodetext
