#include "cli/common/signal_fd.h"

#include <limits.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace drover::cli {

SignalFd::SignalFd(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  sigprocmask(SIG_BLOCK, &set, &previous_);
  fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

SignalFd::~SignalFd() {
  if (fd_ >= 0) close(fd_);
  sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

int SignalFd::Take() {
  signalfd_siginfo info;
  if (fd_ < 0 || read(fd_, &info, sizeof(info)) != static_cast<ssize_t>(sizeof(info))) return 0;
  return static_cast<int>(info.ssi_signo);
}

std::string ShortHostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  std::string name = buf;
  return name.substr(0, name.find('.'));
}

std::string CurrentDir(const Invocation& inv) {
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof(buf)) != nullptr) return buf;
  return inv.Getenv("PWD").value_or("/");
}

}  // namespace drover::cli
