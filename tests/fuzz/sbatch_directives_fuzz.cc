// Fuzzes the #SBATCH directive reader and the option parse of its words: arbitrary bytes
// as a batch script, read for directives and applied to a JobOptions through sbatch's
// option table, then built into a JobSpec. Nothing may crash, and a reader that accepts
// the script must report lines within it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/common/job_spec_builder.h"
#include "cli/common/sbatch_directives.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view script(reinterpret_cast<const char*>(data), size);
  auto directives = drover::cli::ReadDirectives(script);
  if (directives) {
    size_t lines = 1;
    for (char c : script) lines += c == '\n';
    for (const auto& d : *directives) {
      if (d.line < 1 || static_cast<size_t>(d.line) > lines) __builtin_trap();
      if (d.args.empty()) __builtin_trap();
    }
  }
  drover::cli::JobOptions options;
  auto failure =
      drover::cli::ApplyScriptDirectives(script, "fuzz.sh", drover::cli::kSbatch, options);
  if (!failure) {
    drover::cli::SubmitContext context;
    context.cwd = "/tmp";
    (void)drover::cli::BuildJobSpec(options, context);
  } else if (failure->error.message().empty()) {
    __builtin_trap();
  }
  return 0;
}
