// The settings of priority/multifactor, as slurm.conf's Priority* keys give them:
// the weights, PriorityMaxAge, PriorityFavorSmall, PriorityFlags and PriorityWeightTRES.
//
// The controller fills this from its parsed slurm.conf (sched cannot see src/config);
// the two parsers here read the two keys whose values are lists.
//
// Thread-safety: value types; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/result.h"
#include "core/tres.h"

namespace drover::sched {

// PriorityFlags bits. The fair-tree flags are accepted and have no effect until
// fair-share usage exists.
namespace priority_flag {
inline constexpr uint32_t kAccrueAlways = 1u << 0;         // age counts from submission
inline constexpr uint32_t kCalculateRunning = 1u << 1;     // running jobs are recomputed too
inline constexpr uint32_t kSmallRelativeToTime = 1u << 2;  // job size / time limit
inline constexpr uint32_t kNoNormalAssoc = 1u << 3;
inline constexpr uint32_t kNoNormalPart = 1u << 4;
inline constexpr uint32_t kNoNormalQos = 1u << 5;
inline constexpr uint32_t kNoNormalTres = 1u << 6;
inline constexpr uint32_t kIncrOnly = 1u << 7;  // a pending job's priority never drops
inline constexpr uint32_t kMaxTres = 1u << 8;
inline constexpr uint32_t kMaxTresGres = 1u << 9;
inline constexpr uint32_t kDepthOblivious = 1u << 10;
inline constexpr uint32_t kNoFairTree = 1u << 11;
inline constexpr uint32_t kNoNormalAll = kNoNormalAssoc | kNoNormalPart | kNoNormalQos | kNoNormalTres;
}  // namespace priority_flag

struct TresWeight {
  TresKey key;
  double weight = 0;
  friend bool operator==(const TresWeight&, const TresWeight&) = default;
};

struct MultifactorSettings {
  uint32_t weight_age = 0, weight_assoc = 0, weight_fair_share = 0;
  uint32_t weight_job_size = 0, weight_partition = 0, weight_qos = 0;
  std::vector<TresWeight> weight_tres;
  Duration max_age = Duration::FromSeconds(7 * 86400);
  bool favor_small = false;
  uint32_t flags = 0;  // priority_flag bits

  // No weight is set: the formula says nothing about order (see priority_multifactor.h).
  bool AllWeightsZero() const;
};

struct ParsedPriorityFlags {
  uint32_t flags = 0;
  std::vector<std::string> unknown;  // words that are not flags, for the caller to warn
};
// "ACCRUE_ALWAYS,SMALL_RELATIVE_TO_TIME", any case; "" is none. Never fails: a word that
// is not a flag is returned in `unknown` and ignored, as a warning is all it deserves.
ParsedPriorityFlags ParsePriorityFlags(std::string_view text);

// "CPU=1000,Mem=2000,GRES/gpu=3000": TRES names any case, weights non-negative decimals.
// "" is no weights. Errors: kConfigValue naming the item ("PriorityWeightTRES: 'CPU': ...").
Result<std::vector<TresWeight>> ParseTresWeights(std::string_view text);

}  // namespace drover::sched
