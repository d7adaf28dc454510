// droverctld: the controller daemon. Options as slurmctld takes them:
//   -D        run in the foreground (droverctld never daemonizes; accepted for scripts)
//   -f FILE   slurm.conf to read (default: $SLURM_CONF, else /etc/slurm/slurm.conf)
//   -v        more verbose logging (repeatable), on top of SlurmctldDebug
//   -V        print the version and exit
// Reads slurm.conf (refusing to start on an invalid one), opens the state store under
// StateSaveLocation (and the job accounting store beside it), listens on SlurmctldHost's
// address and SlurmctldPort, writes SlurmctldPidFile, logs to SlurmctldLogFile (stderr
// when unset). SIGHUP re-reads slurm.conf (scontrol reconfigure); SIGTERM/SIGINT shut
// down cleanly.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "acct/accounting_store.h"
#include "acct/accounting_writer.h"
#include "base/log.h"
#include "base/strings.h"
#include "ctld/controller.h"
#include "ctld/service/accounting_service.h"
#include "ctld/service/ctld_server.h"
#include "ctld/service/grpc_node_transport.h"
#include "ctld/service/names.h"
#include "rpc/runtime.h"
#include "storage/state_store.h"

namespace {

using namespace drover;

struct Flags {
  std::string conf_path;
  int verbose = 0;
};

int Usage(const char* argv0) {
  std::fprintf(stderr, "Usage: %s [-D] [-f file] [-v...] [-V]\n", argv0);
  return 1;
}

// AuthInfo=socket=/run/munge/munge.socket.2[,ttl=...]: the socket, as auth/munge reads it.
std::string MungeSocket(const config::SlurmConfig& conf) {
  for (const std::string& item : SplitList(conf.auth_info, ',')) {
    if (AsciiLower(item).starts_with("socket=")) return item.substr(7);
  }
  return "";
}

log::Level LevelFor(const config::SlurmConfig& conf, int verbose) {
  log::Level level = log::Level::kInfo;
  if (!conf.slurmctld_debug.empty() && !log::ParseSlurmLevel(conf.slurmctld_debug, &level)) {
    level = log::Level::kInfo;
  }
  for (int i = 0; i < verbose && level > log::Level::kTrace; ++i) {
    level = static_cast<log::Level>(static_cast<int>(level) - 1);
  }
  return level;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "droverctld: error: %s\n", message.c_str());
  return 1;
}

int Run(const Flags& flags) {
  Result<std::shared_ptr<const config::SlurmConfig>> conf =
      ctld::service::LoadControllerConfig(flags.conf_path);
  if (!conf) return Fail(conf.error().ToString());
  const config::SlurmConfig& c = **conf;
  log::Configure({LevelFor(c, flags.verbose), c.slurmctld_log_file});
  log::Logger log("ctld");

  std::optional<uint32_t> slurm_uid =
      ctld::service::UidOf(c.slurm_user.empty() ? "root" : c.slurm_user);
  if (!slurm_uid) return Fail("SlurmUser " + c.slurm_user + " is not a known user");

  if (c.state_save_location.empty()) return Fail("StateSaveLocation is not set");
  std::error_code ec;
  std::filesystem::create_directories(c.state_save_location, ec);
  if (ec)
    return Fail("cannot create StateSaveLocation " + c.state_save_location + ": " + ec.message());
  std::string store_path = c.state_save_location + "/drover_state.db";
  Result<std::unique_ptr<storage::StateStore>> store = storage::OpenSqliteStateStore(store_path);
  if (!store) return Fail(store.error().ToString());

  // Job accounting: an SQLite file beside the state store, written off the engine thread.
  std::string acct_path = c.state_save_location + "/drover_acct.db";
  Result<std::unique_ptr<acct::AccountingStore>> acct_store =
      acct::OpenSqliteAccountingStore(acct_path);
  if (!acct_store) return Fail(acct_store.error().ToString());
  acct::AccountingWriter acct_writer(acct_store->get(), {.cluster = c.cluster_name});
  ctld::service::AccountingJobSink acct_sink(&acct_writer);

  auth::Munge munge(MungeSocket(c));
  SystemClock clock;
  ctld::service::GrpcNodeTransport transport(munge);
  ctld::ControllerOptions copts;
  copts.config = *conf;
  copts.store = store->get();
  copts.transport = &transport;
  copts.clock = &clock;
  copts.job_sink = &acct_sink;
  copts.slurm_user_uid = *slurm_uid;
  Result<std::unique_ptr<ctld::Controller>> controller = ctld::Controller::Create(copts);
  if (!controller) return Fail(controller.error().ToString());
  transport.Attach(controller->get());

  ctld::service::ServiceOptions sopts;
  sopts.controller = controller->get();
  sopts.munge = munge;
  sopts.clock = &clock;
  sopts.slurm_user_uid = *slurm_uid;
  sopts.slurm_conf_path = flags.conf_path;
  sopts.accounting = acct_store->get();
  sopts.boot_time = clock.Now();
  sopts.controller_epoch = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(sopts.boot_time.time_since_epoch())
          .count());
  std::string address = ctld::service::ListenAddress(c);
  Result<std::unique_ptr<ctld::service::CtldServer>> server =
      ctld::service::CtldServer::Start(address, sopts);
  if (!server) {
    transport.Stop();
    return Fail(server.error().ToString());
  }
  if (!c.slurmctld_pid_file.empty()) {
    std::ofstream(c.slurmctld_pid_file) << getpid() << "\n";
  }
  log.Info("droverctld version {} started on cluster {}, listening on {}",
           ctld::service::kSlurmCompatVersion, c.cluster_name, address);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      log.Info("Reconfigure: re-reading {}", flags.conf_path);
      Result<std::shared_ptr<const config::SlurmConfig>> next =
          ctld::service::LoadControllerConfig(flags.conf_path);
      if (!next) {
        log.Error("Reconfigure refused: {}", next.error().ToString());
        continue;
      }
      if (Status s = (*controller)->Reconfigure(*next, ctld::Identity{0, 0}); !s) {
        log.Error("Reconfigure failed: {}", s.error().ToString());
      }
      continue;
    }
    log.Info("Terminate signal ({}) received, shutting down", strsignal(sig));
    break;
  }
  (*server)->Shutdown();
  transport.Stop();
  controller->reset();
  if (!c.slurmctld_pid_file.empty()) std::remove(c.slurmctld_pid_file.c_str());
  log.Info("Slurmctld shutdown completing");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  drover::rpc::TuneRuntime();
  // Every thread started later inherits this mask, so only the main thread's sigwait
  // sees these signals.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Flags flags;
  if (const char* env = std::getenv("SLURM_CONF"); env != nullptr && *env != '\0') {
    flags.conf_path = env;
  } else {
    flags.conf_path = "/etc/slurm/slurm.conf";
  }
  int opt;
  while ((opt = getopt(argc, argv, "Df:vVhcirR")) != -1) {
    switch (opt) {
      case 'D':
      case 'c':  // slurmctld's "clear state": not supported, but scripts pass it
      case 'i':
      case 'r':
      case 'R':
        break;
      case 'f':
        flags.conf_path = optarg;
        break;
      case 'v':
        ++flags.verbose;
        break;
      case 'V':
        std::printf("slurm %s\n", drover::ctld::service::kSlurmCompatVersion);
        return 0;
      default:
        return Usage(argv[0]);
    }
  }
  if (optind != argc) return Usage(argv[0]);
  return Run(flags);
}
