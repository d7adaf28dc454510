// FormatSpec: the output format strings of squeue and sinfo, parsed.
//
// Two spellings, as Slurm takes them:
//   -o/--format  "%.18i %.9P %.8j %20E"   '%', flags ('.' right-justify, '-' left-justify,
//                '#' width computed from the data), a width, a field letter; text between
//                fields is printed as written ("%%" is a literal '%').
//   -O/--Format  "JobID:10,Partition:.9,Name"   comma-separated long names, each with an
//                optional ":[.][width][suffix]".
// The parser knows no field names: it yields (field, width, justification, text after),
// and the command's field table (format_table.h) resolves the names.
//
// Thread-safety: pure functions over value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::cli {

enum class FormatStyle { kPercent, kLong };

struct FormatField {
  std::string name;          // the letter ("i") in the % form, the long name in the -O form
  std::optional<int> width;  // absent: the field's default (natural width for %, 20 for -O)
  bool right = false;        // '.'
  bool auto_width = false;   // '#': as wide as the widest value
  std::string suffix;        // literal text printed after the field

  friend bool operator==(const FormatField&, const FormatField&) = default;
};

struct FormatSpec {
  FormatStyle style = FormatStyle::kPercent;
  std::string prefix;  // literal text before the first field (% form only)
  std::vector<FormatField> fields;

  friend bool operator==(const FormatSpec&, const FormatSpec&) = default;
};

// The widest field accepted; wider is an error rather than a megabyte of spaces.
inline constexpr int kMaxFormatWidth = 4096;

// Errors: kInvalidArgument "Invalid format specification: <why>" (a '%' with no letter,
// a width past kMaxFormatWidth).
Result<FormatSpec> ParsePercentFormat(std::string_view text);
// Errors: kInvalidArgument as above (an empty name, a width past kMaxFormatWidth).
Result<FormatSpec> ParseLongFormat(std::string_view text);

// The spec written back in its style; parsing the result gives the same spec (for a long
// spec, as long as no suffix holds a ',' or starts a field without a width with a digit).
std::string FormatSpecToString(const FormatSpec& spec);

// One cell as Slurm prints it: padded to `width` (left or right) and cut to `width` when
// longer; width 0 prints the text as is.
std::string FormatCell(std::string_view text, int width, bool right);

}  // namespace drover::cli
