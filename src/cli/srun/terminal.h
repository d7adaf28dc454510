// The local terminal of `srun --pty`: raw mode while the step runs (every byte typed,
// ^C included, goes to the remote pseudo-terminal, and what comes back is written as is),
// the window size to send, and srun's own messages written with "\r\n" meanwhile (raw
// mode turns output processing off).
//
// RawTerminal restores the saved mode when it is destroyed or Restore()d, and, should a
// signal srun does not read from its signalfd end it first (SIGABRT, SIGSEGV, SIGALRM,
// ...), from a handler before the process dies. That handler needs the saved mode in
// static storage, so one RawTerminal may be active per process.
//
// Thread-safety: create, restore and destroy on the main thread.
#pragma once

#include <signal.h>
#include <termios.h>

#include <array>
#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>

#include "base/result.h"
#include "drover/v1/node.pb.h"

namespace drover::cli::srun {

class RawTerminal {
 public:
  // Puts the terminal on `fd` in raw mode. Errors: kInvalidArgument when `fd` is not a
  // terminal, kIo when its mode cannot be read or set.
  // REQUIRES: no other RawTerminal is active.
  static Result<std::unique_ptr<RawTerminal>> Enter(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  // Puts the saved mode back and the signal handlers as they were. Idempotent.
  void Restore();

 private:
  RawTerminal() = default;

  int fd_ = -1;
  bool active_ = false;
  termios saved_{};
  std::array<struct sigaction, 16> previous_handlers_{};
};

// The window size of the terminal on `fd`; nullopt when it is not a terminal or has none.
std::optional<v1::WindowSize> TerminalWindowSize(int fd);

// Writes to another stream's buffer, each '\n' as "\r\n".
class CrlfStreambuf final : public std::streambuf {
 public:
  explicit CrlfStreambuf(std::streambuf* target) : target_(target) {}

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* data, std::streamsize size) override;
  int sync() override { return target_->pubsync(); }

 private:
  std::streambuf* target_;
};

class CrlfOstream final : public std::ostream {
 public:
  explicit CrlfOstream(std::ostream& target) : std::ostream(&buf_), buf_(target.rdbuf()) {}

 private:
  CrlfStreambuf buf_;
};

}  // namespace drover::cli::srun
