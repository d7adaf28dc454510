#include "cli/sacct/sacct.h"

#include <unistd.h>

#include <chrono>
#include <ostream>

#include "cli/common/version.h"
#include "cli/sacct/fields.h"
#include "cli/sacct/options.h"

namespace drover::cli::sacct {
namespace {

constexpr const char* kUsage =
    "Usage: sacct [-A account] [-E endtime] [-j jobs] [-N nodes] [--name names]\n"
    "             [-o format] [-r partitions] [-s states] [-S starttime] [-u users]\n"
    "             [--delimiter c] [--json] [-abehlnpPXV]\n";

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client) {
  const auto now = std::chrono::system_clock::now();
  const uint32_t uid = static_cast<uint32_t>(getuid());
  Result<Options> options = ParseOptions(inv.args, now, uid, uid == 0);
  if (!options) {
    inv.err << "sacct: error: " << options.error().message() << "\n";
    return 1;
  }
  if (options->version) {
    inv.out << "slurm " << kSlurmCompatVersion << "\n";
    return 0;
  }
  if (options->help || options->usage) {
    inv.out << kUsage;
    return 0;
  }
  if (options->helpformat) {
    inv.out << HelpFormat();
    return 0;
  }
  Result<std::vector<Column>> columns = ResolveFields(options->fields);
  if (!columns) {
    inv.err << "sacct: error: " << columns.error().message() << "\n";
    return 1;
  }
  if (options->json) {
    inv.err << "sacct: error: --json is not supported yet\n";
    return 1;
  }
  Result<std::vector<v1::JobRecord>> jobs = client.ListJobRecords(options->request);
  if (!jobs) {
    inv.err << "sacct: error: " << jobs.error().message() << "\n";
    return 1;
  }
  const int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  inv.out << Render(*columns, Rows(*jobs, now_s, options->request.allocations_only()),
                    *options);
  return 0;
}

}  // namespace drover::cli::sacct
