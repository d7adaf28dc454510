// The versions Drover reports. Tools parse `sbatch --version` ("slurm 22.05.8") to pick
// features, so Drover answers with the Slurm release whose behaviour it follows, and
// names itself after it.
#pragma once

namespace drover::cli {

inline constexpr const char* kSlurmCompatVersion = "22.05.8";
inline constexpr const char* kDroverVersion = "0.1.0";

}  // namespace drover::cli
