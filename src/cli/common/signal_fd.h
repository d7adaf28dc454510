// SignalFd: a set of signals blocked for the process and read from a signalfd, so a
// command's poll loop sees them beside its descriptors (salloc, srun). Destruction closes
// the descriptor and restores the previous mask. Also what a command asks of its host:
// its short name and its working directory.
//
// Thread-safety: create and destroy on the main thread, before any other thread exists.
#pragma once

#include <signal.h>

#include <initializer_list>
#include <string>

#include "cli/common/invocation.h"

namespace drover::cli {

class SignalFd {
 public:
  explicit SignalFd(std::initializer_list<int> signals);
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;

  int fd() const { return fd_; }
  // The next pending signal, or 0 when none is.
  int Take();
  // The mask to restore in a child before exec.
  const sigset_t& previous_mask() const { return previous_; }

 private:
  int fd_ = -1;
  sigset_t previous_;
};

// gethostname() up to the first dot; empty when it fails.
std::string ShortHostName();

// getcwd(), else $PWD, else "/".
std::string CurrentDir(const Invocation& invocation);

}  // namespace drover::cli
