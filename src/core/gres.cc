#include "core/gres.h"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <limits>

namespace drover {
namespace {

constexpr std::string_view kNoConsume = "no_consume";
constexpr std::string_view kMultipliers = "KMGTP";

enum class Form { kRequest, kNode };

Error Invalid(std::string_view item, std::string_view why) {
  return Error(ErrorCode::kInvalidGres, fmt::format("Invalid GRES '{}': {}", item, why));
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Digits then at most one multiplier letter: "2", "100", "4G", "1k".
bool LooksLikeCount(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 0) return false;
  if (digits == text.size()) return true;
  return digits + 1 == text.size() &&
         kMultipliers.find(ToUpper(text.back())) != std::string_view::npos;
}

// REQUIRES: LooksLikeCount(text). False on overflow.
bool ParseCount(std::string_view text, uint64_t* out) {
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  uint64_t value = 0;
  size_t i = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (value > (kMax - digit) / 10) return false;
    value = value * 10 + digit;
  }
  // A multiplier letter is K, M, G, T or P (either case): 1024 to the power 1..5.
  size_t shifts = 0;
  if (i < text.size()) shifts = kMultipliers.find(ToUpper(text[i])) + 1;
  for (size_t s = 0; s < shifts; ++s) {
    if (value > (kMax >> 10)) return false;
    value <<= 10;
  }
  *out = value;
  return true;
}

// "0-1", "0,2-3" (the part after "S:"), into sorted unique socket indexes.
Status ParseSockets(std::string_view item, std::string_view list, std::vector<uint32_t>* out) {
  if (list.empty()) return Invalid(item, "empty socket list");
  std::vector<uint32_t> sockets;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view range = list.substr(start, comma - start);
    size_t dash = range.find('-');
    std::string_view lo_text = range.substr(0, dash);
    std::string_view hi_text = dash == std::string_view::npos ? lo_text : range.substr(dash + 1);
    auto parse_index = [](std::string_view t, uint32_t* v) {
      if (t.empty() || t.size() > 4) return false;
      uint32_t n = 0;
      for (char c : t) {
        if (!IsDigit(c)) return false;
        n = n * 10 + static_cast<uint32_t>(c - '0');
      }
      if (n > kMaxGresSocket) return false;
      *v = n;
      return true;
    };
    uint32_t lo = 0, hi = 0;
    if (!parse_index(lo_text, &lo) || !parse_index(hi_text, &hi) || lo > hi) {
      return Invalid(item, fmt::format("bad socket range '{}'", range));
    }
    for (uint32_t s = lo; s <= hi; ++s) sockets.push_back(s);
    start = comma + 1;
  }
  std::sort(sockets.begin(), sockets.end());
  sockets.erase(std::unique(sockets.begin(), sockets.end()), sockets.end());
  *out = std::move(sockets);
  return Ok();
}

std::string FormatSockets(const std::vector<uint32_t>& sockets) {
  std::string out;
  for (size_t i = 0; i < sockets.size();) {
    size_t j = i;
    while (j + 1 < sockets.size() && sockets[j + 1] == sockets[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", sockets[i]) : fmt::format("{}-{}", sockets[i], sockets[j]);
    i = j + 1;
  }
  return out;
}

Result<GresSpec> ParseItem(std::string_view item, Form form) {
  std::string_view rest = item;
  if (StartsWithIgnoreCase(rest, "gres/") || StartsWithIgnoreCase(rest, "gres:")) {
    rest.remove_prefix(5);
  }
  GresSpec spec;
  size_t paren = rest.find('(');
  if (paren != std::string_view::npos) {
    if (form != Form::kNode) return Invalid(item, "socket binding is for node definitions");
    std::string_view binding = rest.substr(paren);
    rest = rest.substr(0, paren);
    if (binding.size() < 4 || !StartsWithIgnoreCase(binding, "(S:") || binding.back() != ')') {
      return Invalid(item, "expected (S:<sockets>)");
    }
    RETURN_IF_ERROR(ParseSockets(item, binding.substr(3, binding.size() - 4), &spec.sockets));
  }

  std::vector<std::string_view> fields;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t colon = rest.find(':', start);
    if (colon == std::string_view::npos) colon = rest.size();
    fields.push_back(rest.substr(start, colon - start));
    start = colon + 1;
  }
  for (std::string_view f : fields) {
    if (f.empty()) return Invalid(item, "empty field");
  }
  if (!IsValidGresName(fields[0])) return Invalid(item, fmt::format("bad name '{}'", fields[0]));
  spec.name = std::string(fields[0]);
  size_t next = 1;
  // The last field is the count if it reads as one; the count is never the name.
  size_t end = fields.size();
  if (end > 1 && LooksLikeCount(fields[end - 1])) {
    if (!ParseCount(fields[end - 1], &spec.count)) return Invalid(item, "count too large");
    --end;
  }
  if (next < end && fields[next] != kNoConsume) {
    if (!IsValidGresType(fields[next])) {
      return Invalid(item, fmt::format("bad type '{}'", fields[next]));
    }
    spec.type = std::string(fields[next]);
    ++next;
  }
  if (next < end && fields[next] == kNoConsume) {
    if (form != Form::kNode) return Invalid(item, "no_consume is for node definitions");
    spec.no_consume = true;
    ++next;
  }
  if (next != end) return Invalid(item, fmt::format("unexpected field '{}'", fields[next]));
  return spec;
}

Result<std::vector<GresSpec>> ParseList(std::string_view text, Form form,
                                        std::string_view prepend = {}) {
  std::vector<GresSpec> out;
  size_t start = 0;
  while (start <= text.size()) {
    // Commas inside "(S:0,2)" belong to the item.
    size_t end = start;
    int depth = 0;
    while (end < text.size() && (text[end] != ',' || depth > 0)) {
      if (text[end] == '(') ++depth;
      if (text[end] == ')') --depth;
      ++end;
    }
    std::string_view item = text.substr(start, end - start);
    if (item.empty()) return Invalid(item, "empty item");
    Result<GresSpec> spec = prepend.empty()
                                ? ParseItem(item, form)
                                : ParseItem(std::string(prepend) + std::string(item), form);
    if (!spec.has_value()) {
      if (!prepend.empty()) return Invalid(item, "expected [type:]count");
      return std::move(spec).error();
    }
    for (const GresSpec& seen : out) {
      if (seen.name == spec->name && seen.type == spec->type) {
        return Invalid(item, "given twice");
      }
    }
    out.push_back(*std::move(spec));
    start = end + 1;
  }
  return out;
}

}  // namespace

bool IsValidGresName(std::string_view name) {
  if (name.empty() || !IsAlpha(name[0])) return false;
  // "gres:gpu:2" is how Slurm 22.05 wrote TresPerNode, so a GRES called "gres" could not
  // be told from that prefix.
  if (name.size() == 4 && strncasecmp(name.data(), "gres", 4) == 0) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-'; });
}

bool IsValidGresType(std::string_view type) {
  if (type.empty() || type == kNoConsume) return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.';
  });
}

std::string GresSpec::ToString() const {
  std::string out = name;
  if (!type.empty()) out += ":" + type;
  if (no_consume) out += ":no_consume";
  out += fmt::format(":{}", count);
  if (!sockets.empty()) out += "(S:" + FormatSockets(sockets) + ")";
  return out;
}

std::string GresSpec::ToTresString() const {
  return fmt::format("{}={}", ToTresKey().ToString(), count);
}

std::string GresSpec::ToTresPerNode() const {
  return fmt::format("{}:{}", ToTresKey().ToString(), count);
}

Result<std::vector<GresSpec>> ParseGresRequest(std::string_view text) {
  if (text.size() == 4 && strncasecmp(text.data(), "none", 4) == 0) {
    return std::vector<GresSpec>{};
  }
  return ParseList(text, Form::kRequest);
}

Result<std::vector<GresSpec>> ParseGpusOption(std::string_view text) {
  return ParseList(text, Form::kRequest, "gpu:");
}

Result<std::vector<GresSpec>> ParseNodeGres(std::string_view text) {
  if (text.empty()) return std::vector<GresSpec>{};
  return ParseList(text, Form::kNode);
}

std::string FormatGresList(std::span<const GresSpec> gres) {
  std::string out;
  for (const GresSpec& g : gres) {
    if (!out.empty()) out += ',';
    out += g.ToString();
  }
  return out;
}

std::string FormatGresTresPerNode(std::span<const GresSpec> gres) {
  std::string out;
  for (const GresSpec& g : gres) {
    if (!out.empty()) out += ',';
    out += g.ToTresPerNode();
  }
  return out;
}

void AddGresToTres(std::span<const GresSpec> gres, Tres* tres) {
  Tres add;
  for (const GresSpec& g : gres) {
    Tres one;
    one.Set(TresKey::Gres(g.name), g.count);
    if (!g.type.empty()) one.Set(TresKey::Gres(g.name, g.type), g.count);
    add.Add(one);
  }
  tres->Add(add);
}

}  // namespace drover
