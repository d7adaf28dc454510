#include "base/time_spec.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace drover {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Computed with the C++20 calendar, independently of the code under test.
TimePoint Utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  std::chrono::sys_days day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return TimePoint(day) + hours(hh) + minutes(mm) + seconds(ss);
}

int64_t Secs(TimePoint t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

bool HaveZone(const char* name) {
  return access((std::string("/usr/share/zoneinfo/") + name).c_str(), R_OK) == 0;
}

// Every test runs in a known zone and puts the process's TZ back afterwards.
class TimeSpecTest : public testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_tz_ = tz;
    UseZone("UTC");
  }
  void TearDown() override {
    if (saved_tz_) {
      setenv("TZ", saved_tz_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  static void UseZone(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }

  struct Case {
    std::string text;
    TimePoint want;
  };
  static void ExpectAll(TimePoint now, const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      Result<TimePoint> got = ParseTimeSpec(c.text, now);
      ASSERT_TRUE(got.has_value()) << c.text << ": " << got.error().ToString();
      EXPECT_EQ(Secs(*got), Secs(c.want))
          << c.text << " gave " << FormatIsoTime(*got) << ", want " << FormatIsoTime(c.want);
    }
  }
  static void ExpectInvalid(TimePoint now, const std::vector<std::string>& texts) {
    for (const std::string& text : texts) {
      Result<TimePoint> got = ParseTimeSpec(text, now);
      ASSERT_FALSE(got.has_value()) << "\"" << text << "\" gave " << FormatIsoTime(*got);
      EXPECT_EQ(got.error().code(), ErrorCode::kInvalidTimeValue) << text;
      EXPECT_NE(got.error().message().find("\"" + text + "\""), std::string::npos)
          << got.error().message();
    }
  }

  std::optional<std::string> saved_tz_;
};

// A Thursday afternoon; 16:00 has passed, 17:00 has not.
const TimePoint kNow = Utc(2025, 9, 18, 16, 34, 50);

TEST_F(TimeSpecTest, NowAndOffsets) {
  ExpectAll(kNow, {
                      {"now", kNow},
                      {"NOW", kNow},
                      {"now  ", kNow},
                      {"now+60", kNow + seconds(60)},
                      {"now+0", kNow},
                      {"now-30", kNow - seconds(30)},
                      {"now+1second", kNow + seconds(1)},
                      {"now+30seconds", kNow + seconds(30)},
                      {"now+5minutes", kNow + minutes(5)},
                      {"now+1minute", kNow + minutes(1)},
                      {"now+1hour", kNow + hours(1)},
                      {"now+2hours", kNow + hours(2)},
                      {"now-1hour", kNow - hours(1)},
                      {"now+2days", kNow + days(2)},
                      {"now+1day", kNow + days(1)},
                      {"now+1week", kNow + days(7)},
                      {"now+3weeks", kNow + days(21)},
                      {"now + 1 hour", kNow + hours(1)},
                      {"now+1HOUR", kNow + hours(1)},
                      {"Now+1Hours", kNow + hours(1)},
                      // A later token overrides what "now" set.
                      {"now+1day 16:00", Utc(2025, 9, 19, 16)},
                      {"now+1day 09:00", Utc(2025, 9, 19, 9)},
                  });
}

TEST_F(TimeSpecTest, NowDropsFractionsOfASecond) {
  TimePoint now = kNow + std::chrono::milliseconds(750);
  EXPECT_EQ(ParseTimeSpec("now", now).value(), kNow);
  EXPECT_EQ(ParseTimeSpec("now+1", now).value(), kNow + seconds(1));
}

TEST_F(TimeSpecTest, IsoDates) {
  ExpectAll(kNow, {
                      {"2025-09-20", Utc(2025, 9, 20)},
                      {"2025-09-20T12:34", Utc(2025, 9, 20, 12, 34)},
                      {"2025-09-20T12:34:56", Utc(2025, 9, 20, 12, 34, 56)},
                      {"2025-09-20 12:34:56", Utc(2025, 9, 20, 12, 34, 56)},
                      {"2025-09-20T9:05", Utc(2025, 9, 20, 9, 5)},
                      {"2025-09-2", Utc(2025, 9, 2)},
                      // The past is allowed when the year is given (sacct -S).
                      {"2010-01-20T12:34:00", Utc(2010, 1, 20, 12, 34)},
                      {"2024-02-29", Utc(2024, 2, 29)},
                      {"2000-02-29T23:59:59", Utc(2000, 2, 29, 23, 59, 59)},
                      {"1970-01-01T00:00:00", Utc(1970, 1, 1)},
                      {"1969-12-31T23:59:59", Utc(1969, 12, 31, 23, 59, 59)},
                      {"2262-01-01", Utc(2262, 1, 1)},
                      {"2025-09-20T04:00PM", Utc(2025, 9, 20, 16)},
                  });
}

TEST_F(TimeSpecTest, MonthDayForms) {
  ExpectAll(kNow, {
                      {"092025", Utc(2025, 9, 20)},
                      {"092024", Utc(2024, 9, 20)},
                      {"09/20/25", Utc(2025, 9, 20)},
                      {"09.20.25", Utc(2025, 9, 20)},
                      {"9/20/25", Utc(2025, 9, 20)},
                      {"09/20/25-16:00", Utc(2025, 9, 20, 16)},
                      {"09.20.25-16:00:30", Utc(2025, 9, 20, 16, 0, 30)},
                      {"092025-16:00", Utc(2025, 9, 20, 16)},
                      // Without a year: this year unless that moment has passed.
                      {"0920", Utc(2025, 9, 20)},
                      {"09/20", Utc(2025, 9, 20)},
                      {"9.20", Utc(2025, 9, 20)},
                      {"12/31", Utc(2025, 12, 31)},
                      {"0101", Utc(2026, 1, 1)},
                      {"1.5", Utc(2026, 1, 5)},
                      {"0918", Utc(2026, 9, 18)},  // today's midnight has passed
                      {"0918-17:00", Utc(2025, 9, 18, 17)},
                      {"0918-16:00", Utc(2026, 9, 18, 16)},
                      {"09/18 16:34:51", Utc(2025, 9, 18, 16, 34, 51)},
                      {"09/18 16:34:50", Utc(2026, 9, 18, 16, 34, 50)},
                  });
}

TEST_F(TimeSpecTest, BareTimeIsTheNextOne) {
  ExpectAll(kNow, {
                      {"17:00", Utc(2025, 9, 18, 17)},
                      {"16:35", Utc(2025, 9, 18, 16, 35)},
                      {"16:34:51", Utc(2025, 9, 18, 16, 34, 51)},
                      {"16:34:50", Utc(2025, 9, 19, 16, 34, 50)},  // not later than now
                      {"16:00", Utc(2025, 9, 19, 16)},
                      {"9:05", Utc(2025, 9, 19, 9, 5)},
                      {"00:00", Utc(2025, 9, 19)},
                      {"23:59:59", Utc(2025, 9, 18, 23, 59, 59)},
                      // AM and PM, with or without a blank, either case.
                      {"5:00PM", Utc(2025, 9, 18, 17)},
                      {"5:00 pm", Utc(2025, 9, 18, 17)},
                      {"4:00pm", Utc(2025, 9, 19, 16)},
                      {"12:00am", Utc(2025, 9, 19, 0)},
                      {"12:30PM", Utc(2025, 9, 19, 12, 30)},
                      {"11:59:59 PM", Utc(2025, 9, 18, 23, 59, 59)},
                      {"0:30am", Utc(2025, 9, 19, 0, 30)},
                  });
}

TEST_F(TimeSpecTest, NamedTimes) {
  ExpectAll(kNow, {
                      {"midnight", Utc(2025, 9, 19)},
                      {"noon", Utc(2025, 9, 19, 12)},
                      {"elevenses", Utc(2025, 9, 19, 11)},
                      {"fika", Utc(2025, 9, 19, 15)},
                      {"teatime", Utc(2025, 9, 19, 16)},
                      {"TEATIME", Utc(2025, 9, 19, 16)},
                      {"today", Utc(2025, 9, 18)},
                      {"Today", Utc(2025, 9, 18)},
                      {"tomorrow", Utc(2025, 9, 19)},
                  });
  // Before noon, the named times are today's.
  ExpectAll(Utc(2025, 9, 18, 9), {
                                     {"noon", Utc(2025, 9, 18, 12)},
                                     {"elevenses", Utc(2025, 9, 18, 11)},
                                     {"fika", Utc(2025, 9, 18, 15)},
                                     {"teatime", Utc(2025, 9, 18, 16)},
                                     {"midnight", Utc(2025, 9, 19)},
                                 });
}

TEST_F(TimeSpecTest, Combinations) {
  ExpectAll(kNow, {
                      {"16:00 tomorrow", Utc(2025, 9, 19, 16)},
                      {"tomorrow 16:00", Utc(2025, 9, 19, 16)},
                      {"tomorrow-16:00", Utc(2025, 9, 19, 16)},
                      {"tomorrowT09:30", Utc(2025, 9, 19, 9, 30)},
                      {"teatime tomorrow", Utc(2025, 9, 19, 16)},
                      {"tomorrow noon", Utc(2025, 9, 19, 12)},
                      {"today teatime", Utc(2025, 9, 18, 16)},  // today, even though past
                      {"noon today", Utc(2025, 9, 18, 12)},
                      {"today 17:00", Utc(2025, 9, 18, 17)},
                      {"4:00 PM tomorrow", Utc(2025, 9, 19, 16)},
                      {"2025-12-24 teatime", Utc(2025, 12, 24, 16)},
                      {"12/24 fika", Utc(2025, 12, 24, 15)},
                  });
}

TEST_F(TimeSpecTest, CalendarEdges) {
  ExpectAll(Utc(2025, 12, 31, 23), {
                                       {"tomorrow", Utc(2026, 1, 1)},
                                       {"midnight", Utc(2026, 1, 1)},
                                       {"22:00", Utc(2026, 1, 1, 22)},
                                       {"0101", Utc(2026, 1, 1)},
                                       {"12/31", Utc(2026, 12, 31)},
                                       {"12/31-23:30", Utc(2025, 12, 31, 23, 30)},
                                       {"now+1hour", Utc(2026, 1, 1)},
                                   });
  ExpectAll(Utc(2024, 2, 28, 12), {
                                      {"tomorrow", Utc(2024, 2, 29)},
                                      {"0229", Utc(2024, 2, 29)},
                                  });
  ExpectAll(Utc(2025, 4, 30, 12), {{"tomorrow", Utc(2025, 5, 1)}});
}

TEST_F(TimeSpecTest, UnixTimestamp) {
  ExpectAll(kNow, {
                      {"uts1758213290", TimePoint(seconds(1758213290))},
                      {"UTS1000000", TimePoint(seconds(1000000))},
                  });
}

TEST_F(TimeSpecTest, RejectsGarbage) {
  ExpectInvalid(
      kNow, {"", " ", "-", "T", "--", "notatime", "yesterday", "nowhere", "tomorrowx", "16:00 foo",
             "now+", "now-", "now+hour", "now+1fortnight", "now+1h", "now+1 min", "now 16:00",
             "now+5 16:00", "now tomorrow", "now*2", "now+-1", "25:00", "24:00", "16:60",
             "16:00:60", "16:0", "1:2", "16:", "1600", "13:00pm", "13:00am", "2025-13-01",
             "2025-00-10", "2025-09-00", "2025-09-32", "2025-02-30", "2025-02-29", "2025-04-31",
             "2025-9-18", "0230", "02/30/25", "09/32", "00/10", "13/01", "9/", "09/20/2",
             "2025-09-18T16:34:50Z", "2025-09-18T16:34:50+02:00", "1.5.2", "0x10", "\n", "16:00\n",
             "uts", "uts12", "utsabc", "uts999999", "uts1758213290x", "uts99999999999999999999",
             // Outside TimePoint's range (1677..2262), or an overflowing count.
             "3000-01-01", "2263-01-01", "1600-01-01", "now+99999999999999weeks",
             "now+999999999999999999999", "now+100000weeks", "now-100000weeks"});
}

TEST_F(TimeSpecTest, FormatIsoTime) {
  EXPECT_EQ(FormatIsoTime(kNow), "2025-09-18T16:34:50");
  EXPECT_EQ(FormatIsoTime(kNow + std::chrono::milliseconds(999)), "2025-09-18T16:34:50");
  EXPECT_EQ(FormatIsoTime(TimePoint()), "1970-01-01T00:00:00");
  EXPECT_EQ(FormatIsoTime(Utc(2000, 2, 29, 1, 2, 3)), "2000-02-29T01:02:03");
  EXPECT_EQ(FormatIsoTime(TimePoint() - seconds(1)), "1969-12-31T23:59:59");
}

TEST_F(TimeSpecTest, BerlinWallClock) {
  ASSERT_TRUE(HaveZone("Europe/Berlin")) << "tzdata is installed by scripts/install-deps";
  UseZone("Europe/Berlin");
  // 16:34:50 CEST (UTC+2).
  TimePoint now = Utc(2025, 9, 18, 14, 34, 50);
  EXPECT_EQ(FormatIsoTime(now), "2025-09-18T16:34:50");
  ExpectAll(now, {
                     {"now", now},
                     {"17:00", Utc(2025, 9, 18, 15)},
                     {"16:00", Utc(2025, 9, 19, 14)},
                     {"midnight", Utc(2025, 9, 18, 22)},
                     {"today", Utc(2025, 9, 17, 22)},
                     {"2025-09-18T16:34:50", now},
                     {"2025-12-24T18:00", Utc(2025, 12, 24, 17)},  // CET, UTC+1
                     {"12/24/25-18:00", Utc(2025, 12, 24, 17)},
                 });
  // Late on the evening before the clocks spring forward (2025-03-30 02:00 -> 03:00).
  TimePoint before_spring = Utc(2025, 3, 29, 22, 30);  // 23:30 CET
  EXPECT_EQ(FormatIsoTime(before_spring), "2025-03-29T23:30:00");
  ExpectAll(before_spring, {
                               // The calendar's next day, not now+24h (which is the 31st).
                               {"tomorrow", Utc(2025, 3, 29, 23)},
                               {"midnight", Utc(2025, 3, 29, 23)},
                               {"tomorrow noon", Utc(2025, 3, 30, 10)},  // CEST
                               {"now+1day", before_spring + days(1)},
                               {"2025-03-30T03:00", Utc(2025, 3, 30, 1)},
                           });
  // In the repeated hour when the clocks fall back (2025-10-26 03:00 -> 02:00), "now"
  // offsets stay exact although the wall clock cannot tell the two 02:30s apart.
  TimePoint first_0230 = Utc(2025, 10, 26, 0, 30);
  EXPECT_EQ(FormatIsoTime(first_0230), "2025-10-26T02:30:00");
  EXPECT_EQ(FormatIsoTime(first_0230 + hours(1)), "2025-10-26T02:30:00");
  ExpectAll(first_0230, {
                            {"now", first_0230},
                            {"now+1hour", first_0230 + hours(1)},
                            {"now+30minutes", first_0230 + minutes(30)},
                        });
}

TEST_F(TimeSpecTest, SeoulWallClock) {
  ASSERT_TRUE(HaveZone("Asia/Seoul")) << "tzdata is installed by scripts/install-deps";
  UseZone("Asia/Seoul");
  // 16:34:50 KST (UTC+9) is 07:34:50 UTC.
  TimePoint now = Utc(2025, 9, 18, 7, 34, 50);
  EXPECT_EQ(FormatIsoTime(now), "2025-09-18T16:34:50");
  ExpectAll(now, {
                     {"today", Utc(2025, 9, 17, 15)},
                     {"tomorrow", Utc(2025, 9, 18, 15)},
                     {"16:00", Utc(2025, 9, 19, 7)},
                     {"17:00", Utc(2025, 9, 18, 8)},
                     {"0918", Utc(2026, 9, 17, 15)},
                     {"2025-09-18T16:34:50", now},
                     {"now+1hour", now + hours(1)},
                 });
  // Just after UTC midnight it is already the next day in Seoul.
  TimePoint morning = Utc(2025, 9, 18, 23, 30);  // 2025-09-19 08:30 KST
  ExpectAll(morning, {{"today", Utc(2025, 9, 18, 15)}, {"noon", Utc(2025, 9, 19, 3)}});
}

// ---- Properties -------------------------------------------------------------------------

// Whole seconds across TimePoint's range (1677..2262).
rc::Gen<TimePoint> AnyTime() {
  return rc::gen::map(rc::gen::inRange<int64_t>(-9'000'000'000, 9'000'000'000),
                      [](int64_t s) { return TimePoint(seconds(s)); });
}
// Whole seconds from 1980 to 2200, where zones have settled on whole-hour offsets.
rc::Gen<TimePoint> ModernTime() {
  return rc::gen::map(rc::gen::inRange<int64_t>(315'532'800, 7'258'118'400),
                      [](int64_t s) { return TimePoint(seconds(s)); });
}

RC_GTEST_FIXTURE_PROP(TimeSpecTest, IsoRoundTripUtc, ()) {
  TimePoint t = *AnyTime();
  TimePoint now = *ModernTime();
  Result<TimePoint> back = ParseTimeSpec(FormatIsoTime(t), now);
  RC_ASSERT(back.has_value());
  RC_ASSERT(Secs(*back) == Secs(t));
}

void IsoRoundTripIn(const char* zone) {
  if (!HaveZone(zone)) return;  // no tzdata: nothing to check
  setenv("TZ", zone, 1);
  tzset();
  TimePoint t = *ModernTime();
  std::string text = FormatIsoTime(t);
  // In the hour the clocks fall back a wall-clock time names two instants; skip them.
  RC_PRE(FormatIsoTime(t - hours(1)) != text && FormatIsoTime(t + hours(1)) != text);
  Result<TimePoint> back = ParseTimeSpec(text, *ModernTime());
  RC_ASSERT(back.has_value());
  RC_ASSERT(Secs(*back) == Secs(t));
}

RC_GTEST_FIXTURE_PROP(TimeSpecTest, IsoRoundTripBerlin, ()) { IsoRoundTripIn("Europe/Berlin"); }
RC_GTEST_FIXTURE_PROP(TimeSpecTest, IsoRoundTripSeoul, ()) { IsoRoundTripIn("Asia/Seoul"); }
RC_GTEST_FIXTURE_PROP(TimeSpecTest, IsoRoundTripNewYork, ()) { IsoRoundTripIn("America/New_York"); }

RC_GTEST_FIXTURE_PROP(TimeSpecTest, NowOffsetsAreExact, ()) {
  TimePoint now = *ModernTime();
  int64_t n = *rc::gen::inRange<int64_t>(0, 10'000'000);
  RC_ASSERT(ParseTimeSpec("now+" + std::to_string(n), now).value() == now + seconds(n));
  RC_ASSERT(ParseTimeSpec("now-" + std::to_string(n), now).value() == now - seconds(n));
  RC_ASSERT(ParseTimeSpec("now+" + std::to_string(n) + "minutes", now).value() == now + minutes(n));
  RC_ASSERT(ParseTimeSpec("now-" + std::to_string(n % 1000) + "weeks", now).value() ==
            now - days(7 * (n % 1000)));
}

RC_GTEST_FIXTURE_PROP(TimeSpecTest, BareTimeIsWithinTheNextDay, ()) {
  TimePoint now = *ModernTime();
  int h = *rc::gen::inRange(0, 24);
  int m = *rc::gen::inRange(0, 60);
  int s = *rc::gen::inRange(0, 60);
  char text[16];
  std::snprintf(text, sizeof(text), "%02d:%02d:%02d", h, m, s);
  TimePoint got = ParseTimeSpec(text, now).value();
  RC_ASSERT(got > now);
  RC_ASSERT(got <= now + days(1));
  RC_ASSERT(FormatIsoTime(got).substr(11) == std::string(text));
}

}  // namespace
}  // namespace drover
