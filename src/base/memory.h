// Memory sizes as Slurm reads and prints them, in MiB (Slurm's unit for --mem,
// RealMemory, DefMemPerCPU, TRES mem).
//
// Reads:  "100" (MiB by default) "100M" "10G" "2T" "512K" (rounded up to whole MiB),
//         suffix case-insensitive, an optional trailing "B" ("10GB") accepted.
// Prints: TRES style "10G" when a whole number of GiB, else "515711M"; "1T" when whole TiB.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drover {

// `default_unit` is the unit of a bare number: 'M' for --mem, 'K'/'G' where Slurm says so.
// Errors: kInvalidMemory naming the text (negative, no digits, unknown suffix, overflow).
Result<uint64_t> ParseMemoryMb(std::string_view text, char default_unit = 'M');

// "10G", "515711M", "1T" (TRES / scontrol MinMemoryNode style).
std::string FormatMemoryMb(uint64_t mb);

}  // namespace drover
