// GresSpec: generic resources (GRES) as users request them and as nodes declare them.
//
// Requests (sbatch/srun/salloc --gres, and the gres part of --tres-per-node):
//   "gpu", "gpu:2", "gpu:nvidia_l40s:2", "gpu:tesla:1,mps:100", "gres/gpu:2"
// --gpus / --gpus-per-node / --gpus-per-task / --gpus-per-socket: "[type:]count", which
// Slurm reads as "gpu:" followed by the value.
// Node declarations (slurm.conf `Gres=`, scontrol show node `Gres=`):
//   "gpu:2", "gpu:nvidia_l40s:8", "gpu:tesla:2(S:0-1)", "bandwidth:lustre:no_consume:4G"
//
// Each item is name[:type][:count]; an item's last field is its count when it reads as
// one (digits with an optional K/M/G/T/P multiplier of 1024^n, as Slurm allows),
// otherwise the count is 1 and the field is the type ("gpu:tesla"). So a type that looks
// like a count ("2g") needs an explicit count ("gpu:2g:1").
//
// Printing is canonical: the count is always written, as a plain integer
// ("gpu" -> "gpu:1", "mps:1K" -> "mps:1024"); sockets as ranges ("(S:0-1)").
// As TRES: "gres/gpu:nvidia_l40s=2"; as TresPerNode: "gres/gpu:nvidia_l40s:2".
//
// Thread-safety: value types; pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "core/tres.h"

namespace drover {

struct GresSpec {
  std::string name;  // "gpu"
  std::string type;  // "nvidia_l40s"; "" when untyped
  uint64_t count = 1;
  // Node declarations only: the resource is not used up by jobs (bandwidth, ...).
  bool no_consume = false;
  // Node declarations only: sockets the devices are attached to, sorted and unique.
  std::vector<uint32_t> sockets;

  // "gpu:nvidia_l40s:2", "gpu:tesla:2(S:0-1)", "bandwidth:lustre:no_consume:4294967296".
  std::string ToString() const;
  // gres/gpu:nvidia_l40s
  TresKey ToTresKey() const { return TresKey::Gres(name, type); }
  // "gres/gpu:nvidia_l40s=2"
  std::string ToTresString() const;
  // "gres/gpu:nvidia_l40s:2" (scontrol TresPerNode=, TresPerTask=).
  std::string ToTresPerNode() const;

  friend bool operator==(const GresSpec&, const GresSpec&) = default;
};

// The largest socket index accepted in "(S:...)".
inline constexpr uint32_t kMaxGresSocket = 1023;

// --gres. Items separated by commas, each optionally prefixed "gres/" or "gres:".
// "none" (any case) is the empty list. no_consume and "(S:...)" are rejected here.
// Errors: kInvalidGres "Invalid GRES '<item>': <why>" for the first bad item; an item
// given twice (same name and type) is an error.
Result<std::vector<GresSpec>> ParseGresRequest(std::string_view text);

// --gpus and its per-node/-task/-socket forms: "2", "tesla:2", "a100:1,v100:2".
// Errors: as ParseGresRequest.
Result<std::vector<GresSpec>> ParseGpusOption(std::string_view text);

// slurm.conf Gres= for a node: also accepts no_consume and "(S:0-1)"; "" is no GRES.
// Errors: as ParseGresRequest.
Result<std::vector<GresSpec>> ParseNodeGres(std::string_view text);

// Comma-joined ToString() of each spec: "gpu:tesla:1,mps:100".
std::string FormatGresList(std::span<const GresSpec> gres);
// Comma-joined ToTresPerNode(): "gres/gpu:tesla:1,gres/mps:100".
std::string FormatGresTresPerNode(std::span<const GresSpec> gres);

// Adds each spec's count to gres/<name>, and also to gres/<name>:<type> when typed, the
// way Slurm accounts a typed request against both TRES.
void AddGresToTres(std::span<const GresSpec> gres, Tres* tres);

// The characters Slurm's names hold: a GRES name is a letter then letters, digits, '_'
// or '-', and not "gres" (taken by the "gres:" prefix); a type is one or more letters,
// digits, '_', '-' or '.' and not "no_consume".
bool IsValidGresName(std::string_view name);
bool IsValidGresType(std::string_view type);

}  // namespace drover
