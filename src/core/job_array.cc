#include "core/job_array.h"

#include <algorithm>
#include <set>

namespace drover {

ArrayTaskSet ArrayTaskSet::FromNormalized(std::vector<ArrayRange> ranges) {
  ArrayTaskSet s;
  s.ranges_ = std::move(ranges);
  return s;
}

Result<ArrayTaskSet> ArrayTaskSet::FromRanges(std::vector<ArrayRange> ranges, uint64_t max_count) {
  uint64_t total = 0;
  for (ArrayRange& r : ranges) {
    if (r.step == 0) r.step = 1;
    if (r.last < r.first) return Error(ErrorCode::kInvalidArray);
    r.last = r.first + (r.last - r.first) / r.step * r.step;
    if (r.count() == 1) r.step = 1;
    total += r.count();
  }
  if (ranges.empty() || (max_count != 0 && total > max_count)) {
    return Error(ErrorCode::kInvalidArray);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const ArrayRange& a, const ArrayRange& b) { return a.first < b.first; });
  bool overlap = false;
  for (size_t i = 1; i < ranges.size(); ++i) overlap |= ranges[i].first <= ranges[i - 1].last;
  ArrayTaskSet s;
  if (!overlap) {
    s.ranges_ = std::move(ranges);
    return s;
  }
  // Interleaved ranges (1-9:2,2-10:2) are rare: spell the ids out once, bounded above.
  if (total > 4'000'001) return Error(ErrorCode::kInvalidArray);
  std::set<uint32_t> ids;
  for (const ArrayRange& r : ranges)
    for (uint64_t v = r.first; v <= r.last; v += r.step) ids.insert(static_cast<uint32_t>(v));
  for (uint32_t id : ids) {
    if (!s.ranges_.empty() && s.ranges_.back().step == 1 && s.ranges_.back().last + 1 == id) {
      s.ranges_.back().last = id;
    } else {
      s.ranges_.push_back({id, id, 1});
    }
  }
  return s;
}

uint64_t ArrayTaskSet::count() const {
  uint64_t n = 0;
  for (const ArrayRange& r : ranges_) n += r.count();
  return n;
}

uint32_t ArrayTaskSet::step() const {
  uint64_t gap = 0;
  auto agree = [&gap](uint64_t g) {
    if (gap == 0) gap = g;
    return gap == g;
  };
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (ranges_[i].count() > 1 && !agree(ranges_[i].step)) return 1;
    if (i > 0 && !agree(ranges_[i].first - ranges_[i - 1].last)) return 1;
  }
  return gap == 0 ? 1 : static_cast<uint32_t>(gap);
}

bool ArrayTaskSet::Contains(uint32_t id) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), id,
                             [](uint32_t v, const ArrayRange& r) { return v < r.first; });
  if (it == ranges_.begin()) return false;
  --it;
  return id <= it->last && (id - it->first) % it->step == 0;
}

uint32_t ArrayTaskSet::PopFront() {
  ArrayRange& r = ranges_.front();
  uint32_t id = r.first;
  if (r.first == r.last) {
    ranges_.erase(ranges_.begin());
  } else {
    r.first += r.step;
  }
  return id;
}

uint64_t ArrayTaskSet::Remove(uint32_t first, uint32_t last) {
  if (last < first) return 0;
  std::vector<ArrayRange> out;
  out.reserve(ranges_.size() + 1);
  uint64_t removed = 0;
  for (const ArrayRange& r : ranges_) {
    if (r.last < first || r.first > last) {
      out.push_back(r);
      continue;
    }
    uint64_t kept = 0;
    if (r.first < first) {
      ArrayRange left{r.first, r.first + (first - 1 - r.first) / r.step * r.step, r.step};
      kept += left.count();
      out.push_back(left);
    }
    if (r.last > last) {
      uint64_t k = (uint64_t{last} + 1 - r.first + r.step - 1) / r.step;  // first id > last
      ArrayRange right{static_cast<uint32_t>(r.first + k * r.step), r.last, r.step};
      kept += right.count();
      out.push_back(right);
    }
    removed += r.count() - kept;
  }
  for (ArrayRange& r : out)
    if (r.first == r.last) r.step = 1;
  ranges_ = std::move(out);
  return removed;
}

std::vector<std::pair<uint32_t, uint32_t>> ArrayTaskSet::Runs(size_t limit) const {
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  for (const ArrayRange& r : ranges_) {
    auto add = [&runs](uint32_t a, uint32_t b) {
      if (!runs.empty() && uint64_t{runs.back().second} + 1 == a) {
        runs.back().second = b;
      } else {
        runs.emplace_back(a, b);
      }
    };
    if (r.step == 1) {
      add(r.first, r.last);
    } else {
      for (uint64_t v = r.first; v <= r.last; v += r.step) {
        if (limit != 0 && runs.size() >= limit) return runs;
        add(static_cast<uint32_t>(v), static_cast<uint32_t>(v));
      }
    }
    if (limit != 0 && runs.size() >= limit) return runs;
  }
  return runs;
}

}  // namespace drover
