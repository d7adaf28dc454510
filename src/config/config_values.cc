#include "config/config_values.h"

#include <fmt/core.h>

#include <cmath>
#include <cstdlib>

#include "base/memory.h"
#include "base/strings.h"

namespace drover::config {

namespace {

Error Why(std::string text) { return Error(ErrorCode::kConfigValue, std::move(text)); }

bool IsUnlimitedWord(std::string_view text) {
  return KeyEquals(text, "UNLIMITED") || KeyEquals(text, "INFINITE");
}

}  // namespace

Error ValueError(const ConfPair& pair, std::string_view key, std::string_view why) {
  return Error(ErrorCode::kConfigValue,
               fmt::format("{}: invalid value '{}': {}", key, pair.value, why),
               pair.loc.ToString());
}

Error ValueError(const ConfPair& pair, std::string_view key, const Error& why) {
  return ValueError(pair, key, why.message());
}

Result<uint64_t> ParseUint(std::string_view text, uint64_t min, uint64_t max) {
  // Words get the plain expectation; numbers out of bounds get the bounds.
  auto plain = [&]() -> Error {
    return Why(min >= 1 ? "expected a positive integer" : "expected a non-negative integer");
  };
  auto bounded = [&]() -> Error {
    return Why(fmt::format("expected an integer from {} to {}", min, max));
  };
  if (text.empty()) return plain();
  uint64_t v = 0;
  bool overflow = false;
  for (char c : text) {
    if (c < '0' || c > '9') return plain();
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) {
      overflow = true;
      continue;
    }
    v = v * 10 + d;
  }
  if (overflow || v < min || v > max) return bounded();
  return v;
}

Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max) {
  bool neg = !text.empty() && text.front() == '-';
  std::string_view digits = neg ? text.substr(1) : text;
  auto expected = Why(fmt::format("expected an integer from {} to {}", min, max));
  auto mag = ParseUint(digits, 0, static_cast<uint64_t>(INT64_MAX));
  if (!mag.has_value()) return expected;
  int64_t v = neg ? -static_cast<int64_t>(*mag) : static_cast<int64_t>(*mag);
  if (v < min || v > max) return expected;
  return v;
}

Result<double> ParseDouble(std::string_view text, double min, double max) {
  auto expected = Why(fmt::format("expected a number from {} to {}", min, max));
  if (text.empty() || text.size() > 32) return expected;
  bool dot = false, digit = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return expected;
    }
  }
  if (!digit) return expected;
  double v = std::strtod(std::string(text).c_str(), nullptr);
  if (!std::isfinite(v) || v < min || v > max) return expected;
  return v;
}

Result<bool> ParseYesNo(std::string_view text) {
  if (KeyEquals(text, "yes") || KeyEquals(text, "true") || text == "1" || KeyEquals(text, "on")) {
    return true;
  }
  if (KeyEquals(text, "no") || KeyEquals(text, "false") || text == "0" || KeyEquals(text, "off")) {
    return false;
  }
  return Why("expected YES or NO");
}

Result<Duration> ParseSecondsValue(std::string_view text, bool allow_infinite) {
  if (allow_infinite && (IsUnlimitedWord(text) || KeyEquals(text, "NONE") || text == "-1")) {
    return Duration::Infinite();
  }
  auto v = ParseUint(text, 0, UINT32_MAX);
  if (!v.has_value()) {
    return Why(allow_infinite ? "expected a number of seconds or INFINITE"
                              : "expected a number of seconds");
  }
  return Duration::FromSeconds(static_cast<int64_t>(*v));
}

Result<Duration> ParseMinutesValue(std::string_view text) {
  if (IsUnlimitedWord(text)) return Duration::Infinite();
  auto v = ParseUint(text, 0, UINT32_MAX);
  if (!v.has_value()) return Why("expected a number of minutes or UNLIMITED");
  return Duration::FromMinutes(static_cast<int64_t>(*v));
}

Result<Duration> ParseTimeValue(std::string_view text) {
  if (IsUnlimitedWord(text)) return Duration::Infinite();
  auto d = ParseDuration(text);
  if (!d.has_value()) {
    return Why("expected a time: minutes, mm:ss, hh:mm:ss, d-hh, d-hh:mm, d-hh:mm:ss or UNLIMITED");
  }
  return *d;
}

Result<std::optional<uint64_t>> ParseMemoryValue(std::string_view text, bool allow_unlimited) {
  if (allow_unlimited && IsUnlimitedWord(text)) return std::optional<uint64_t>();
  auto mb = ParseMemoryMb(text, 'M');
  if (!mb.has_value()) return Why("expected a memory size in megabytes, like 4096 or 16G");
  return std::optional<uint64_t>(*mb);
}

Result<uint64_t> ParseCountWithSuffix(std::string_view text) {
  auto expected = Why("expected a count, optionally with a K, M, G or T suffix");
  if (text.empty()) return expected;
  uint64_t mult = 1;
  char last = text.back();
  switch (last) {
    case 'k':
    case 'K':
      mult = 1ULL << 10;
      break;
    case 'm':
    case 'M':
      mult = 1ULL << 20;
      break;
    case 'g':
    case 'G':
      mult = 1ULL << 30;
      break;
    case 't':
    case 'T':
      mult = 1ULL << 40;
      break;
    default:
      break;
  }
  if (mult != 1) text.remove_suffix(1);
  auto v = ParseUint(text);
  if (!v.has_value() || *v > UINT64_MAX / mult) return expected;
  return *v * mult;
}

std::string JoinList(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

Result<std::vector<uint32_t>> ParseIndexList(std::string_view text, size_t limit) {
  std::vector<uint32_t> out;
  auto expected = Why("expected a list of numbers and ranges, like 0-3,8");
  if (text.empty()) return expected;
  for (const std::string& part : SplitList(text, ',')) {
    size_t dash = part.find('-');
    auto lo = ParseUint(std::string_view(part).substr(0, dash), 0, UINT32_MAX);
    if (!lo.has_value()) return expected;
    uint64_t hi = *lo;
    if (dash != std::string::npos) {
      auto h = ParseUint(std::string_view(part).substr(dash + 1), 0, UINT32_MAX);
      if (!h.has_value() || *h < *lo) return expected;
      hi = *h;
    }
    if (hi - *lo + 1 > limit - out.size()) return Why("too many entries in the list");
    for (uint64_t i = *lo; i <= hi; ++i) out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

namespace {

// Expands one word (no top-level commas) with any number of [..] groups.
Status ExpandWord(std::string_view word, size_t limit, std::vector<std::string>* out) {
  std::vector<std::string> acc{""};
  size_t i = 0;
  while (i < word.size()) {
    if (word[i] == ']') return Why("unbalanced ']'");
    if (word[i] != '[') {
      size_t next = word.find_first_of("[]", i);
      if (next == std::string_view::npos) next = word.size();
      for (auto& a : acc) a.append(word.substr(i, next - i));
      i = next;
      continue;
    }
    size_t close = word.find(']', i);
    if (close == std::string_view::npos) return Why("unbalanced '['");
    std::string_view inner = word.substr(i + 1, close - i - 1);
    std::vector<std::string> items;
    for (const std::string& part : SplitList(inner, ',')) {
      size_t dash = part.find('-');
      if (dash == std::string::npos) {
        if (!ParseUint(part).has_value()) return Why("expected numbers inside [ ]");
        items.push_back(part);
        continue;
      }
      std::string_view lo_s = std::string_view(part).substr(0, dash);
      auto lo = ParseUint(lo_s, 0, UINT32_MAX);
      auto hi = ParseUint(std::string_view(part).substr(dash + 1), 0, UINT32_MAX);
      if (!lo.has_value() || !hi.has_value() || *hi < *lo) return Why("bad range inside [ ]");
      if (*hi - *lo + 1 > limit) return Why("too many names");
      for (uint64_t n = *lo; n <= *hi; ++n) {
        items.push_back(fmt::format("{:0{}}", n, lo_s.size()));
      }
    }
    if (items.empty()) return Why("empty [ ]");
    if (acc.size() * items.size() > limit) return Why("too many names");
    std::vector<std::string> next;
    next.reserve(acc.size() * items.size());
    for (const auto& a : acc) {
      for (const auto& it : items) next.push_back(a + it);
    }
    acc = std::move(next);
    i = close + 1;
  }
  if (out->size() + acc.size() > limit) return Why("too many names");
  for (auto& a : acc) out->push_back(std::move(a));
  return Ok();
}

}  // namespace

Result<std::vector<std::string>> ExpandBracketList(std::string_view text, size_t limit) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '[') ++depth;
    if (i < text.size() && text[i] == ']') --depth;
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      std::string_view word = text.substr(start, i - start);
      if (word.empty()) return Why("empty entry in the list");
      RETURN_IF_ERROR(ExpandWord(word, limit, &out));
      start = i + 1;
    }
  }
  return out;
}

std::optional<size_t> FindKeyword(std::string_view text,
                                  const std::vector<std::string_view>& keywords) {
  for (size_t i = 0; i < keywords.size(); ++i) {
    if (KeyEquals(text, keywords[i])) return i;
  }
  return std::nullopt;
}

}  // namespace drover::config
