// squeue's field table: every column squeue can print, by % letter and -O long name, with
// its header; and the formats squeue's options select.
//
// Thread-safety: constant tables.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "cli/common/format_table.h"
#include "drover/v1/job.pb.h"

namespace drover::cli::squeue {

namespace v1 = ::drover::v1;

// What a getter reads: the job and the time the derived columns (TIME, TIME_LEFT) use.
struct JobRow {
  const v1::JobInfo* job = nullptr;
  int64_t now = 0;
};

std::span<const FieldDef<JobRow>> JobFields();

// The formats Slurm 22.05's squeue uses: default, -l, --start.
inline constexpr std::string_view kDefaultFormat = "%.18i %.9P %.8j %.8u %.2t %.10M %.6D %R";
inline constexpr std::string_view kLongFormat = "%.18i %.9P %.8j %.8u %.8T %.10M %.9l %.6D %R";
inline constexpr std::string_view kStartFormat = "%.18i %.9P %.8j %.8u %.2t %.19S %.6D %20Y %R";

}  // namespace drover::cli::squeue
