// Value parsers shared by the slurm.conf, gres.conf and cgroup.conf readers, and the one
// place that words a bad value as an error:
//   /etc/slurm/slurm.conf:17: CPUs: invalid value 'abc': expected a positive integer
//
// Each parser returns the value or an Error whose message is only the "why" ("expected a
// positive integer"); ValueError() adds the file, line, key and value around it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/result.h"
#include "base/strings.h"
#include "config/conf_lexer.h"

namespace drover::config {

// kConfigValue at pair.loc: "<key>: invalid value '<value>': <why>".
Error ValueError(const ConfPair& pair, std::string_view key, std::string_view why);
// Re-words the error of a value parser with ValueError.
Error ValueError(const ConfPair& pair, std::string_view key, const Error& why);

// Decimal integers within [min, max]. A word gets "expected a positive integer" (min >= 1)
// or "expected a non-negative integer"; a number out of bounds gets the bounds.
Result<uint64_t> ParseUint(std::string_view text, uint64_t min = 0, uint64_t max = UINT64_MAX);
Result<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max);
// Decimal with an optional fraction ("12.5"), within [min, max].
Result<double> ParseDouble(std::string_view text, double min, double max);

// YES/NO, TRUE/FALSE, 1/0, ON/OFF; any case.
Result<bool> ParseYesNo(std::string_view text);

// Seconds as an integer ("30") -> Duration. With allow_infinite, also
// INFINITE/UNLIMITED/NONE/-1 -> Duration::Infinite().
Result<Duration> ParseSecondsValue(std::string_view text, bool allow_infinite = false);
// Minutes as an integer ("10") or UNLIMITED/INFINITE -> Duration.
Result<Duration> ParseMinutesValue(std::string_view text);
// Slurm's time forms (d-hh:mm:ss ..., a bare number is minutes), UNLIMITED/INFINITE.
Result<Duration> ParseTimeValue(std::string_view text);

// Memory in MiB ("4519", "10G"); with allow_unlimited, UNLIMITED/INFINITE -> nullopt.
Result<std::optional<uint64_t>> ParseMemoryValue(std::string_view text, bool allow_unlimited);

// A count with an optional K/M/G/T suffix (powers of 1024), as gres.conf Count= takes.
Result<uint64_t> ParseCountWithSuffix(std::string_view text);

std::string JoinList(const std::vector<std::string>& items, std::string_view sep = ",");

// "0-3,8,10-11" -> {0,1,2,3,8,10,11}. Bounded to `limit` entries.
Result<std::vector<uint32_t>> ParseIndexList(std::string_view text, size_t limit = 1 << 20);

// Expands bracketed ranges in a path-like word: "/dev/nvidia[0-1]" -> two paths,
// "a[1-2]b[3,5]" -> cross product; top-level commas separate words. Bounded to `limit`.
Result<std::vector<std::string>> ExpandBracketList(std::string_view text, size_t limit = 1 << 16);

// Case-insensitive lookup of `text` in a list of keywords; returns the index.
std::optional<size_t> FindKeyword(std::string_view text,
                                  const std::vector<std::string_view>& keywords);

}  // namespace drover::config
