#include "cli/sprio/sprio.h"

#include <ostream>

#include "cli/common/version.h"
#include "cli/sprio/options.h"
#include "cli/sprio/render.h"

namespace drover::cli::sprio {
namespace {

constexpr const char* kUsage =
    "Usage: sprio [-j jid[s]] [-u user_name[s]] [-o format] [-p partitions]\n"
    "     [--federation] [--local] [--sibling] [--usage] [-hlnvVw]\n";

constexpr std::string_view kMultifactor = "priority/multifactor";

}  // namespace

int Run(const Invocation& inv, client::ControllerClient& client) {
  Result<Options> options = ParseOptions(inv.args);
  if (!options) {
    inv.err << "sprio: " << options.error().message() << "\n";
    if (options.error().message().rfind("error:", 0) != 0) {
      inv.err << "Try \"sprio --help\" for more information\n";
    }
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
  Result<v1::ListPrioritiesResponse> reply = client.ListPriorities(options->request);
  if (!reply) {
    inv.err << "sprio: error: " << reply.error().message() << "\n";
    return 1;
  }
  if (reply->priority_type() != kMultifactor) {
    inv.err << "You are not running a supported priority plugin\n(" << reply->priority_type()
            << ").\nOnly '" << kMultifactor << "' is supported.\n";
    return 1;
  }
  const v1::JobFilter& filter = options->request.filter();
  if (!options->weights && reply->jobs().empty() &&
      (filter.jobs_size() > 0 || filter.uids_size() > 0 || filter.user_names_size() > 0)) {
    inv.out << "Unable to find jobs matching user/id(s) specified\n";
    return 0;
  }
  Result<std::string> text = Render(*options, *reply);
  if (!text) {
    inv.err << "sprio: error: " << text.error().message() << "\n";
    return 1;
  }
  inv.out << *text;
  return 0;
}

}  // namespace drover::cli::sprio
