// ArrayTaskSet: the task ids of a job array (sbatch --array=0-15:4,20), as sorted,
// disjoint stepped ranges. `0-99999` is one range, so a pending array of 100,000 tasks
// costs a few bytes in its one job record, as in Slurm (which keeps a bitmap).
//
// The pending part of an array (the tasks not started yet) is one ArrayTaskSet in the
// array's master record; the scheduler takes tasks from the front (PopFront).
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/result.h"

namespace drover {

struct ArrayRange {
  uint32_t first = 0;
  uint32_t last = 0;  // >= first, first + k * step
  uint32_t step = 1;  // >= 1

  uint64_t count() const { return (last - first) / step + 1; }
  friend bool operator==(const ArrayRange&, const ArrayRange&) = default;
};

class ArrayTaskSet {
 public:
  ArrayTaskSet() = default;
  // Normalizes ranges as users write them (any order, overlapping, step 0 meaning 1).
  // Errors: kInvalidArray when a range ends before it starts, or more than `max_count`
  // ids are named (0: no bound).
  static Result<ArrayTaskSet> FromRanges(std::vector<ArrayRange> ranges, uint64_t max_count = 0);
  // Trusts `ranges` to be normalized already (decoding what Encode wrote).
  static ArrayTaskSet FromNormalized(std::vector<ArrayRange> ranges);

  bool empty() const { return ranges_.empty(); }
  uint64_t count() const;
  uint32_t min() const { return ranges_.front().first; }  // REQUIRES: !empty()
  uint32_t max() const { return ranges_.back().last; }    // REQUIRES: !empty()
  // The common distance between consecutive ids (SLURM_ARRAY_TASK_STEP); 1 when they are
  // not evenly spaced or there is only one.
  uint32_t step() const;
  bool Contains(uint32_t id) const;
  // Removes and returns the lowest id. REQUIRES: !empty().
  uint32_t PopFront();
  // Removes the ids in [first, last]; returns how many there were.
  uint64_t Remove(uint32_t first, uint32_t last);
  // Consecutive runs [first, last] of ids, in order (a stepped range gives one run per id),
  // at most `limit` of them (0: all).
  std::vector<std::pair<uint32_t, uint32_t>> Runs(size_t limit = 0) const;
  const std::vector<ArrayRange>& ranges() const { return ranges_; }

  friend bool operator==(const ArrayTaskSet&, const ArrayTaskSet&) = default;

 private:
  std::vector<ArrayRange> ranges_;  // sorted by first, disjoint spans
};

}  // namespace drover
