// Hostlist: a set of host names written the way Slurm writes them.
//
//   server[2-5]           compute-[0-5]         n[1,3,5-7]
//   rack[1-2]-n[01-04]    (a cross product, zero padding kept)
//   a1,b[1-2],c           (several entries separated by top-level commas)
//
// A Hostlist keeps the ranges, not the names: size() counts a million-host range without
// allocating a million strings; Expand() materialises the names when they are wanted.
// Compress() is the inverse: names in, the shortest ranged string out, as
// `scontrol show hostlist` prints it.
//
// Thread-safety: an immutable value type once built.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover {

class Hostlist {
 public:
  // The most names Expand() will produce before it returns an error.
  static constexpr uint64_t kDefaultExpandLimit = 1'000'000;

  Hostlist();
  ~Hostlist();
  Hostlist(const Hostlist&);
  Hostlist& operator=(const Hostlist&);
  Hostlist(Hostlist&&) noexcept;
  Hostlist& operator=(Hostlist&&) noexcept;

  // Parses Slurm's syntax; commas and whitespace separate entries outside brackets, and
  // empty entries ("a,,b") are skipped as Slurm skips them. Errors (kInvalidHostlist) name
  // the offending text: unbalanced brackets, a reversed range (n[5-1]), a non-numeric or
  // empty range, a count past 2^64.
  static Result<Hostlist> Parse(std::string_view text);

  // The number of names, with duplicates counted as often as they appear; never expands.
  uint64_t size() const;
  bool empty() const { return size() == 0; }

  // Every name in order of appearance. Errors when there are more than `limit`.
  Result<std::vector<std::string>> Expand(uint64_t limit = kDefaultExpandLimit) const;

  // The i-th name (0-based) without expanding the rest. REQUIRES: i < size().
  std::string Nth(uint64_t i) const;

  // True when `name` is one of the names; without expanding.
  bool Contains(std::string_view name) const;

  // The ranged form of the names, in their order (`scontrol show hostlist`).
  std::string ToString() const;

  // Names in, ranged string out: "node1,node2,node3,node5" -> "node[1-3,5]".
  static std::string Compress(std::span<const std::string> names);

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace drover
