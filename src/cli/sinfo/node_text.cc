#include "cli/sinfo/node_text.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace drover::cli::nodetext {
namespace {

std::string_view BaseUpper(v1::NodeState s) {
  switch (s) {
    case v1::NODE_STATE_IDLE:
      return "IDLE";
    case v1::NODE_STATE_ALLOCATED:
      return "ALLOCATED";
    case v1::NODE_STATE_MIXED:
      return "MIXED";
    case v1::NODE_STATE_DOWN:
      return "DOWN";
    case v1::NODE_STATE_ERROR:
      return "ERROR";
    case v1::NODE_STATE_FUTURE:
      return "FUTURE";
    default:
      return "UNKNOWN";
  }
}

bool Busy(const v1::NodeInfo& n) {
  return n.state() == v1::NODE_STATE_ALLOCATED || n.state() == v1::NODE_STATE_MIXED ||
         HasFlag(n, v1::NODE_STATE_FLAG_COMPLETING);
}

std::string Suffix(const v1::NodeInfo& n) {
  if (HasFlag(n, v1::NODE_STATE_FLAG_NOT_RESPONDING)) return "*";
  if (HasFlag(n, v1::NODE_STATE_FLAG_REBOOT_ISSUED)) return "^";
  if (HasFlag(n, v1::NODE_STATE_FLAG_REBOOT_REQUESTED)) return "@";
  if (HasFlag(n, v1::NODE_STATE_FLAG_POWERING_UP)) return "#";
  if (HasFlag(n, v1::NODE_STATE_FLAG_POWERING_DOWN)) return "%";
  if (HasFlag(n, v1::NODE_STATE_FLAG_POWERED_DOWN)) return "~";
  if (HasFlag(n, v1::NODE_STATE_FLAG_POWER_DOWN)) return "!";
  if (HasFlag(n, v1::NODE_STATE_FLAG_PLANNED)) return "-";
  return "";
}

// The upper-case long name without suffix, as Slurm's node_state_string() picks it.
std::string_view LongUpper(const v1::NodeInfo& n) {
  if (HasFlag(n, v1::NODE_STATE_FLAG_INVALID_REG)) return "INVAL";
  if (HasFlag(n, v1::NODE_STATE_FLAG_MAINT)) return "MAINT";
  if (HasFlag(n, v1::NODE_STATE_FLAG_DRAIN)) {
    if (Busy(n)) return "DRAINING";
    return "DRAINED";
  }
  if (HasFlag(n, v1::NODE_STATE_FLAG_FAIL)) return Busy(n) ? "FAILING" : "FAIL";
  if (n.state() == v1::NODE_STATE_DOWN) return "DOWN";
  if (HasFlag(n, v1::NODE_STATE_FLAG_COMPLETING)) return "COMPLETING";
  if (HasFlag(n, v1::NODE_STATE_FLAG_RESERVED) && n.state() == v1::NODE_STATE_IDLE) {
    return "RESERVED";
  }
  if (HasFlag(n, v1::NODE_STATE_FLAG_PLANNED) && n.state() == v1::NODE_STATE_IDLE) {
    return "PLANNED";
  }
  return BaseUpper(n.state());
}

}  // namespace

bool HasFlag(const v1::NodeInfo& node, v1::NodeStateFlag flag) {
  for (int f : node.state_flags()) {
    if (f == flag) return true;
  }
  return false;
}

std::string StateLong(const v1::NodeInfo& node) {
  return AsciiLower(LongUpper(node)) + Suffix(node);
}

std::string StateCompact(const v1::NodeInfo& node) {
  std::string_view l = LongUpper(node);
  std::string_view c;
  if (l == "ALLOCATED")
    c = "alloc";
  else if (l == "MIXED")
    c = "mix";
  else if (l == "DRAINING")
    c = "drng";
  else if (l == "DRAINED")
    c = "drain";
  else if (l == "FAILING")
    c = "failg";
  else if (l == "COMPLETING")
    c = "comp";
  else if (l == "RESERVED")
    c = "resv";
  else if (l == "PLANNED")
    c = "plnd";
  else if (l == "UNKNOWN")
    c = "unk";
  else if (l == "FUTURE")
    c = "futr";
  else if (l == "ERROR")
    c = "err";
  else
    c = l;
  return AsciiLower(c) + Suffix(node);
}

std::string StateScontrol(const v1::NodeInfo& node) {
  std::string out(BaseUpper(node.state()));
  // Slurm's node_state_string_complete(): flags in alphabetical order after the base.
  struct Name {
    v1::NodeStateFlag flag;
    std::string_view text;
  };
  static constexpr Name kNames[] = {
      {v1::NODE_STATE_FLAG_CLOUD, "CLOUD"},
      {v1::NODE_STATE_FLAG_COMPLETING, "COMPLETING"},
      {v1::NODE_STATE_FLAG_DRAIN, "DRAIN"},
      {v1::NODE_STATE_FLAG_DYNAMIC, "DYNAMIC_NORM"},
      {v1::NODE_STATE_FLAG_FAIL, "FAIL"},
      {v1::NODE_STATE_FLAG_INVALID_REG, "INVALID_REG"},
      {v1::NODE_STATE_FLAG_MAINT, "MAINTENANCE"},
      {v1::NODE_STATE_FLAG_NOT_RESPONDING, "NOT_RESPONDING"},
      {v1::NODE_STATE_FLAG_PLANNED, "PLANNED"},
      {v1::NODE_STATE_FLAG_POWER_DOWN, "POWER_DOWN"},
      {v1::NODE_STATE_FLAG_POWERED_DOWN, "POWERED_DOWN"},
      {v1::NODE_STATE_FLAG_POWERING_DOWN, "POWERING_DOWN"},
      {v1::NODE_STATE_FLAG_POWERING_UP, "POWERING_UP"},
      {v1::NODE_STATE_FLAG_REBOOT_ISSUED, "REBOOT_ISSUED"},
      {v1::NODE_STATE_FLAG_REBOOT_REQUESTED, "REBOOT_REQUESTED"},
      {v1::NODE_STATE_FLAG_RESERVED, "RESERVED"},
  };
  for (const Name& n : kNames) {
    if (HasFlag(node, n.flag)) out += "+" + std::string(n.text);
  }
  return out;
}

char StateClass(const v1::NodeInfo& node) {
  if (HasFlag(node, v1::NODE_STATE_FLAG_DRAIN) || HasFlag(node, v1::NODE_STATE_FLAG_FAIL) ||
      HasFlag(node, v1::NODE_STATE_FLAG_NOT_RESPONDING) || node.state() == v1::NODE_STATE_DOWN ||
      node.state() == v1::NODE_STATE_ERROR || node.state() == v1::NODE_STATE_UNKNOWN ||
      node.state() == v1::NODE_STATE_FUTURE) {
    return 'O';
  }
  if (node.state() == v1::NODE_STATE_ALLOCATED || node.state() == v1::NODE_STATE_MIXED ||
      HasFlag(node, v1::NODE_STATE_FLAG_COMPLETING)) {
    return 'A';
  }
  return 'I';
}

std::string_view PartitionStateText(v1::PartitionState state) {
  switch (state) {
    case v1::PARTITION_STATE_DOWN:
      return "DOWN";
    case v1::PARTITION_STATE_DRAIN:
      return "DRAIN";
    case v1::PARTITION_STATE_INACTIVE:
      return "INACTIVE";
    default:
      return "UP";
  }
}

std::string_view PartitionAvail(v1::PartitionState state) {
  switch (state) {
    case v1::PARTITION_STATE_DOWN:
      return "down";
    case v1::PARTITION_STATE_DRAIN:
      return "drain";
    case v1::PARTITION_STATE_INACTIVE:
      return "inact";
    default:
      return "up";
  }
}

}  // namespace drover::cli::nodetext
