// Hostlist: Slurm's host list syntax held as ranges. See hostlist.h.
//
// Slurm behaviour kept on purpose (learned from Slurm's documentation and the output of
// `scontrol show hostlist`; no Slurm code is copied):
//  - Entries are separated by commas or whitespace (space, tab, newline; here also \r, \v
//    and \f) outside brackets. Empty entries ("a,,b", a leading or trailing comma, an
//    empty string) are skipped, as Slurm's hostlist_create skips them; the header's "an
//    empty entry" error is therefore not raised.
//  - Each range in a bracket has its own width, the digit count of its lower bound:
//    n[01-02,5] is n01,n02,n5; n[8-10] is n8,n9,n10; n[01-100] is n01..n99,n100.
//  - Several brackets in one entry are a cross product, the leftmost varying slowest:
//    rack[1-2]-n[01-02] is rack1-n01,rack1-n02,rack2-n01,rack2-n02.
//  - Compress and ToString print as `scontrol show hostlist` does: no sorting and no
//    de-duplication (h003,h002,h001 -> h[003,002,001]; tux2,tux1,tux2 -> tux[2,1-2]).
//    A name is a prefix and its trailing digits. A name joins the range before it only
//    when the prefixes match, its number is that range's high + 1 and it prints the same
//    at the range's width (n9,n10 -> n[9-10]; n01,n2 -> n[01,2]; n1,n02 -> n[1,02]).
//    Consecutive ranges with one prefix share a bracket; other prefixes and names without
//    trailing digits start a new piece (a1,b1,a2 -> a1,b1,a2; login,n1,n2 -> login,n[1-2]).
//    So Parse(Compress(names)).Expand() gives back `names` in their order, whatever it was.
//  - ToString() is Compress(Expand()) worked out from the ranges: it depends only on the
//    names, as Slurm's node lists (built from node names) do. So rack[1-2]-n[01-04] prints
//    rack1-n[01-04],rack2-n[01-04], n[1-2]-ib prints n1-ib,n2-ib and n1[0-2] prints
//    n[10-12] (scontrol, echoing a bracket it was given, may keep such a prefix as written).
// Deliberate departures from Slurm:
//  - No cap on one range's size (Slurm refuses ranges of more than its MAX_RANGE hosts):
//    counts are products checked for overflow, and nothing is expanded until asked.
//  - Numbers have at most 18 digits. A name whose trailing digit run is longer is a name
//    without a number; such a number inside brackets is an error.
//  - Whitespace inside brackets is an error rather than skipped.
//  - ToString keeps an entry's bracketed form when printing its names Slurm's way would
//    take the list past kMaxToStringBytes, so that absurd ranges cannot exhaust memory.
//    Entries before and after it still print Slurm's way.
#include "base/hostlist.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace drover {
namespace {

constexpr size_t kMaxDigits = 18;
constexpr uint64_t kMaxToStringBytes = uint64_t{8} << 20;

// lo..hi, each printed zero-padded to `width` digits.
struct Range {
  uint64_t lo = 0;
  uint64_t hi = 0;
  size_t width = 1;
};

// The ranges of one bracket, in order.
struct Group {
  std::vector<Range> ranges;
  std::vector<uint64_t> ends;  // ends[r]: the names in ranges[0..r]
  uint64_t count() const { return ends.back(); }
};

// literals[0] groups[0] literals[1] ... groups[n-1] literals[n]; count is the product of
// the groups' counts (1 without groups).
struct Entry {
  std::vector<std::string> literals;
  std::vector<Group> groups;
  uint64_t count = 1;
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsSeparator(char c) { return c == ',' || IsSpace(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t DigitCount(uint64_t v) {
  size_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

void AppendPadded(std::string& out, uint64_t v, size_t width) {
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  size_t digits = static_cast<size_t>(end - buf);
  if (digits < width) out.append(width - digits, '0');
  out.append(buf, end);
}

// The value of `s` when it is 1 to kMaxDigits decimal digits.
std::optional<uint64_t> ParseNumber(std::string_view s) {
  if (s.empty() || s.size() > kMaxDigits) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// True when the number whose digits are `digits` prints as exactly them at `width`.
bool PrintsAs(std::string_view digits, size_t width) {
  if (digits.size() != width) return digits.size() > width && digits[0] != '0';
  return true;
}

std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 64;
  std::string q = "\"";
  q += text.substr(0, kMaxShown);
  if (text.size() > kMaxShown) q += "...";
  q += '"';
  return q;
}

Error Invalid(std::string_view entry, std::string_view what) {
  return Error(ErrorCode::kInvalidHostlist,
               "invalid hostlist entry " + Quote(entry) + ": " + std::string(what));
}

Result<Range> ParseRange(std::string_view entry, std::string_view item) {
  if (item.empty()) return Invalid(entry, "empty range in brackets");
  size_t dash = item.find('-');
  std::string_view lo_text = item.substr(0, dash);
  std::string_view hi_text = dash == std::string_view::npos ? lo_text : item.substr(dash + 1);
  for (std::string_view part : {lo_text, hi_text}) {
    if (part.empty() || !std::all_of(part.begin(), part.end(), IsDigit)) {
      return Invalid(entry, "range " + Quote(item) + " is not numeric");
    }
    if (part.size() > kMaxDigits) {
      return Invalid(entry, "range " + Quote(item) + " has a number of more than 18 digits");
    }
  }
  Range range{*ParseNumber(lo_text), *ParseNumber(hi_text), lo_text.size()};
  if (range.lo > range.hi) return Invalid(entry, "range " + Quote(item) + " is reversed");
  return range;
}

Result<Group> ParseGroup(std::string_view entry, std::string_view body) {
  if (body.empty()) return Invalid(entry, "empty brackets");
  Group group;
  uint64_t total = 0;
  size_t start = 0;
  while (true) {
    size_t comma = body.find(',', start);
    ASSIGN_OR_RETURN(Range range, ParseRange(entry, body.substr(start, comma - start)));
    if (__builtin_add_overflow(total, range.hi - range.lo + 1, &total)) {
      return Invalid(entry, "too many names to count");
    }
    group.ranges.push_back(range);
    group.ends.push_back(total);
    if (comma == std::string_view::npos) return group;
    start = comma + 1;
  }
}

Result<Entry> ParseEntry(std::string_view token) {
  Entry entry;
  std::string literal;
  size_t i = 0;
  while (i < token.size()) {
    char c = token[i];
    if (c == ']') return Invalid(token, "unbalanced brackets");
    if (c != '[') {
      literal += c;
      ++i;
      continue;
    }
    size_t close = token.find_first_of("[]", i + 1);
    if (close == std::string_view::npos || token[close] == '[') {
      return Invalid(token, "unbalanced brackets");
    }
    ASSIGN_OR_RETURN(Group group, ParseGroup(token, token.substr(i + 1, close - i - 1)));
    if (__builtin_mul_overflow(entry.count, group.count(), &entry.count)) {
      return Invalid(token, "too many names to count");
    }
    entry.literals.push_back(std::move(literal));
    literal.clear();
    entry.groups.push_back(std::move(group));
    i = close + 1;
  }
  entry.literals.push_back(std::move(literal));
  return entry;
}

// Calls visit(text) for every choice of values of groups[0..k), in order, where text is
// literals[0] v0 literals[1] ... v(k-1) literals[k], until visit returns false; returns
// false when it did. With k == groups.size() the texts are the entry's names. An odometer
// rather than recursion, so that an entry with many brackets cannot exhaust the stack.
template <typename Visit>
bool ForEachPrefix(const Entry& e, size_t k, const Visit& visit) {
  std::vector<size_t> range_index(k, 0);
  std::vector<uint64_t> value(k);
  std::vector<size_t> start(k);  // where group g's number begins in text
  std::string text = e.literals[0];
  auto append_from = [&](size_t from) {
    for (size_t g = from; g < k; ++g) {
      start[g] = text.size();
      AppendPadded(text, value[g], e.groups[g].ranges[range_index[g]].width);
      text += e.literals[g + 1];
    }
  };
  for (size_t g = 0; g < k; ++g) value[g] = e.groups[g].ranges[0].lo;
  append_from(0);
  while (true) {
    if (!visit(std::as_const(text))) return false;
    size_t g = k;
    while (true) {  // advance the rightmost group that can move, resetting those after it
      if (g == 0) return true;
      --g;
      const std::vector<Range>& ranges = e.groups[g].ranges;
      if (value[g] < ranges[range_index[g]].hi) {
        ++value[g];
        break;
      }
      if (range_index[g] + 1 < ranges.size()) {
        value[g] = ranges[++range_index[g]].lo;
        break;
      }
      range_index[g] = 0;
      value[g] = ranges[0].lo;
    }
    text.resize(start[g]);
    append_from(g);
  }
}

std::string EntryNth(const Entry& e, uint64_t j) {
  std::vector<std::pair<uint64_t, size_t>> values(e.groups.size());  // value, width
  for (size_t g = e.groups.size(); g-- > 0;) {  // the last group varies fastest
    const Group& group = e.groups[g];
    uint64_t index = j % group.count();
    j /= group.count();
    size_t r = std::upper_bound(group.ends.begin(), group.ends.end(), index) - group.ends.begin();
    uint64_t before = r == 0 ? 0 : group.ends[r - 1];
    values[g] = {group.ranges[r].lo + (index - before), group.ranges[r].width};
  }
  std::string name = e.literals[0];
  for (size_t g = 0; g < values.size(); ++g) {
    AppendPadded(name, values[g].first, values[g].second);
    name += e.literals[g + 1];
  }
  return name;
}

bool GroupHolds(const Group& group, std::string_view digits) {
  std::optional<uint64_t> v = ParseNumber(digits);
  if (!v) return false;
  return std::any_of(group.ranges.begin(), group.ranges.end(), [&](const Range& r) {
    return r.lo <= *v && *v <= r.hi && PrintsAs(digits, r.width);
  });
}

// Walks the literals and groups left to right keeping every position of `name` the entry
// could have reached; a digit run may end anywhere, so this runs a small NFA. The set is
// kept sparse: a bracket with one name (n[1][2]...) reaches one position, and only the few
// brackets with several names (at most 64 before the count overflows) can widen it.
bool EntryHolds(const Entry& e, std::string_view name) {
  if (!name.starts_with(e.literals.front()) || !name.ends_with(e.literals.back())) return false;
  std::vector<size_t> reach = {0};
  std::vector<size_t> next;
  for (size_t g = 0; g < e.groups.size(); ++g) {
    next.clear();
    for (size_t pos : reach) {
      if (!name.substr(pos).starts_with(e.literals[g])) continue;
      size_t p = pos + e.literals[g].size();
      for (size_t len = 1; len <= kMaxDigits && p + len <= name.size(); ++len) {
        if (!IsDigit(name[p + len - 1])) break;
        if (GroupHolds(e.groups[g], name.substr(p, len))) next.push_back(p + len);
      }
    }
    if (next.empty()) return false;
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    reach.swap(next);
  }
  size_t tail = e.literals.back().size();
  return std::binary_search(reach.begin(), reach.end(), name.size() - tail);
}

uint64_t Pow10(size_t n) {
  uint64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// The pieces of a ranged string, joined and printed the way `scontrol show hostlist` does.
// Every Push spends from a budget of bytes and fails, pushing nothing, once it is spent.
class RangedWriter {
 public:
  void SetBudget(uint64_t bytes) { budget_ = bytes; }

  [[nodiscard]] bool PushName(std::string_view name) {
    size_t cut = name.size();
    while (cut > 0 && IsDigit(name[cut - 1])) --cut;
    std::optional<uint64_t> v = ParseNumber(name.substr(cut));
    if (!v) return PushVerbatim(name);
    return PushRange(name.substr(0, cut), Range{*v, *v, name.size() - cut});
  }

  // The names prefix + each number of r, pushed as PushName would push them one by one
  // but in at most 19 steps, unless a number of more than 18 digits makes them plain names.
  [[nodiscard]] bool PushNames(std::string_view prefix, const Range& r) {
    size_t cut = prefix.size();
    while (cut > 0 && IsDigit(prefix[cut - 1])) --cut;
    std::string_view head = prefix.substr(0, cut);
    std::string_view digits = prefix.substr(cut);  // they lead each name's number
    if (digits.empty()) return PushRange(head, r);
    for (uint64_t k = r.lo;;) {  // one piece per printed length of the numbers
      size_t length = std::max(r.width, DigitCount(k));
      uint64_t last = std::min(r.hi, Pow10(length) - 1);
      if (digits.size() + length <= kMaxDigits) {
        uint64_t base = *ParseNumber(digits) * Pow10(length);
        if (!PushRange(head, Range{base + k, base + last, digits.size() + length})) return false;
      } else {
        for (uint64_t v = k;; ++v) {
          std::string name(prefix);
          AppendPadded(name, v, r.width);
          if (!PushVerbatim(name)) return false;
          if (v == last) break;
        }
      }
      if (last == r.hi) return true;
      k = last + 1;
    }
  }

  // Text that is printed as it is and joins nothing.
  [[nodiscard]] bool PushVerbatim(std::string_view text) {
    if (!Spend(text.size())) return false;
    runs_.push_back(Run{std::string(text), false, {}});
    return true;
  }

  // REQUIRES: prefix does not end in a digit.
  [[nodiscard]] bool PushRange(std::string_view prefix, const Range& r) {
    if (!Spend(prefix.size())) return false;
    if (!runs_.empty()) {
      Run& tail = runs_.back();
      if (tail.numeric && tail.prefix == prefix && tail.range.hi + 1 == r.lo &&
          (tail.range.width == r.width ||
           DigitCount(r.lo) >= std::max(tail.range.width, r.width))) {
        tail.range.hi = r.hi;
        return true;
      }
    }
    runs_.push_back(Run{std::string(prefix), true, r});
    return true;
  }

  // Lets an entry that ran out of budget be taken back and pushed another way.
  struct Mark {
    size_t runs;
    uint64_t tail_hi;
    uint64_t budget;
  };
  Mark Save() const { return {runs_.size(), runs_.empty() ? 0 : runs_.back().range.hi, budget_}; }
  void Restore(const Mark& mark) {
    runs_.resize(mark.runs);
    if (!runs_.empty()) runs_.back().range.hi = mark.tail_hi;
    budget_ = mark.budget;
  }

  // Text printed as it is, outside the budget: for what the budget could not afford.
  void PushUncounted(std::string text) { runs_.push_back(Run{std::move(text), false, {}}); }

  std::string Finish() const {
    std::string out;
    for (size_t i = 0; i < runs_.size();) {
      if (i > 0) out += ',';
      const Run& first = runs_[i];
      out += first.prefix;
      if (!first.numeric) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < runs_.size() && runs_[j].numeric && runs_[j].prefix == first.prefix) ++j;
      bool bracket = j - i > 1 || first.range.lo != first.range.hi;
      if (bracket) out += '[';
      for (size_t k = i; k < j; ++k) {
        if (k > i) out += ',';
        AppendRange(out, runs_[k].range);
      }
      if (bracket) out += ']';
      i = j;
    }
    return out;
  }

  static void AppendRange(std::string& out, const Range& r) {
    AppendPadded(out, r.lo, r.width);
    if (r.hi == r.lo) return;
    out += '-';
    AppendPadded(out, r.hi, r.width);
  }

 private:
  struct Run {
    std::string prefix;  // or the whole text when !numeric
    bool numeric;
    Range range;
  };

  // Charges a push for the text it may keep and a little for the run itself.
  bool Spend(size_t bytes) {
    uint64_t cost = bytes + sizeof(Run);
    if (budget_ < cost) return false;
    budget_ -= cost;
    return true;
  }

  std::vector<Run> runs_;
  uint64_t budget_ = UINT64_MAX;
};

std::string BracketedForm(const Entry& e) {
  std::string out = e.literals[0];
  for (size_t g = 0; g < e.groups.size(); ++g) {
    out += '[';
    for (size_t r = 0; r < e.groups[g].ranges.size(); ++r) {
      if (r > 0) out += ',';
      RangedWriter::AppendRange(out, e.groups[g].ranges[r]);
    }
    out += ']';
    out += e.literals[g + 1];
  }
  return out;
}

// Pushes the entry's names as Compress would or, when the writer's budget runs out on the
// way, takes them back and pushes the entry as written.
void PushEntry(const Entry& e, RangedWriter& writer) {
  RangedWriter::Mark mark = writer.Save();
  size_t n = e.groups.size();
  bool pushed;
  if (n == 0) {
    pushed = writer.PushName(e.literals[0]);
  } else if (!e.literals.back().empty()) {  // text after the last bracket: name by name
    pushed = ForEachPrefix(e, n, [&](const std::string& name) { return writer.PushName(name); });
  } else {
    pushed = ForEachPrefix(e, n - 1, [&](const std::string& prefix) {
      for (const Range& r : e.groups.back().ranges) {
        if (!writer.PushNames(prefix, r)) return false;
      }
      return true;
    });
  }
  if (!pushed) {
    writer.Restore(mark);
    writer.PushUncounted(BracketedForm(e));
  }
}

}  // namespace

struct Hostlist::Rep {
  std::vector<Entry> entries;
  std::vector<uint64_t> ends;  // ends[k]: the names in entries[0..k]

  uint64_t size() const { return ends.empty() ? 0 : ends.back(); }

  // A moved-from Hostlist has no Rep and reads as empty.
  static const Rep& Of(const std::unique_ptr<Rep>& rep) {
    static const Rep kEmpty;
    return rep ? *rep : kEmpty;
  }
};

Hostlist::Hostlist() : rep_(std::make_unique<Rep>()) {}
Hostlist::~Hostlist() = default;
Hostlist::Hostlist(const Hostlist& other) : rep_(std::make_unique<Rep>(Rep::Of(other.rep_))) {}
Hostlist& Hostlist::operator=(const Hostlist& other) {
  if (this != &other) rep_ = std::make_unique<Rep>(Rep::Of(other.rep_));
  return *this;
}
Hostlist::Hostlist(Hostlist&&) noexcept = default;
Hostlist& Hostlist::operator=(Hostlist&&) noexcept = default;

Result<Hostlist> Hostlist::Parse(std::string_view text) {
  Hostlist hostlist;
  Rep& rep = *hostlist.rep_;
  uint64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (IsSeparator(text[i])) {
      ++i;
      continue;
    }
    // Commas inside brackets belong to the bracket; ParseEntry finds unbalanced ones.
    size_t start = i;
    bool in_bracket = false;
    for (; i < text.size() && (in_bracket || !IsSeparator(text[i])); ++i) {
      if (text[i] == '[') in_bracket = true;
      if (text[i] == ']') in_bracket = false;
    }
    std::string_view token = text.substr(start, i - start);
    ASSIGN_OR_RETURN(Entry entry, ParseEntry(token));
    if (__builtin_add_overflow(total, entry.count, &total)) {
      return Invalid(token, "too many names to count");
    }
    rep.entries.push_back(std::move(entry));
    rep.ends.push_back(total);
  }
  return hostlist;
}

uint64_t Hostlist::size() const { return Rep::Of(rep_).size(); }

Result<std::vector<std::string>> Hostlist::Expand(uint64_t limit) const {
  const Rep& rep = Rep::Of(rep_);
  if (rep.size() > limit) {
    return Error(ErrorCode::kInvalidHostlist, "hostlist of " + std::to_string(rep.size()) +
                                                  " names is over the limit of " +
                                                  std::to_string(limit));
  }
  std::vector<std::string> names;
  names.reserve(rep.size());
  for (const Entry& e : rep.entries) {
    ForEachPrefix(e, e.groups.size(), [&](const std::string& name) {
      names.push_back(name);
      return true;
    });
  }
  return names;
}

std::string Hostlist::Nth(uint64_t i) const {
  const Rep& rep = Rep::Of(rep_);
  DROVER_CHECK(i < rep.size());
  size_t k = std::upper_bound(rep.ends.begin(), rep.ends.end(), i) - rep.ends.begin();
  return EntryNth(rep.entries[k], i - (k == 0 ? 0 : rep.ends[k - 1]));
}

bool Hostlist::Contains(std::string_view name) const {
  const Rep& rep = Rep::Of(rep_);
  return std::any_of(rep.entries.begin(), rep.entries.end(),
                     [&](const Entry& e) { return EntryHolds(e, name); });
}

std::string Hostlist::ToString() const {
  RangedWriter writer;
  writer.SetBudget(kMaxToStringBytes);
  for (const Entry& e : Rep::Of(rep_).entries) PushEntry(e, writer);
  return writer.Finish();
}

// REQUIRES (unchecked, as in Slurm): names are non-empty and hold no ',', '[', ']' or
// whitespace; otherwise the output does not parse back to them.
std::string Hostlist::Compress(std::span<const std::string> names) {
  RangedWriter writer;
  for (const std::string& name : names) (void)writer.PushName(name);
  return writer.Finish();
}

}  // namespace drover
