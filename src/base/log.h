// The logging facade: one thin layer over spdlog so that no header but log.cc sees it
// (spdlog costs ~3 s per translation unit that includes it).
//
// A Logger belongs to a component ("ctld", "engine", "noded", "config"); lines read
//   2026-11-22T10:00:00.123 [ctld] info: JobId=42 JobState=RUNNING
// ERROR means an operator must act; INFO is one line per lifecycle event; the scheduler
// logs one summary line per cycle; DEBUG and TRACE are for developers.
//
// Thread-safety: loggers may be used from any thread; Configure() is called once at
// start-up before other threads log.
#pragma once

#include <fmt/core.h>

#include <string>
#include <string_view>

namespace drover::log {

enum class Level { kTrace, kDebug, kInfo, kWarning, kError, kOff };

// Slurm's debug level names (SlurmctldDebug=info, verbose, debug, debug2..5, error,
// quiet, fatal) mapped to ours; unknown names give nullopt-like kInfo with ok=false.
bool ParseSlurmLevel(std::string_view name, Level* level);

struct Options {
  Level level = Level::kInfo;
  std::string file;  // empty: standard error
};

// Sets the level and sink of every logger, present and future.
void Configure(const Options& options);

class Logger {
 public:
  explicit Logger(std::string_view component);

  bool Enabled(Level level) const;
  void Write(Level level, std::string_view message) const;

  template <typename... Args>
  void Log(Level level, fmt::format_string<Args...> format, Args&&... args) const {
    if (Enabled(level)) Write(level, fmt::format(format, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void Info(fmt::format_string<Args...> format, Args&&... args) const {
    Log(Level::kInfo, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Warn(fmt::format_string<Args...> format, Args&&... args) const {
    Log(Level::kWarning, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Error(fmt::format_string<Args...> format, Args&&... args) const {
    Log(Level::kError, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void Debug(fmt::format_string<Args...> format, Args&&... args) const {
    Log(Level::kDebug, format, std::forward<Args>(args)...);
  }

 private:
  std::string component_;
};

}  // namespace drover::log
