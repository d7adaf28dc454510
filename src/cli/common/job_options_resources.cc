// The option table's resource rows: node and task counts, CPUs, memory, temporary disk,
// GRES and GPUs, task distribution.
#include <fmt/format.h>

#include <charconv>

#include "base/memory.h"
#include "cli/common/job_options.h"

namespace drover::cli::job_options_internal {

Result<std::pair<uint32_t, uint32_t>> ParseNodeCount(std::string_view value) {
  auto number = [](std::string_view s) -> std::optional<uint32_t> {
    uint32_t v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > INT32_MAX) return std::nullopt;
    return v;
  };
  auto invalid = [](std::string_view s) {
    return Error(ErrorCode::kInvalidArgument, fmt::format("\"{}\" is not a valid node count", s));
  };
  size_t dash = value.find('-');
  if (dash == std::string_view::npos) {
    auto n = number(value);
    if (!n) return invalid(value);
    return std::pair{*n, uint32_t{0}};
  }
  auto min = number(value.substr(0, dash));
  if (!min) return invalid(value.substr(0, dash));
  auto max = number(value.substr(dash + 1));
  if (!max) return invalid(value.substr(dash + 1));
  if (*min == 0) min = 1;  // "-N 0-4" asks for at least one node, as Slurm reads it
  if (*max < *min) {
    return Error(
        ErrorCode::kInvalidArgument,
        fmt::format("Maximum node count {} is less than minimum node count {}", *max, *min));
  }
  return std::pair{*min, *max};
}

namespace {

using V = std::optional<std::string_view>;

std::string Str(V v) { return std::string(v.value_or("")); }

Status SetCount(std::optional<uint32_t>& field, std::string_view option, V v, bool positive) {
  ASSIGN_OR_RETURN(field, ParseCount(option, Str(v), positive));
  return Ok();
}

Status SetNodes(JobOptions& o, V v) {
  ASSIGN_OR_RETURN(auto counts, ParseNodeCount(Str(v)));
  o.min_nodes = counts.first;
  o.max_nodes = counts.second;
  return Ok();
}

// --mem, --mem-per-cpu and --mem-per-gpu exclude each other within one source (two in
// the command line is Slurm's error); a higher source replaces a lower one's request.
Status SetMemory(JobOptions& o, MemoryKind kind, std::string_view option, V v) {
  auto mb = ParseMemoryMb(Str(v));
  if (!mb) return InvalidSpec(option);
  if (o.memory_kind != MemoryKind::kUnset && o.memory_kind != kind &&
      o.memory_source == o.current_source) {
    return Error(ErrorCode::kInvalidArgument,
                 "--mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive.");
  }
  o.memory_kind = kind;
  o.memory_mb = *mb;
  o.memory_source = o.current_source;
  return Ok();
}

Status SetGpus(std::optional<std::vector<GresSpec>>& field, std::string_view option, V v) {
  auto gpus = ParseGpusOption(Str(v));
  if (!gpus) return InvalidSpec(option);
  field = std::move(*gpus);
  return Ok();
}

constexpr uint8_t kAll = kAllJobCommands;
constexpr ArgKind kNo = ArgKind::kNone;
constexpr ArgKind kReq = ArgKind::kRequired;

const JobOptionRow kResourceRows[] = {
    {"nodes", 'N', kReq, kAll, "", "", "SLURM_NNODES", SetNodes},
    {"ntasks", 'n', kReq, kAll, "", "", "SLURM_NTASKS",
     +[](JobOptions& o, V v) { return SetCount(o.ntasks, "ntasks", v, true); }},
    {"cpus-per-task", 'c', kReq, kAll, "", "", "SLURM_CPUS_PER_TASK",
     +[](JobOptions& o, V v) { return SetCount(o.cpus_per_task, "cpus-per-task", v, true); }},
    {"ntasks-per-node", 0, kReq, kAll, "", "", "SLURM_NTASKS_PER_NODE",
     +[](JobOptions& o, V v) { return SetCount(o.ntasks_per_node, "ntasks-per-node", v, true); }},
    {"ntasks-per-core", 0, kReq, kAll, "", "", "SLURM_NTASKS_PER_CORE",
     +[](JobOptions& o, V v) { return SetCount(o.ntasks_per_core, "ntasks-per-core", v, true); }},
    {"ntasks-per-socket", 0, kReq, kAll, "", "", "SLURM_NTASKS_PER_SOCKET",
     +[](JobOptions& o, V v) {
       return SetCount(o.ntasks_per_socket, "ntasks-per-socket", v, true);
     }},
    {"threads-per-core", 0, kReq, kAll, "SBATCH_THREADS_PER_CORE", "SALLOC_THREADS_PER_CORE",
     "SLURM_THREADS_PER_CORE",
     +[](JobOptions& o, V v) { return SetCount(o.threads_per_core, "threads-per-core", v, true); }},
    {"mincpus", 0, kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) { return SetCount(o.mincpus, "mincpus", v, true); }},
    {"cpus-per-gpu", 0, kReq, kAll, "SBATCH_CPUS_PER_GPU", "SALLOC_CPUS_PER_GPU",
     "SLURM_CPUS_PER_GPU",
     +[](JobOptions& o, V v) { return SetCount(o.cpus_per_gpu, "cpus-per-gpu", v, true); }},
    {"core-spec", 'S', kReq, kAll, "SBATCH_CORE_SPEC", "SALLOC_CORE_SPEC", "SLURM_CORE_SPEC",
     +[](JobOptions& o, V v) { return SetCount(o.core_spec, "core-spec", v, false); }},
    {"overcommit", 'O', kNo, kAll, "SBATCH_OVERCOMMIT", "SALLOC_OVERCOMMIT", "SLURM_OVERCOMMIT",
     +[](JobOptions& o, V) -> Status { return o.overcommit = true, Ok(); }},
    {"mem", 0, kReq, kAll, "SBATCH_MEM_PER_NODE", "SALLOC_MEM_PER_NODE", "SLURM_MEM_PER_NODE",
     +[](JobOptions& o, V v) { return SetMemory(o, MemoryKind::kPerNode, "mem", v); }},
    {"mem-per-cpu", 0, kReq, kAll, "SBATCH_MEM_PER_CPU", "SALLOC_MEM_PER_CPU", "SLURM_MEM_PER_CPU",
     +[](JobOptions& o, V v) { return SetMemory(o, MemoryKind::kPerCpu, "mem-per-cpu", v); }},
    {"mem-per-gpu", 0, kReq, kAll, "SBATCH_MEM_PER_GPU", "SALLOC_MEM_PER_GPU", "SLURM_MEM_PER_GPU",
     +[](JobOptions& o, V v) { return SetMemory(o, MemoryKind::kPerGpu, "mem-per-gpu", v); }},
    {"tmp", 0, kReq, kAll, "", "", "",
     +[](JobOptions& o, V v) -> Status {
       auto mb = ParseMemoryMb(Str(v));
       if (!mb) return InvalidSpec("tmp");
       o.tmp_mb = *mb;
       return Ok();
     }},
    {"gres", 0, kReq, kAll, "SBATCH_GRES", "SALLOC_GRES", "SLURM_GRES",
     +[](JobOptions& o, V v) -> Status {
       auto gres = ParseGresRequest(Str(v));
       if (!gres) return InvalidSpec("gres");
       o.gres = std::move(*gres);
       return Ok();
     }},
    {"gpus", 'G', kReq, kAll, "SBATCH_GPUS", "SALLOC_GPUS", "SLURM_GPUS",
     +[](JobOptions& o, V v) { return SetGpus(o.gpus, "gpus", v); }},
    {"gpus-per-node", 0, kReq, kAll, "SBATCH_GPUS_PER_NODE", "SALLOC_GPUS_PER_NODE",
     "SLURM_GPUS_PER_NODE",
     +[](JobOptions& o, V v) { return SetGpus(o.gpus_per_node, "gpus-per-node", v); }},
    {"gpus-per-task", 0, kReq, kAll, "SBATCH_GPUS_PER_TASK", "SALLOC_GPUS_PER_TASK",
     "SLURM_GPUS_PER_TASK",
     +[](JobOptions& o, V v) { return SetGpus(o.gpus_per_task, "gpus-per-task", v); }},
    {"gpus-per-socket", 0, kReq, kAll, "SBATCH_GPUS_PER_SOCKET", "SALLOC_GPUS_PER_SOCKET",
     "SLURM_GPUS_PER_SOCKET",
     +[](JobOptions& o, V v) { return SetGpus(o.gpus_per_socket, "gpus-per-socket", v); }},
    {"distribution", 'm', kReq, kAll, "SBATCH_DISTRIBUTION", "SALLOC_DISTRIBUTION",
     "SLURM_DISTRIBUTION",
     +[](JobOptions& o, V v) -> Status {
       RETURN_IF_ERROR(ValidateDistribution(Str(v)));
       o.distribution = Str(v);
       return Ok();
     }},
};

}  // namespace

std::span<const JobOptionRow> ResourceRows() { return kResourceRows; }

}  // namespace drover::cli::job_options_internal
