// Small text helpers every layer needs: ASCII case folding (slurm.conf keys, command
// keywords and state names are case-insensitive in the C locale, whatever the user's
// locale says) and comma lists.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drover {

// "Idle" -> "idle"; only A-Z change.
std::string AsciiLower(std::string_view text);
// "idle" -> "IDLE"; only a-z change.
std::string AsciiUpper(std::string_view text);
// True when a and b differ at most in the case of ASCII letters.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// "a,,b," -> {"a", "b"}: the pieces between separators, empty ones dropped.
std::vector<std::string> SplitList(std::string_view text, char separator = ',');

}  // namespace drover
