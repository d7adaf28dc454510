#include "base/duration.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace drover {
namespace {

constexpr int64_t kMaxSeconds = std::numeric_limits<int32_t>::max();

struct ParseCase {
  std::string text;
  int64_t seconds;
};
void PrintTo(const ParseCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ParseDurationValidTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseDurationValidTest, Parses) {
  const ParseCase& c = GetParam();
  Result<Duration> d = ParseDuration(c.text);
  ASSERT_TRUE(d.has_value()) << c.text << ": " << d.error().ToString();
  EXPECT_FALSE(d->infinite()) << c.text;
  EXPECT_EQ(d->seconds(), c.seconds) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    SlurmForms, ParseDurationValidTest,
    testing::Values(
        // mm: a bare number is minutes, and 0 stays zero.
        ParseCase{"0", 0}, ParseCase{"1", 60}, ParseCase{"30", 1800}, ParseCase{"90", 5400},
        ParseCase{"0030", 1800}, ParseCase{"1440", 86400},
        // mm:ss
        ParseCase{"0:04", 4}, ParseCase{"1:30", 90}, ParseCase{"30:00", 1800},
        ParseCase{"0:90", 90},  // Slurm does not range-check the fields
        // hh:mm:ss
        ParseCase{"1:00:00", 3600}, ParseCase{"01:02:03", 3723}, ParseCase{"00:30:00", 1800},
        ParseCase{"48:00:00", 172800}, ParseCase{"0:0:1", 1},
        // d-hh, d-hh:mm, d-hh:mm:ss
        ParseCase{"2-0", 172800}, ParseCase{"1-2", 93600}, ParseCase{"1-2:3", 93780},
        ParseCase{"1-02:03:04", 93784}, ParseCase{"7-00:00:00", 604800}, ParseCase{"0-0:0:0", 0},
        ParseCase{"1-30", 194400},
        // The largest limit Slurm's int of seconds holds, written three ways.
        ParseCase{"35791394", 35791394LL * 60}, ParseCase{"24855-3:14:07", kMaxSeconds},
        ParseCase{"596523:14:07", kMaxSeconds}));

class ParseDurationInvalidTest : public testing::TestWithParam<std::string> {};

TEST_P(ParseDurationInvalidTest, Rejects) {
  const std::string& text = GetParam();
  Result<Duration> d = ParseDuration(text);
  ASSERT_FALSE(d.has_value()) << "\"" << text << "\" parsed as "
                              << (d->infinite() ? -1 : d->seconds());
  EXPECT_EQ(d.error().code(), ErrorCode::kInvalidTimeValue);
  EXPECT_NE(d.error().message().find("\"" + text + "\""), std::string::npos) << d.error().message();
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseDurationInvalidTest,
    testing::Values("", "notatime", "1:2:3:4", "-5", "-2", "-0", "-1-1", "1-", "-", ":", "1:", ":5",
                    "1::2", "::", "1-2-3", "1-2:3:4:5", "1:2-3", " 5", "5 ", "5\n", "5m", "1.5",
                    "+5", "1:-2", "1-:5", "0x10", "unlimitedx", "infinity", "UNLIMIT", "1 - 2",
                    "1-2:", "1-2:3:",
                    // Overflow: past Slurm's int of seconds, and past any integer.
                    "35791395", "24855-3:14:08", "596523:14:08", "99999999999999999999999",
                    "1-99999999999999999999", "99999999999999999999-0"));

TEST(ParseDurationTest, InfiniteSpellings) {
  for (const char* text :
       {"UNLIMITED", "unlimited", "Unlimited", "INFINITE", "infinite", "InFiNiTe", "-1"}) {
    Result<Duration> d = ParseDuration(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_TRUE(d->infinite()) << text;
    EXPECT_EQ(*d, Duration::Infinite()) << text;
  }
}

TEST(DurationTest, MinutesCeilAndOrder) {
  EXPECT_EQ(Duration::FromSeconds(0).minutes_ceil(), 0);
  EXPECT_EQ(Duration::FromSeconds(1).minutes_ceil(), 1);
  EXPECT_EQ(Duration::FromSeconds(60).minutes_ceil(), 1);
  EXPECT_EQ(Duration::FromSeconds(61).minutes_ceil(), 2);
  EXPECT_EQ(Duration::Infinite().minutes_ceil(), -1);
  EXPECT_LT(Duration::FromMinutes(5), Duration::Infinite());
  EXPECT_FALSE(Duration::Infinite() < Duration::FromMinutes(5));
  EXPECT_LT(Duration::FromSeconds(4), Duration::FromSeconds(5));
}

struct FormatCase {
  int64_t seconds;
  std::string elapsed;  // squeue
  std::string hms;      // scontrol
};
void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.seconds << "s"; }

class FormatDurationTest : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatDurationTest, SqueueAndScontrolStyles) {
  const FormatCase& c = GetParam();
  Duration d = Duration::FromSeconds(c.seconds);
  EXPECT_EQ(FormatElapsed(d), c.elapsed);
  EXPECT_EQ(FormatTimeLimitSinfo(d), c.elapsed);
  EXPECT_EQ(FormatHms(d), c.hms);
}

INSTANTIATE_TEST_SUITE_P(
    Slurm, FormatDurationTest,
    testing::Values(FormatCase{0, "0:00", "00:00:00"}, FormatCase{4, "0:04", "00:00:04"},
                    FormatCase{59, "0:59", "00:00:59"}, FormatCase{60, "1:00", "00:01:00"},
                    FormatCase{1800, "30:00", "00:30:00"}, FormatCase{3599, "59:59", "00:59:59"},
                    FormatCase{3600, "1:00:00", "01:00:00"},
                    FormatCase{3723, "1:02:03", "01:02:03"},
                    FormatCase{86399, "23:59:59", "23:59:59"},
                    FormatCase{86400, "1-00:00:00", "1-00:00:00"},
                    FormatCase{93784, "1-02:03:04", "1-02:03:04"},
                    FormatCase{172800, "2-00:00:00", "2-00:00:00"},
                    FormatCase{604800, "7-00:00:00", "7-00:00:00"},
                    FormatCase{365 * 86400 + 1, "365-00:00:01", "365-00:00:01"},
                    FormatCase{kMaxSeconds, "24855-03:14:07", "24855-03:14:07"}));

TEST(FormatDurationTest, Infinite) {
  EXPECT_EQ(FormatElapsed(Duration::Infinite()), "UNLIMITED");
  EXPECT_EQ(FormatHms(Duration::Infinite()), "UNLIMITED");
  EXPECT_EQ(FormatTimeLimitSinfo(Duration::Infinite()), "infinite");
  EXPECT_EQ(FormatElapsed(Duration::Infinite(), "INVALID"), "INVALID");
  EXPECT_EQ(FormatHms(Duration::Infinite(), "NONE"), "NONE");
}

TEST(FormatDurationTest, InfiniteTextsReparse) {
  for (const std::string& text :
       {FormatElapsed(Duration::Infinite()), FormatHms(Duration::Infinite()),
        FormatTimeLimitSinfo(Duration::Infinite())}) {
    Result<Duration> d = ParseDuration(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_TRUE(d->infinite()) << text;
  }
}

rc::Gen<Duration> FiniteDurations() {
  // Small values are where the formats switch shape; large ones test the day count.
  return rc::gen::map(rc::gen::oneOf(rc::gen::inRange<int64_t>(0, 2 * 86400),
                                     rc::gen::inRange<int64_t>(0, kMaxSeconds + 1)),
                      [](int64_t s) { return Duration::FromSeconds(s); });
}

RC_GTEST_PROP(DurationProperty, FormatElapsedReparses, ()) {
  Duration d = *FiniteDurations();
  std::string text = FormatElapsed(d);
  Result<Duration> back = ParseDuration(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->seconds() == d.seconds());
}

RC_GTEST_PROP(DurationProperty, FormatHmsReparses, ()) {
  Duration d = *FiniteDurations();
  std::string text = FormatHms(d);
  Result<Duration> back = ParseDuration(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->seconds() == d.seconds());
}

RC_GTEST_PROP(DurationProperty, BareNumberIsMinutes, ()) {
  int64_t m = *rc::gen::inRange<int64_t>(0, kMaxSeconds / 60 + 1);
  Result<Duration> d = ParseDuration(std::to_string(m));
  RC_ASSERT(d.has_value());
  RC_ASSERT(*d == Duration::FromMinutes(m));
}

RC_GTEST_PROP(DurationProperty, FieldsAddUp, ()) {
  int64_t days = *rc::gen::inRange<int64_t>(0, 1000);
  int64_t h = *rc::gen::inRange<int64_t>(0, 100);
  int64_t m = *rc::gen::inRange<int64_t>(0, 100);
  int64_t s = *rc::gen::inRange<int64_t>(0, 100);
  auto at = [](const std::string& text) { return ParseDuration(text).value().seconds(); };
  RC_ASSERT(at(std::to_string(days) + "-" + std::to_string(h)) == days * 86400 + h * 3600);
  RC_ASSERT(at(std::to_string(days) + "-" + std::to_string(h) + ":" + std::to_string(m)) ==
            days * 86400 + h * 3600 + m * 60);
  RC_ASSERT(at(std::to_string(h) + ":" + std::to_string(m) + ":" + std::to_string(s)) ==
            h * 3600 + m * 60 + s);
  RC_ASSERT(at(std::to_string(m) + ":" + std::to_string(s)) == m * 60 + s);
}

RC_GTEST_PROP(DurationProperty, NeverAcceptsAboveTheCap, ()) {
  int64_t s = *rc::gen::inRange<int64_t>(kMaxSeconds + 1, kMaxSeconds * 1000);
  RC_ASSERT(!ParseDuration(FormatHms(Duration::FromSeconds(s))).has_value());
  RC_ASSERT(!ParseDuration(FormatElapsed(Duration::FromSeconds(s))).has_value());
}

}  // namespace
}  // namespace drover
