// The ONE option table shared by sbatch, salloc and srun: every job option with its long
// name, short letter, argument kind, the commands that accept it, its input environment
// variables (SBATCH_*, SALLOC_*, SLURM_*) and a setter that validates the value the way
// Slurm does and stores it in a plain JobOptions struct. The same rows read the command
// line, #SBATCH lines (sbatch_directives.h) and input variables (input_env.h);
// job_spec_builder.h turns the result into a drover.v1.JobSpec.
//
// Setters keep values mostly as typed, validated data; what needs the submitting
// process (the clock for --begin, the cwd for -D, the environment for --export, the
// caller's uid for --uid) is resolved by the builder.
//
// Errors from setters are kInvalidArgument with Slurm's text ("Invalid --time
// specification"); several lines are separated by '\n'. The commands print each line as
// "<prog>: error: <line>" and exit 255 (Slurm's exit(-1)).
//
// Thread-safety: the table is immutable; JobOptions is a plain value.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/duration.h"
#include "base/result.h"
#include "cli/common/getopt.h"
#include "core/gres.h"

namespace drover::cli {

// The commands that share the table; a row's `commands` is a mask of these.
enum CommandMask : uint8_t {
  kSbatch = 1,
  kSalloc = 2,
  kSrun = 4,
  kAllJobCommands = kSbatch | kSalloc | kSrun,
};

// Where a value came from, lowest precedence first: script < environment < command line.
enum class OptionSource : uint8_t { kDefault, kScript, kEnvironment, kCommandLine };

enum class Sharing : uint8_t { kUnset, kExclusive, kExclusiveUser, kExclusiveMcs, kOversubscribe };
enum class MemoryKind : uint8_t { kUnset, kPerNode, kPerCpu, kPerGpu };
enum class OpenModeOpt : uint8_t { kUnset, kAppend, kTruncate };

struct SignalOpt {
  int signal = 0;
  int64_t lead_time_s = 60;  // Slurm's default when "@time" is absent
  bool batch_only = false;   // B:
  bool reservation = false;  // R:
  friend bool operator==(const SignalOpt&, const SignalOpt&) = default;
};

struct ArrayRangeOpt {
  uint32_t first = 0;
  uint32_t last = 0;
  uint32_t step = 1;
  friend bool operator==(const ArrayRangeOpt&, const ArrayRangeOpt&) = default;
};

struct ArrayOpt {
  std::vector<ArrayRangeOpt> ranges;
  uint32_t max_running = 0;  // %N
  friend bool operator==(const ArrayOpt&, const ArrayOpt&) = default;
};

// Every job option as typed by the user, after validation. Absent optionals are "not
// given"; the builder leaves them to the controller's defaults.
struct JobOptions {
  // Set by the reader before applying a source: lets memory options of a lower source
  // give way to a higher one while two in the same source conflict (as in Slurm).
  OptionSource current_source = OptionSource::kDefault;

  // Naming and accounting
  std::optional<std::string> job_name, account, partition, qos, reservation, comment, wckey;
  std::optional<std::string> clusters, container;
  // Time (validated text; times of day are resolved against `now` by the builder)
  std::optional<Duration> time_limit, time_min;
  std::optional<std::string> begin, deadline;
  // Size and shape
  std::optional<uint32_t> min_nodes, max_nodes;
  std::optional<uint32_t> ntasks, cpus_per_task, ntasks_per_node, ntasks_per_core;
  std::optional<uint32_t> ntasks_per_socket, threads_per_core, mincpus, cpus_per_gpu;
  std::optional<uint32_t> core_spec;
  bool overcommit = false, contiguous = false, spread_job = false, use_min_nodes = false;
  MemoryKind memory_kind = MemoryKind::kUnset;
  uint64_t memory_mb = 0;
  OptionSource memory_source = OptionSource::kDefault;
  std::optional<uint64_t> tmp_mb;
  std::vector<GresSpec> gres;  // --gres, per node
  std::optional<std::vector<GresSpec>> gpus, gpus_per_node, gpus_per_task, gpus_per_socket;
  std::optional<std::string> distribution;
  // Placement
  std::optional<std::string> constraint, nodelist, exclude;
  Sharing sharing = Sharing::kUnset;
  // Life cycle
  std::optional<std::string> dependency;  // parsed by the builder
  std::optional<ArrayOpt> array;
  bool hold = false, no_kill = false;
  std::optional<bool> requeue, kill_on_invalid_dep;
  std::optional<int32_t> nice;
  std::optional<uint32_t> priority;
  std::optional<SignalOpt> signal;
  std::vector<std::string> mail_types;  // upper case names, validated
  std::optional<std::string> mail_user;
  // Execution context
  std::optional<std::string> chdir, input, output, error, export_env, propagate;
  OpenModeOpt open_mode = OpenModeOpt::kUnset;
  bool get_user_env = false;
  std::optional<std::string> uid, gid;
  // Steps (srun) and interactive allocations (salloc, srun): job_options_steps.cc
  bool label = false, unbuffered = false, overlap = false, exact = false, no_shell = false;
  std::optional<bool> kill_on_bad_exit;
  std::optional<int64_t> immediate_s;  // -I/--immediate[=secs]; bare -I: 0
  std::optional<std::string> cpu_bind, mpi;
  // Command behaviour (not part of the job)
  std::optional<std::string> wrap;
  bool parsable = false, test_only = false, wait = false;
  bool help = false, usage = false, version = false;
  int quiet = 0, verbose = 0;
};

using OptionSetter = Status (*)(JobOptions& options, std::optional<std::string_view> value);

// One option. Rows with the same long name may exist for different commands when the
// option means different things to them (sbatch -W/--wait vs srun -W/--wait=<secs>).
struct JobOptionRow {
  std::string_view long_name;  // without "--"
  char short_name = 0;         // 0: long name only
  ArgKind arg = ArgKind::kNone;
  uint8_t commands = kAllJobCommands;
  // Input variables, comma-separated when several (the first present wins); empty: none.
  std::string_view sbatch_env;
  std::string_view salloc_env;
  std::string_view srun_env;
  OptionSetter set = nullptr;
  // Read only from the command line (sbatch --wrap, --help, ...): ignored in #SBATCH.
  bool command_line_only = false;
};

// Every row, in table order.
std::span<const JobOptionRow> JobOptionTable();

// The getopt specs of the rows `command` accepts; OptionSpec::id is the row's index + 1.
std::span<const OptionSpec> JobOptionSpecs(CommandMask command);

// The row behind a ParsedOption id from JobOptionSpecs.
const JobOptionRow& JobOptionRowById(int id);

// A failure reading options, with what a command needs to word it as Slurm does.
struct OptionFailure {
  // getopt's own complaint ("unrecognized option '--x'"): printed as "<prog>: <msg>" and
  // followed by Try "<prog> --help" for more information. Otherwise a value error,
  // printed as "<prog>: error: <line>" for each line of the message.
  bool usage = false;
  Error error;
  // Where the option came from when not the command line: "in batch script job.sh line
  // 3: #SBATCH -t x", "in input environment variable SBATCH_TIMELIMIT=x". Printed as one
  // more "<prog>: error: " line (Slurm does not name the origin; Drover adds it).
  std::string where;
};
// Empty on success.
using OptionResult = std::optional<OptionFailure>;

// Prints `failure` on `err` as Slurm words it and returns the exit code (255, Slurm's
// exit(-1) for option errors).
int ReportOptionFailure(const OptionFailure& failure, std::string_view program, std::ostream& err);

// Parses `args` with the table's rows for `command` (getopt_long semantics) and applies
// them. sbatch stops at the first positional (the script); positionals are returned.
[[nodiscard]] OptionResult ParseAndApply(std::span<const std::string> args, CommandMask command,
                                         Permute permute, JobOptions& options,
                                         std::vector<std::string>* positionals,
                                         bool skip_command_line_only = false);

// Applies every parsed option in order. Stops at the first error.
Status ApplyParsedOptions(const ParsedArgs& parsed, JobOptions& options,
                          bool skip_command_line_only = false);

// The input-variable names of a row for `command` (split on commas).
std::vector<std::string_view> EnvNamesFor(const JobOptionRow& row, CommandMask command);

// Setter helpers shared by the table's files (job_options_*.cc).
namespace job_options_internal {
Error InvalidSpec(std::string_view option);  // "Invalid --<option> specification"
Result<uint32_t> ParseCount(std::string_view option, std::string_view value, bool positive);
Result<std::pair<uint32_t, uint32_t>> ParseNodeCount(std::string_view value);
Result<SignalOpt> ParseSignal(std::string_view value);
Result<ArrayOpt> ParseArray(std::string_view value);
Result<std::vector<std::string>> ParseMailTypes(std::string_view value);
Status ValidateDistribution(std::string_view value);
std::span<const JobOptionRow> ResourceRows();  // job_options_resources.cc
std::span<const JobOptionRow> GeneralRows();   // job_options.cc
std::span<const JobOptionRow> StepRows();      // job_options_steps.cc
}  // namespace job_options_internal

}  // namespace drover::cli
