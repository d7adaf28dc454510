#include "cli/sbatch/sbatch.h"

#include <limits.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "base/clock.h"
#include "cli/common/input_env.h"
#include "cli/common/job_options.h"
#include "cli/common/job_spec_builder.h"
#include "cli/common/sbatch_directives.h"
#include "cli/common/version.h"

namespace drover::cli::sbatch {
namespace {

constexpr std::string_view kProg = "sbatch";

// Slurm's error_exit: 1, or SLURM_EXIT_ERROR when it holds a number.
int ErrorExit(const Invocation& inv) {
  if (auto v = inv.Getenv("SLURM_EXIT_ERROR")) {
    int code = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), code);
    if (ec == std::errc() && p == v->data() + v->size() && code != 0) return code;
  }
  return 1;
}

void PrintError(const Invocation& inv, std::string_view message) {
  inv.err << kProg << ": error: " << message << "\n";
}

// Slurm's sanity checks on a script, worded as sbatch words them. Empty when it is fine.
std::vector<std::string_view> ScriptProblems(std::string_view script) {
  if (script.empty()) return {"Batch script is empty!"};
  if (script.find_first_not_of(" \t\n\r\v\f") == std::string_view::npos) {
    return {"Batch script contains only whitespace!"};
  }
  if (!script.starts_with("#!")) {
    return {"This does not look like a batch script.  The first",
            "line must start with #! followed by the path to an interpreter.",
            "For instance: #!/bin/sh"};
  }
  if (script.find('\0') != std::string_view::npos) {
    return {"The SLURM controller does not allow scripts that", "contain a NULL character '\\0'."};
  }
  if (script.find("\r\n") != std::string_view::npos) {
    return {"Batch script contains DOS line breaks (\\r\\n)",
            "instead of expected UNIX line breaks (\\n)."};
  }
  return {};
}

std::string CurrentDir(const Invocation& inv) {
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof(buf)) != nullptr) return buf;
  return inv.Getenv("PWD").value_or("/");
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  std::string name = buf;
  return name.substr(0, name.find('.'));
}

std::string Basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Prints a refused submission: the controller's own message first when it has one.
int ReportSubmitError(const Invocation& inv, const Error& error) {
  std::string_view message = error.message();
  if (!message.empty() && message != ErrorText(error.code())) {
    while (true) {
      size_t nl = message.find('\n');
      PrintError(inv, message.substr(0, nl));
      if (nl == std::string_view::npos) break;
      message.remove_prefix(nl + 1);
    }
  }
  inv.err << kProg << ": error: Batch job submission failed: " << ErrorText(error.code()) << "\n";
  return ErrorExit(inv);
}

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client, std::istream& in) {
  // First pass over the command line: getopt errors, --help/--usage/--version, --wrap and
  // the script's name, before anything is read (Slurm's early pass). Options stop at the
  // script: what follows it is the script's own arguments.
  JobOptions first;
  first.current_source = OptionSource::kCommandLine;
  std::vector<std::string> positionals;
  if (auto failure = ParseAndApply(inv.args, kSbatch, Permute::kStopAtFirst, first, &positionals)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
  if (first.help) {
    PrintHelp(inv.out);
    return 0;
  }
  if (first.usage) {
    PrintUsage(inv.out);
    return 0;
  }
  if (first.version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }

  // The script.
  std::string script, script_name, command, default_name;
  std::vector<std::string> script_args;
  if (first.wrap) {
    if (!positionals.empty()) {
      PrintError(inv, "Script arguments not permitted with --wrap option");
      return ErrorExit(inv);
    }
    script = "#!/bin/sh\n# This script was created by sbatch --wrap.\n\n" + *first.wrap + "\n";
    script_name = "--wrap";
    default_name = "wrap";
  } else if (!positionals.empty()) {
    const std::string& path = positionals.front();
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      PrintError(inv, "Unable to open file " + path);
      return ErrorExit(inv);
    }
    script.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    script_args.assign(positionals.begin() + 1, positionals.end());
    script_name = path;
    default_name = Basename(path);
    command = path.front() == '/' ? path : CurrentDir(inv) + "/" + path;
  } else {
    script.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    script_name = "(stdin)";
    default_name = "sbatch";
  }
  if (auto problems = ScriptProblems(script); !problems.empty()) {
    for (std::string_view line : problems) PrintError(inv, line);
    return ErrorExit(inv);
  }

  // Options, lowest precedence first: #SBATCH lines, input variables, the command line.
  JobOptions options;
  if (!first.wrap) {
    if (auto failure = ApplyScriptDirectives(script, script_name, kSbatch, options)) {
      return ReportOptionFailure(*failure, kProg, inv.err);
    }
  }
  if (auto failure = ApplyInputEnvironment(inv.env, kSbatch, options)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }
  options.current_source = OptionSource::kCommandLine;
  if (auto failure = ParseAndApply(inv.args, kSbatch, Permute::kStopAtFirst, options, nullptr)) {
    return ReportOptionFailure(*failure, kProg, inv.err);
  }

  // RPCs the client interface does not offer yet: refuse rather than pretend.
  if (options.test_only) {
    PrintError(inv, std::string("allocation failure: ") +
                        std::string(ErrorText(ErrorCode::kNotSupported)));
    return ErrorExit(inv);
  }
  if (options.wait) {
    PrintError(inv, std::string("--wait: ") + std::string(ErrorText(ErrorCode::kNotSupported)));
    return ErrorExit(inv);
  }

  SubmitContext context;
  context.now = SystemClock().Now();
  context.cwd = CurrentDir(inv);
  context.env = inv.env;
  context.hostname = HostName();
  context.sid = static_cast<uint32_t>(getsid(0));
  context.caller_uid = static_cast<uint32_t>(getuid());
  context.default_name = default_name;
  context.command = command;
  context.argv = script_args;
  context.submit_line = std::string(kProg);
  for (const std::string& a : inv.args) context.submit_line += " " + a;

  auto spec = BuildJobSpec(options, context);
  if (!spec) {
    if (spec.error().code() == ErrorCode::kDependency) return ReportSubmitError(inv, spec.error());
    return ReportOptionFailure(OptionFailure{false, spec.error(), {}}, kProg, inv.err);
  }

  v1::SubmitBatchJobRequest request;
  *request.mutable_spec() = std::move(*spec);
  request.set_script(std::move(script));
  auto response = client.SubmitBatchJob(request);
  if (!response) return ReportSubmitError(inv, response.error());

  if (options.quiet == 0) {
    for (const std::string& warning : response->warnings())
      inv.err << kProg << ": " << warning << "\n";
  }
  std::string cluster = response->cluster();
  if (cluster.empty() && options.clusters) cluster = *options.clusters;
  if (options.parsable) {
    inv.out << response->job_id();
    if (options.clusters) inv.out << ";" << cluster;
    inv.out << "\n";
  } else {
    inv.out << "Submitted batch job " << response->job_id();
    if (options.clusters) inv.out << " on cluster " << cluster;
    inv.out << "\n";
  }
  return 0;
}

int Run(const Invocation& invocation, client::ControllerClient& client) {
  return Run(invocation, client, std::cin);
}

}  // namespace drover::cli::sbatch
