#include "core/tres.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "base/memory.h"
#include "base/strings.h"
#include "core/gres.h"

namespace drover {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

struct TypeInfo {
  std::string_view type;
  bool named;
  int rank;  // Slurm's TRES id order; the dynamic types after the fixed ones
};

// fs/disk is fixed TRES id 6; any other fs/<name> is dynamic (kRankOtherFs).
constexpr int kRankFsDisk = 5;
constexpr int kRankOtherFs = 12;
constexpr TypeInfo kTypes[] = {
    {"cpu", false, 0},     {"mem", false, 1},         {"energy", false, 2}, {"node", false, 3},
    {"billing", false, 4}, {"fs", true, kRankFsDisk}, {"vmem", false, 6},   {"pages", false, 7},
    {"gres", true, 8},     {"license", true, 9},      {"bb", true, 10},     {"ic", true, 11},
};

const TypeInfo* FindType(std::string_view type) {
  for (const TypeInfo& t : kTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

int RankOf(const TresKey& key) {
  const TypeInfo* info = FindType(key.type);
  if (info == nullptr) return 100;  // unreachable for parsed keys; sorts last
  if (key.type == "fs" && key.name != "disk") return kRankOtherFs;
  return info->rank;
}

Error Invalid(std::string_view item, std::string_view why) {
  return Error(ErrorCode::kInvalidTres, fmt::format("Invalid TRES '{}': {}", item, why));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// license/, bb/, ic/, fs/ names: "foo", "fluent@db", "datawarp", "disk".
bool IsValidPlainName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '-' ||
           c == '.' || c == '@' || c == '+';
  });
}

// `item` is what error messages name (the whole "key=count" when parsing a Tres).
Result<TresKey> ParseKey(std::string_view text, std::string_view item) {
  size_t slash = text.find('/');
  std::string type = AsciiLower(text.substr(0, slash));
  const TypeInfo* info = FindType(type);
  if (info == nullptr) return Invalid(item, fmt::format("unknown TRES type '{}'", type));
  if (slash == std::string_view::npos) {
    if (info->named) return Invalid(item, fmt::format("'{}' needs a name ({}/<name>)", type, type));
    return TresKey{std::move(type), ""};
  }
  if (!info->named) return Invalid(item, fmt::format("'{}' takes no name", type));
  std::string_view name = text.substr(slash + 1);
  if (type == "gres") {
    size_t colon = name.find(':');
    std::string_view gres_name = name.substr(0, colon);
    if (!IsValidGresName(gres_name)) return Invalid(item, "bad GRES name");
    if (colon != std::string_view::npos && !IsValidGresType(name.substr(colon + 1))) {
      return Invalid(item, "bad GRES type");
    }
  } else if (!IsValidPlainName(name)) {
    return Invalid(item, fmt::format("bad {} name", type));
  }
  return TresKey{std::move(type), std::string(name)};
}

Result<uint64_t> ParsePlainCount(std::string_view text, std::string_view item) {
  if (text.empty()) return Invalid(item, "missing count");
  uint64_t value = 0;
  for (char c : text) {
    if (!IsDigit(c)) return Invalid(item, "count is not a non-negative integer");
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMaxU64 - digit) / 10) return Invalid(item, "count too large");
    value = value * 10 + digit;
  }
  return value;
}

// "12.50G": the half units Slurm prints. Exact or an error; never rounds.
Result<uint64_t> ParseDecimalMemory(std::string_view text, std::string_view item) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view rest = text.substr(dot + 1);
  size_t frac_len = 0;
  while (frac_len < rest.size() && IsDigit(rest[frac_len])) ++frac_len;
  std::string_view frac = rest.substr(0, frac_len);
  std::string_view unit = rest.substr(frac_len);
  bool digits_ok = !whole.empty() && whole.size() <= 20 && !frac.empty() && frac.size() <= 6 &&
                   std::all_of(whole.begin(), whole.end(), IsDigit);
  if (!digits_ok || unit.size() != 1) return Invalid(item, "bad memory size");
  // K, M, G, T, P: the unit is 1024^index KiB.
  char letter = unit[0] >= 'a' && unit[0] <= 'z' ? static_cast<char>(unit[0] - 'a' + 'A') : unit[0];
  size_t index = std::string_view("KMGTP").find(letter);
  if (index == std::string_view::npos) return Invalid(item, "bad memory unit");
  int shift = static_cast<int>(index) * 10;
  unsigned __int128 scale = 1;
  for (size_t i = 0; i < frac.size(); ++i) scale *= 10;
  unsigned __int128 scaled = 0;  // the size times `scale`, in the unit
  for (char c : whole) scaled = scaled * 10 + static_cast<unsigned>(c - '0');
  for (char c : frac) scaled = scaled * 10 + static_cast<unsigned>(c - '0');
  // whole <= 20 digits and frac <= 6, so scaled < 10^26 < 2^87, and << 40 fits 128 bits.
  unsigned __int128 kib_scaled = scaled << shift;
  unsigned __int128 mib_divisor = scale * 1024;
  if (kib_scaled % mib_divisor != 0) return Invalid(item, "not a whole number of MiB");
  unsigned __int128 mib = kib_scaled / mib_divisor;
  if (mib > kMaxU64) return Invalid(item, "memory size too large");
  return static_cast<uint64_t>(mib);
}

Result<uint64_t> ParseMemoryCount(std::string_view text, std::string_view item) {
  if (text.empty()) return Invalid(item, "missing count");
  if (text.find('.') != std::string_view::npos) return ParseDecimalMemory(text, item);
  Result<uint64_t> mb = ParseMemoryMb(text, 'M');
  if (!mb.has_value()) return Invalid(item, mb.error().message());
  return *mb;
}

template <typename F>
Status ForEachItem(std::string_view text, F&& f) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    RETURN_IF_ERROR(f(text.substr(start, comma - start)));
    start = comma + 1;
  }
  return Ok();
}

}  // namespace

TresKey TresKey::Gres(std::string_view gres_name, std::string_view gres_type) {
  std::string name(gres_name);
  if (!gres_type.empty()) name += ":" + std::string(gres_type);
  return {"gres", std::move(name)};
}

std::string TresKey::ToString() const { return name.empty() ? type : type + "/" + name; }

std::strong_ordering operator<=>(const TresKey& a, const TresKey& b) {
  if (auto c = RankOf(a) <=> RankOf(b); c != 0) return c;
  if (auto c = a.type <=> b.type; c != 0) return c;
  return a.name <=> b.name;
}

Result<TresKey> ParseTresKey(std::string_view text) { return ParseKey(text, text); }

Result<std::vector<TresKey>> ParseTresKeyList(std::string_view text) {
  std::vector<TresKey> keys;
  if (text.empty()) return keys;
  RETURN_IF_ERROR(ForEachItem(text, [&](std::string_view item) -> Status {
    if (item.empty()) return Invalid(item, "empty item");
    ASSIGN_OR_RETURN(TresKey key, ParseKey(item, item));
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      return Invalid(item, "given twice");
    }
    keys.push_back(std::move(key));
    return Ok();
  }));
  return keys;
}

Result<Tres> Tres::Parse(std::string_view text) {
  Tres tres;
  if (text.empty()) return tres;
  RETURN_IF_ERROR(ForEachItem(text, [&](std::string_view item) -> Status {
    if (item.empty()) return Invalid(item, "empty item");
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return Invalid(item, "expected <tres>=<count>");
    ASSIGN_OR_RETURN(TresKey key, ParseKey(item.substr(0, eq), item));
    std::string_view value = item.substr(eq + 1);
    ASSIGN_OR_RETURN(uint64_t count,
                     key.IsMemory() ? ParseMemoryCount(value, item) : ParsePlainCount(value, item));
    if (tres.Contains(key)) return Invalid(item, "given twice");
    tres.Set(key, count);
    return Ok();
  }));
  return tres;
}

uint64_t Tres::Get(const TresKey& key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const TresEntry& e, const TresKey& k) { return e.key < k; });
  return it != entries_.end() && it->key == key ? it->count : 0;
}

bool Tres::Contains(const TresKey& key) const {
  return std::binary_search(entries_.begin(), entries_.end(), TresEntry{key, 0},
                            [](const TresEntry& a, const TresEntry& b) { return a.key < b.key; });
}

void Tres::Set(const TresKey& key, uint64_t count) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const TresEntry& e, const TresKey& k) { return e.key < k; });
  if (it != entries_.end() && it->key == key) {
    it->count = count;
  } else {
    entries_.insert(it, TresEntry{key, count});
  }
}

void Tres::Erase(const TresKey& key) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const TresEntry& e, const TresKey& k) { return e.key < k; });
  if (it != entries_.end() && it->key == key) entries_.erase(it);
}

void Tres::Add(const Tres& other) {
  for (const TresEntry& e : other.entries_) {
    uint64_t have = Get(e.key);
    Set(e.key, have > kMaxU64 - e.count ? kMaxU64 : have + e.count);
  }
}

std::string Tres::ToString(const TresFormat& format) const {
  std::vector<const TresEntry*> order;
  order.reserve(entries_.size());
  for (const TresEntry& e : entries_) order.push_back(&e);
  if (format.sort_by_name) {
    std::stable_sort(order.begin(), order.end(), [](const TresEntry* a, const TresEntry* b) {
      return a->key.ToString() < b->key.ToString();
    });
  }
  std::string out;
  for (const TresEntry* e : order) {
    if (!out.empty()) out += ',';
    out += e->key.ToString();
    out += '=';
    out += format.convert_units && e->key.IsMemory() ? FormatTresMemoryMb(e->count)
                                                     : fmt::format("{}", e->count);
  }
  return out;
}

std::string FormatTresMemoryMb(uint64_t mb) {
  if (mb == 0) return "0";
  // Slurm's "exact" conversion: divide by 1024 while the value is at least 1024 and a
  // multiple of 512, so a half unit (12.50G) counts as exact. Stops at P, Slurm's largest
  // unit, and after a half, where Slurm would go on and lose precision.
  static constexpr char kUnits[] = {'M', 'G', 'T', 'P'};
  uint64_t value = mb;
  size_t unit = 0;
  bool half = false;
  while (unit + 1 < std::size(kUnits) && value >= 1024 && value % 512 == 0) {
    half = value % 1024 != 0;
    value /= 1024;
    ++unit;
    if (half) break;
  }
  return half ? fmt::format("{}.50{}", value, kUnits[unit])
              : fmt::format("{}{}", value, kUnits[unit]);
}

}  // namespace drover
