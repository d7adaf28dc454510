// sacct's columns: the field table (name, default width, justification, getter) and the
// printer for the three layouts sacct has: fixed-width columns with a header and a rule
// of dashes, -p (a delimiter after every field) and -P (between fields).
//
// A Row is one line: a job record, or one of its steps (then `step` is set).
//
// Thread-safety: tables are constant; functions are pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "cli/sacct/options.h"
#include "drover/v1/accounting.pb.h"

namespace drover::cli::sacct {

struct Row {
  const v1::JobRecord* job = nullptr;
  const v1::StepRecord* step = nullptr;  // null: the job line
  int64_t now = 0;                       // Unix seconds: running jobs' Elapsed
};

struct Field {
  std::string_view name;  // as the header prints it ("JobID")
  int width;              // default width
  bool left;              // left-justified (JobID); the rest are right-justified
  std::string (*get)(const Row&);
};

// Every field, in the order --helpformat lists them.
std::span<const Field> Fields();

struct Column {
  const Field* field = nullptr;
  int width = 0;
};

// Errors: kInvalidArgument "Invalid field requested: \"name\"".
Result<std::vector<Column>> ResolveFields(std::span<const FieldChoice> choices);

// The rows of `jobs`: each job, then its steps unless `allocations_only` (-X).
std::vector<Row> Rows(const std::vector<v1::JobRecord>& jobs, int64_t now, bool allocations_only);

// The whole output (header unless `noheader`).
std::string Render(const std::vector<Column>& columns, const std::vector<Row>& rows,
                   const Options& options);

// One fixed-width cell as sacct prints it: padded, or cut to width-1 characters and '+'.
std::string Cell(std::string_view text, int width, bool left);

// --helpformat: the field names in columns.
std::string HelpFormat();

}  // namespace drover::cli::sacct
