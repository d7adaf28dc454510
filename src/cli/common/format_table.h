// Field tables and the rows they print: the engine behind squeue's and sinfo's columns.
//
// A command declares one FieldDef per column it knows (long name, % letter, header, the
// width -O gives it, a getter); ResolveFormat() binds a parsed FormatSpec to those rows,
// and RenderHeader()/RenderRow() print lines exactly as Slurm's print functions do
// (format_spec.h FormatCell: pad, or cut when too long; no width prints as is).
//
// Row is whatever the getters read: typically a pointer to the record plus `now`.
//
// Thread-safety: tables are constant; Layouts are values.
#pragma once

#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/common/format_spec.h"

namespace drover::cli {

template <typename Row>
struct FieldDef {
  std::string_view long_name;  // -O name, matched ignoring case ("JobID")
  char letter = 0;             // % letter; 0 when the field has only a long name
  std::string_view header;     // "JOBID"
  std::string (*get)(const Row&) = nullptr;
};

template <typename Row>
struct Column {
  const FieldDef<Row>* def = nullptr;
  int width = 0;
  bool right = false;
  bool auto_width = false;
  std::string suffix;
};

template <typename Row>
struct Layout {
  std::string prefix;
  std::vector<Column<Row>> columns;

  // True when some column prints the field with this long name.
  bool Has(std::string_view long_name) const {
    for (const Column<Row>& c : columns) {
      if (c.def->long_name == long_name) return true;
    }
    return false;
  }
};

// -O fields without a width get Slurm's 20 characters.
inline constexpr int kLongFormatDefaultWidth = 20;

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// `what` names the records in the error: "job" gives "Invalid job format specification: z".
template <typename Row>
Result<Layout<Row>> ResolveFormat(const FormatSpec& spec, std::span<const FieldDef<Row>> table,
                                  std::string_view what) {
  Layout<Row> layout;
  layout.prefix = spec.prefix;
  for (const FormatField& f : spec.fields) {
    const FieldDef<Row>* def = nullptr;
    for (const FieldDef<Row>& d : table) {
      bool match = spec.style == FormatStyle::kPercent
                       ? (d.letter != 0 && f.name.size() == 1 && d.letter == f.name[0])
                       : EqualsIgnoreCase(d.long_name, f.name);
      if (match) {
        def = &d;
        break;
      }
    }
    if (def == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "Invalid " + std::string(what) + " format specification: " + f.name);
    }
    Column<Row> column;
    column.def = def;
    column.right = f.right;
    column.auto_width = f.auto_width;
    column.suffix = f.suffix;
    if (f.width) {
      column.width = *f.width;
    } else if (spec.style == FormatStyle::kLong) {
      column.width = kLongFormatDefaultWidth;
    }
    layout.columns.push_back(std::move(column));
  }
  return layout;
}

// Gives every '#' column the width of its widest value, and at least `min_width`.
template <typename Row>
void ApplyAutoWidths(Layout<Row>* layout, std::span<const Row> rows, int min_width) {
  for (Column<Row>& c : layout->columns) {
    if (!c.auto_width) continue;
    size_t widest = static_cast<size_t>(std::max(min_width, c.width));
    for (const Row& row : rows) widest = std::max(widest, c.def->get(row).size());
    c.width = static_cast<int>(std::min<size_t>(widest, kMaxFormatWidth));
  }
}

template <typename Row>
std::string RenderHeader(const Layout<Row>& layout) {
  std::string line = layout.prefix;
  for (const Column<Row>& c : layout.columns) {
    line += FormatCell(c.def->header, c.width, c.right);
    line += c.suffix;
  }
  line.push_back('\n');
  return line;
}

template <typename Row>
std::string RenderRow(const Layout<Row>& layout, const Row& row) {
  std::string line = layout.prefix;
  for (const Column<Row>& c : layout.columns) {
    line += FormatCell(c.def->get(row), c.width, c.right);
    line += c.suffix;
  }
  line.push_back('\n');
  return line;
}

}  // namespace drover::cli
