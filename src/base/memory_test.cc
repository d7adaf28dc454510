#include "base/memory.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace drover {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

struct ParseCase {
  std::string text;
  char default_unit;
  uint64_t mb;
};
void PrintTo(const ParseCase& c, std::ostream* os) {
  *os << '"' << c.text << "\" default " << c.default_unit;
}

class ParseMemoryValidTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseMemoryValidTest, Parses) {
  const ParseCase& c = GetParam();
  Result<uint64_t> mb = ParseMemoryMb(c.text, c.default_unit);
  ASSERT_TRUE(mb.has_value()) << c.text << ": " << mb.error().ToString();
  EXPECT_EQ(*mb, c.mb) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Slurm, ParseMemoryValidTest,
    testing::Values(
        // A bare number is MiB for --mem.
        ParseCase{"100", 'M', 100}, ParseCase{"0", 'M', 0}, ParseCase{"007", 'M', 7},
        ParseCase{"515711", 'M', 515711},
        // Suffixes, either case, with or without a trailing B.
        ParseCase{"100M", 'M', 100}, ParseCase{"100m", 'M', 100}, ParseCase{"100MB", 'M', 100},
        ParseCase{"100mb", 'M', 100}, ParseCase{"100Mb", 'M', 100}, ParseCase{"10G", 'M', 10240},
        ParseCase{"10g", 'M', 10240}, ParseCase{"10GB", 'M', 10240}, ParseCase{"10gB", 'M', 10240},
        ParseCase{"2T", 'M', 2097152}, ParseCase{"2tb", 'M', 2097152},
        ParseCase{"1P", 'M', 1073741824}, ParseCase{"0G", 'M', 0},
        // KiB round up to whole MiB.
        ParseCase{"512K", 'M', 1}, ParseCase{"1k", 'M', 1}, ParseCase{"1024K", 'M', 1},
        ParseCase{"1025K", 'M', 2}, ParseCase{"2048KB", 'M', 2}, ParseCase{"0K", 'M', 0},
        // Another default unit changes only the bare number.
        ParseCase{"4", 'G', 4096}, ParseCase{"4", 'g', 4096}, ParseCase{"4M", 'G', 4},
        ParseCase{"2048", 'K', 2}, ParseCase{"100", 'K', 1}, ParseCase{"1", 'T', 1048576},
        // The edge of uint64.
        ParseCase{"18446744073709551615", 'M', kMax},
        ParseCase{"18446744073709551615K", 'M', kMax / 1024 + 1},
        ParseCase{"18014398509481983G", 'M', 18014398509481983ULL * 1024},
        ParseCase{"17592186044415T", 'M', 17592186044415ULL * 1048576},
        ParseCase{"17179869183P", 'M', 17179869183ULL * 1073741824}));

class ParseMemoryInvalidTest : public testing::TestWithParam<std::string> {};

TEST_P(ParseMemoryInvalidTest, Rejects) {
  const std::string& text = GetParam();
  Result<uint64_t> mb = ParseMemoryMb(text);
  ASSERT_FALSE(mb.has_value()) << "\"" << text << "\" parsed as " << *mb;
  EXPECT_EQ(mb.error().code(), ErrorCode::kInvalidMemory);
  EXPECT_NE(mb.error().message().find("\"" + text + "\""), std::string::npos)
      << mb.error().message();
}

INSTANTIATE_TEST_SUITE_P(Garbage, ParseMemoryInvalidTest,
                         testing::Values("", "-1", "-100M", "-0", "M", "G", "B", "GB", "10X", "10B",
                                         "10b", "10GG", "10GBB", "10GiB", "10 G", " 10", "10 ",
                                         "+10", "1.5G", "1,024", "0x10", "10E", "10KBytes", "ten",
                                         // Overflow of uint64 MiB, in the number and in the unit.
                                         "18446744073709551616", "99999999999999999999999",
                                         "18014398509481984G", "17592186044416T", "17179869184P"));

TEST(ParseMemoryTest, ErrorsSayWhy) {
  EXPECT_NE(ParseMemoryMb("-5").error().message().find("negative"), std::string::npos);
  EXPECT_NE(ParseMemoryMb("").error().message().find("empty"), std::string::npos);
  EXPECT_NE(ParseMemoryMb("5Q").error().message().find("unit"), std::string::npos);
  EXPECT_NE(ParseMemoryMb("99999999999999999999").error().message().find("large"),
            std::string::npos);
}

struct FormatCase {
  uint64_t mb;
  std::string text;
};
void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.mb << " MiB"; }

class FormatMemoryTest : public testing::TestWithParam<FormatCase> {};

TEST_P(FormatMemoryTest, TresStyle) { EXPECT_EQ(FormatMemoryMb(GetParam().mb), GetParam().text); }

INSTANTIATE_TEST_SUITE_P(
    Slurm, FormatMemoryTest,
    testing::Values(FormatCase{0, "0"}, FormatCase{1, "1M"}, FormatCase{100, "100M"},
                    FormatCase{1000, "1000M"}, FormatCase{1023, "1023M"}, FormatCase{1024, "1G"},
                    FormatCase{1536, "1536M"}, FormatCase{10240, "10G"},
                    FormatCase{515711, "515711M"}, FormatCase{1063398, "1063398M"},
                    FormatCase{1048576, "1T"}, FormatCase{1049600, "1025G"},
                    FormatCase{3145728, "3T"}, FormatCase{1073741824, "1P"},
                    FormatCase{1024ULL * 1073741824, "1024P"},  // P is the largest unit
                    FormatCase{kMax, "18446744073709551615M"}));

RC_GTEST_PROP(MemoryProperty, FormatReparses, ()) {
  // Multiples of 1024^k hit every unit; arbitrary values hit M.
  int shift = *rc::gen::inRange(0, 6);
  uint64_t base = *rc::gen::arbitrary<uint64_t>();
  uint64_t mb = shift == 0 ? base : (base >> (10 * shift)) << (10 * shift);
  std::string text = FormatMemoryMb(mb);
  Result<uint64_t> back = ParseMemoryMb(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == mb);
}

RC_GTEST_PROP(MemoryProperty, UnitsScaleByPowersOf1024, ()) {
  uint64_t n = *rc::gen::inRange<uint64_t>(0, 1ULL << 20);
  RC_ASSERT(ParseMemoryMb(std::to_string(n) + "G").value() == n * 1024);
  RC_ASSERT(ParseMemoryMb(std::to_string(n) + "t").value() == n * 1024 * 1024);
  RC_ASSERT(ParseMemoryMb(std::to_string(n) + "MB").value() == n);
  RC_ASSERT(ParseMemoryMb(std::to_string(n) + "K").value() == (n + 1023) / 1024);
  RC_ASSERT(ParseMemoryMb(std::to_string(n), 'G').value() == n * 1024);
}

}  // namespace
}  // namespace drover
