#include "cli/drover/config_check.h"

#include <pwd.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <ostream>
#include <vector>

#include "base/clock.h"
#include "cli/common/version.h"
#include "config/cgroup_conf.h"
#include "config/gres_conf.h"
#include "config/show_config.h"
#include "config/slurm_conf.h"

namespace drover::cli::drover {
namespace {

std::optional<uint32_t> UidOf(std::string_view name) {
  std::string user(name);
  struct passwd pw;
  struct passwd* found = nullptr;
  char buf[4096];
  if (getpwnam_r(user.c_str(), &pw, buf, sizeof buf, &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return found->pw_uid;
}

std::string Absolute(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) != nullptr) return resolved;
  return path;
}

// The folder of `path`, with its trailing slash ("" for a bare file name).
std::string FolderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Loads the optional file `name` beside slurm.conf with `load`, reporting as the check
// does; true when it is absent or loads.
template <typename Load>
bool CheckCompanion(const Invocation& inv, const std::string& slurm_conf, const char* name,
                    Load load) {
  std::string path = FolderOf(slurm_conf) + name;
  if (!Exists(path)) return true;
  std::vector<config::ConfigWarning> warnings;
  auto loaded = load(path, &warnings);
  for (const config::ConfigWarning& w : warnings) {
    inv.err << "drover: warning: " << w.ToString() << "\n";
  }
  if (!loaded) {
    inv.err << "drover: error: " << loaded.error().ToString() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int ConfigCheck(const Invocation& inv, std::string path) {
  if (path.empty()) path = inv.Getenv("SLURM_CONF").value_or("/etc/slurm/slurm.conf");
  std::vector<config::ConfigWarning> warnings;
  Result<config::SlurmConfig> loaded = config::LoadSlurmConf(path, &warnings);
  for (const config::ConfigWarning& w : warnings) {
    inv.err << "drover: warning: " << w.ToString() << "\n";
  }
  if (!loaded) {
    inv.err << "drover: error: " << loaded.error().ToString() << "\n";
    return 1;
  }
  // Slurm reads gres.conf and cgroup.conf from slurm.conf's folder; so does the check.
  bool companions_ok = CheckCompanion(inv, path, "gres.conf", config::LoadGresConf);
  companions_ok &= CheckCompanion(inv, path, "cgroup.conf", config::LoadCgroupConf);
  if (!companions_ok) return 1;
  config::ShowConfigContext context;
  context.now = SystemClock().Now();
  context.slurm_conf_path = Absolute(path);
  context.version = kSlurmCompatVersion;
  context.uid_of = UidOf;
  inv.out << config::FormatShowConfig(*loaded, context);
  return 0;
}

}  // namespace drover::cli::drover
