#include "sched/timeline.h"

#include <algorithm>

namespace drover::sched {
namespace {

uint32_t ClampCpus(int64_t v, uint32_t cap) {
  return static_cast<uint32_t>(std::clamp<int64_t>(v, 0, cap));
}
uint64_t ClampMem(int64_t v, uint64_t cap) {
  return v <= 0 ? 0 : std::min<uint64_t>(static_cast<uint64_t>(v), cap);
}

}  // namespace

void Timeline::SetNode(uint32_t node, FreeAmount capacity, FreeAmount free_now) {
  if (node >= nodes_.size()) nodes_.resize(node + 1);
  NodeLine& line = nodes_[node];
  line.cap = capacity;
  line.cpus_now = free_now.cpus;
  line.mem_now = static_cast<int64_t>(free_now.mem_mb);
  line.changes.clear();
}

void Timeline::Add(NodeLine& line, Change c) {
  auto pos = std::upper_bound(line.changes.begin(), line.changes.end(), c.t,
                              [](int64_t t, const Change& x) { return t < x.t; });
  line.changes.insert(pos, c);
}

void Timeline::Release(uint32_t node, int64_t t, FreeAmount amount) {
  if (t == kForever || amount.cpus == 0 && amount.mem_mb == 0) return;
  Add(nodes_[node], {t, amount.cpus, static_cast<int64_t>(amount.mem_mb)});
}

void Timeline::Book(uint32_t node, int64_t start, int64_t end, FreeAmount amount) {
  NodeLine& line = nodes_[node];
  if (start <= 0) {
    line.cpus_now -= amount.cpus;
    line.mem_now -= static_cast<int64_t>(amount.mem_mb);
  } else {
    Add(line, {start, -static_cast<int64_t>(amount.cpus), -static_cast<int64_t>(amount.mem_mb)});
  }
  if (end != kForever) Add(line, {end, amount.cpus, static_cast<int64_t>(amount.mem_mb)});
}

FreeAmount Timeline::MinFree(uint32_t node, int64_t start, int64_t end) const {
  const NodeLine& line = nodes_[node];
  int64_t cpus = line.cpus_now, mem = line.mem_now;
  auto it = line.changes.begin();
  for (; it != line.changes.end() && it->t <= start; ++it) cpus += it->cpus, mem += it->mem;
  // Free amounts are tracked uncapped so that a release and a booking at the same time
  // cancel; the capacity caps only what is reported.
  int64_t min_cpus = cpus, min_mem = mem;
  for (; it != line.changes.end() && it->t < end; ++it) {
    cpus += it->cpus, mem += it->mem;
    // Changes at one instant apply together: only the state after the last counts.
    if (std::next(it) != line.changes.end() && std::next(it)->t == it->t) continue;
    min_cpus = std::min(min_cpus, cpus);
    min_mem = std::min(min_mem, mem);
  }
  return {ClampCpus(min_cpus, line.cap.cpus), ClampMem(min_mem, line.cap.mem_mb)};
}

}  // namespace drover::sched
