// Clock: where every Drover component reads the time, so tests and the simulator can
// drive time by hand. Policy code never reads a clock; it is handed `now`.
//
// SystemClock reads the wall clock; FakeClock (tests/testing) advances only when told.
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <chrono>

namespace drover {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace drover
