#include "base/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <mutex>

namespace drover::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};

// The one sink every logger writes to; replaced by Configure(). Guarded by SinkMutex().
std::shared_ptr<spdlog::logger>& Sink() {
  static auto* sink = new std::shared_ptr<spdlog::logger>(spdlog::stderr_logger_mt("drover"));
  return *sink;
}
std::mutex& SinkMutex() {
  static auto* mu = new std::mutex;
  return *mu;
}

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kTrace: return spdlog::level::trace;
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarning: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

bool ParseSlurmLevel(std::string_view name, Level* level) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "quiet") *level = Level::kOff;
  else if (lower == "fatal" || lower == "error") *level = Level::kError;
  else if (lower == "info" || lower == "verbose") *level = Level::kInfo;
  else if (lower == "debug" || lower == "debug2") *level = Level::kDebug;
  else if (lower == "debug3" || lower == "debug4" || lower == "debug5") *level = Level::kTrace;
  else return false;
  return true;
}

void Configure(const Options& options) {
  g_level = options.level;
  std::shared_ptr<spdlog::logger> logger;
  if (options.file.empty()) {
    logger = std::make_shared<spdlog::logger>(
        "drover", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "drover", std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::info);
  std::lock_guard lock(SinkMutex());
  Sink() = std::move(logger);
}

Logger::Logger(std::string_view component) : component_(component) {}

bool Logger::Enabled(Level level) const {
  Level current = g_level.load(std::memory_order_relaxed);
  return current != Level::kOff && level >= current;
}

void Logger::Write(Level level, std::string_view message) const {
  std::shared_ptr<spdlog::logger> sink;
  {
    std::lock_guard lock(SinkMutex());
    sink = Sink();
  }
  sink->log(ToSpd(level), "[{}] {}: {}", component_, spdlog::level::to_string_view(ToSpd(level)),
            message);
}

}  // namespace drover::log
