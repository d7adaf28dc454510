// FakeClock: a Clock that moves only when a test says so.
//
// Thread-safety: Now/Advance/Set may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>

#include "base/clock.h"

namespace drover::testing {

class FakeClock final : public Clock {
 public:
  // Starts at a fixed, readable instant (2026-01-01T00:00:00Z) so logs are stable.
  FakeClock() : now_(TimePoint(std::chrono::seconds(1767225600)).time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  void Advance(std::chrono::nanoseconds d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d).count();
  }
  void Set(TimePoint t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace drover::testing
