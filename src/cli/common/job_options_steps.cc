// The option table's rows for srun and salloc only: how a step's I/O is shown (-l, -u),
// how its tasks are bound and wired (--cpu-bind, --mpi), how it shares the allocation
// (--overlap, --exact), and how an interactive allocation is waited for (-I, --no-shell).
#include <fmt/format.h>

#include <charconv>

#include "cli/common/job_options.h"

namespace drover::cli::job_options_internal {
namespace {

using V = std::optional<std::string_view>;

std::string Str(V v) { return std::string(v.value_or("")); }

Status SetKillOnBadExit(JobOptions& o, V v) {
  // -K alone turns it on; -K0 / SLURM_KILL_BAD_EXIT=0 turns it off.
  if (!v || v->empty()) {
    o.kill_on_bad_exit = true;
    return Ok();
  }
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return InvalidSpec("kill-on-bad-exit");
  o.kill_on_bad_exit = n != 0;
  return Ok();
}

Status SetImmediate(JobOptions& o, V v) {
  if (!v || v->empty()) {
    o.immediate_s = 0;
    return Ok();
  }
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("Invalid numeric value \"{}\" for --immediate.", *v));
  }
  o.immediate_s = n;
  return Ok();
}

// Slurm 22.05's MPI plugin types; "list" is answered by srun itself.
Status SetMpi(JobOptions& o, V v) {
  static constexpr std::string_view kTypes[] = {
      "none", "pmi2", "pmix", "pmix_v2", "pmix_v3", "pmix_v4", "pmix_v5", "cray_shasta", "list"};
  std::string s = Str(v);
  for (std::string_view t : kTypes) {
    if (s == t) {
      o.mpi = s;
      return Ok();
    }
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("Invalid MPI type '{}', --mpi=list for acceptable types", s));
}

// --cpu-bind=[{quiet,verbose},]<type>: the types Slurm's task/affinity knows.
Status SetCpuBind(JobOptions& o, V v) {
  static constexpr std::string_view kWords[] = {
      "q",       "quiet",   "v",        "verbose",   "no",       "none",
      "rank",    "map_cpu", "mask_cpu", "rank_ldom", "map_ldom", "mask_ldom",
      "sockets", "cores",   "threads",  "ldoms",     "boards",   "help"};
  std::string s = Str(v);
  size_t pos = 0;
  while (true) {
    size_t comma = s.find(',', pos);
    std::string item = s.substr(pos, comma == std::string::npos ? comma : comma - pos);
    std::string word = item.substr(0, item.find(':'));
    bool known = false;
    for (std::string_view w : kWords) known = known || word == w;
    if (!known) {
      return Error(ErrorCode::kInvalidArgument, fmt::format("invalid --cpu-bind argument: {}", s));
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  o.cpu_bind = s;
  return Ok();
}

constexpr uint8_t kSr = kSrun;
constexpr uint8_t kSa = kSalloc;
constexpr uint8_t kSaSr = kSalloc | kSrun;
constexpr ArgKind kNo = ArgKind::kNone;
constexpr ArgKind kReq = ArgKind::kRequired;
constexpr ArgKind kOpt = ArgKind::kOptional;

const JobOptionRow kStepRows[] = {
    {"label", 'l', kNo, kSr, "", "", "SLURM_LABELIO",
     +[](JobOptions& o, V) -> Status { return o.label = true, Ok(); }},
    {"unbuffered", 'u', kNo, kSr, "", "", "SLURM_UNBUFFEREDIO",
     +[](JobOptions& o, V) -> Status { return o.unbuffered = true, Ok(); }},
    {"kill-on-bad-exit", 'K', kOpt, kSr, "", "", "SLURM_KILL_BAD_EXIT", SetKillOnBadExit},
    {"cpu-bind", 0, kReq, kSr, "", "", "SLURM_CPU_BIND", SetCpuBind},
    {"mpi", 0, kReq, kSr, "", "", "SLURM_MPI_TYPE", SetMpi},
    {"overlap", 0, kNo, kSr, "", "", "SLURM_OVERLAP",
     +[](JobOptions& o, V) -> Status { return o.overlap = true, Ok(); }},
    {"exact", 0, kNo, kSr, "", "", "SLURM_EXACT",
     +[](JobOptions& o, V) -> Status { return o.exact = true, Ok(); }},
    {"immediate", 'I', kOpt, kSaSr, "", "SALLOC_IMMEDIATE", "SLURM_IMMEDIATE", SetImmediate},
    {"no-shell", 0, kNo, kSa, "", "", "",
     +[](JobOptions& o, V) -> Status { return o.no_shell = true, Ok(); }},
};

}  // namespace

std::span<const JobOptionRow> StepRows() { return kStepRows; }

}  // namespace drover::cli::job_options_internal
