// MungeDaemon: a private munged for tests, with its own key, socket and run directory, so
// tests run beside the host's munged (or none) and beside each other.
//
// Start() creates a temp dir (0755, as munged wants for its socket's directory) holding a
// 0700 key dir with a fresh key (mungekey --create), runs `munged -F` on DIR/munge.sock as
// a child of this process, and returns once the socket accepts connections (polled, with
// a bounded deadline). The destructor stops it by its PID (SIGTERM, bounded wait, SIGKILL
// as a last resort) and removes the dir, so a failing test still stops its daemon. The
// child also gets SIGTERM if the thread that started it dies (PR_SET_PDEATHSIG), which
// covers a test binary that crashes: start daemons from the test's own thread.
//
// Two daemons started separately have different keys: credentials of one are foreign to
// the other. StartWithKeyOf(other) gives a daemon sharing a key, like two hosts of one
// cluster (each with its own replay cache).
//
// Thread-safety: not thread-safe; one owner (the test).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "base/result.h"

namespace drover::testing {

class MungeDaemon {
 public:
  // A daemon with a freshly generated key.
  static Result<std::unique_ptr<MungeDaemon>> Start();
  // A daemon using a copy of `other`'s key: the same cluster seen from another host.
  static Result<std::unique_ptr<MungeDaemon>> StartWithKeyOf(const MungeDaemon& other);

  MungeDaemon(const MungeDaemon&) = delete;
  MungeDaemon& operator=(const MungeDaemon&) = delete;
  ~MungeDaemon();

  // Stops the daemon (SIGTERM, wait) and leaves the directory; for "munged is down" tests.
  // Idempotent. The destructor calls it.
  void Stop();
  bool running() const { return pid_ > 0; }

  // What a client passes as MUNGE_OPT_SOCKET (auth::Munge's socket path, `munge -S`).
  const std::string& socket_path() const { return socket_path_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& dir() const { return dir_; }
  // munged's stderr (it logs there when run in the foreground).
  const std::string& log_path() const { return log_path_; }
  pid_t pid() const { return pid_; }

 private:
  explicit MungeDaemon(std::string dir);
  // REQUIRES: key_path_ holds a key. Spawns munged and waits for its socket.
  Status Launch();

  std::string dir_;
  std::string key_path_;
  std::string socket_path_;
  std::string log_path_;
  pid_t pid_ = -1;
};

}  // namespace drover::testing
