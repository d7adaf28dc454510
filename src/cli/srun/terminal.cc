#include "cli/srun/terminal.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

namespace drover::cli::srun {
namespace {

// Signals that would end srun with the terminal still raw: the ones srun reads from its
// signalfd are blocked and never reach these handlers.
constexpr std::array<int, 16> kFatalSignals = {
    SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGTRAP,   SIGABRT, SIGBUS, SIGFPE,
    SIGSEGV, SIGTERM, SIGALRM, SIGXCPU, SIGVTALRM, SIGPROF, SIGSYS, SIGXFSZ};

// The active RawTerminal's saved mode, for the handler (see the header).
int g_fd = -1;
termios g_saved{};
volatile sig_atomic_t g_active = 0;

void RestoreAndDie(int sig) {
  if (g_active) {
    (void)tcsetattr(g_fd, TCSANOW, &g_saved);
    g_active = 0;
  }
  // SA_RESETHAND made the action the default one: it runs once this handler returns (a
  // fault is raised again by the faulting instruction).
  (void)raise(sig);
}

}  // namespace

Result<std::unique_ptr<RawTerminal>> RawTerminal::Enter(int fd) {
  if (fd < 0 || isatty(fd) != 1) {
    return Error(ErrorCode::kInvalidArgument, "not a terminal", "srun --pty");
  }
  std::unique_ptr<RawTerminal> terminal(new RawTerminal());
  terminal->fd_ = fd;
  if (tcgetattr(fd, &terminal->saved_) != 0) {
    return Error(ErrorCode::kIo, std::string("tcgetattr: ") + std::strerror(errno));
  }
  termios raw = terminal->saved_;
  cfmakeraw(&raw);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;

  g_fd = fd;
  g_saved = terminal->saved_;
  g_active = 1;
  struct sigaction action = {};
  action.sa_handler = RestoreAndDie;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    (void)sigaction(kFatalSignals[i], &action, &terminal->previous_handlers_[i]);
  }
  terminal->active_ = true;
  if (tcsetattr(fd, TCSADRAIN, &raw) != 0) {
    int err = errno;
    terminal->Restore();
    return Error(ErrorCode::kIo, std::string("tcsetattr: ") + std::strerror(err));
  }
  return terminal;
}

RawTerminal::~RawTerminal() { Restore(); }

void RawTerminal::Restore() {
  if (!active_) return;
  active_ = false;
  while (tcsetattr(fd_, TCSADRAIN, &saved_) != 0 && errno == EINTR) {
  }
  g_active = 0;
  for (size_t i = 0; i < kFatalSignals.size(); ++i) {
    (void)sigaction(kFatalSignals[i], &previous_handlers_[i], nullptr);
  }
}

std::optional<v1::WindowSize> TerminalWindowSize(int fd) {
  winsize ws{};
  if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0 || (ws.ws_row == 0 && ws.ws_col == 0)) {
    return std::nullopt;
  }
  v1::WindowSize size;
  size.set_rows(ws.ws_row);
  size.set_cols(ws.ws_col);
  return size;
}

CrlfStreambuf::int_type CrlfStreambuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  char c = traits_type::to_char_type(ch);
  if (c == '\n' && target_->sputc('\r') == traits_type::eof()) return traits_type::eof();
  return target_->sputc(c);
}

std::streamsize CrlfStreambuf::xsputn(const char* data, std::streamsize size) {
  std::streamsize done = 0;
  while (done < size) {
    const void* nl = std::memchr(data + done, '\n', static_cast<size_t>(size - done));
    std::streamsize run =
        nl == nullptr ? size - done : static_cast<const char*>(nl) - (data + done);
    if (run > 0 && target_->sputn(data + done, run) != run) return done;
    done += run;
    if (nl == nullptr) break;
    if (target_->sputn("\r\n", 2) != 2) return done;
    ++done;
  }
  return done;
}

}  // namespace drover::cli::srun
