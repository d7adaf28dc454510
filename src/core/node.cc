#include "core/node.h"

#include <algorithm>
#include <cctype>

#include "base/strings.h"

namespace drover {
namespace {

std::string_view BaseName(const Node& n) {
  switch (n.base) {
    case NodeBaseState::kUnknown:
      return "UNKNOWN";
    case NodeBaseState::kDown:
      return "DOWN";
    case NodeBaseState::kFuture:
      return "FUTURE";
    case NodeBaseState::kIdle:
      break;
  }
  if (n.alloc_cpus == 0 && n.running_jobs == 0) return "IDLE";
  // Only completing jobs left: the node shows IDLE with the COMPLETING flag.
  if (n.completing_jobs > 0 && n.active_jobs() == 0) return "IDLE";
  return n.alloc_cpus >= n.res.cpus ? "ALLOCATED" : "MIXED";
}

}  // namespace

std::string NodeStateLong(const Node& node) {
  std::string s(BaseName(node));
  if (node.completing_jobs > 0) s += "+COMPLETING";
  if (node.drain) s += "+DRAIN";
  if (node.not_responding) s += "+NOT_RESPONDING";
  return s;
}

std::string NodeStateSinfo(const Node& node) {
  std::string s;
  std::string_view base = BaseName(node);
  const bool completing = node.completing_jobs > 0;
  if (node.drain && node.base != NodeBaseState::kDown) {
    s = ((base == "IDLE" || base == "UNKNOWN") && !completing) ? "drained" : "draining";
  } else if (completing && node.base != NodeBaseState::kDown) {
    s = "completing";
  } else {
    s = AsciiLower(base);
  }
  if (node.not_responding) s += "*";
  return s;
}

Result<NodeStateUpdate> ParseNodeStateUpdate(std::string_view text) {
  std::string t = AsciiLower(text);
  if (t == "drain") return NodeStateUpdate::kDrain;
  if (t == "resume") return NodeStateUpdate::kResume;
  if (t == "down") return NodeStateUpdate::kDown;
  if (t == "idle") return NodeStateUpdate::kIdle;
  if (t == "undrain") return NodeStateUpdate::kUndrain;
  return Error(ErrorCode::kInvalidNodeState, "Invalid node state specified: " + std::string(text));
}

}  // namespace drover
