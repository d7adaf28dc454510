#include "sim/swf.h"

#include <gtest/gtest.h>

namespace drover::sim {
namespace {

const std::string kData = DROVER_TEST_DATA_DIR "/sim/";

TEST(SwfTest, ReadsTheHandWrittenTrace) {
  auto t = ReadSwfFile(kData + "tiny.swf");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_EQ(t->max_procs, 4);
  EXPECT_EQ(t->max_nodes, 1);
  ASSERT_EQ(t->jobs.size(), 3u);
  EXPECT_EQ(t->skipped, 1u);  // job 4 has no run time
  EXPECT_EQ(t->jobs[1].id, 2u);
  EXPECT_EQ(t->jobs[1].submit_s, 10);
  EXPECT_EQ(t->jobs[1].run_s, 100);
  EXPECT_EQ(t->jobs[1].limit_s, 200);
  EXPECT_EQ(t->jobs[1].cpus, 4u);
  EXPECT_EQ(t->jobs[1].user, 2u);
}

TEST(SwfTest, ErrorsNameFileLineAndField) {
  auto t = ReadSwfFile(kData + "bad_field.swf");
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().message(),
            kData + "bad_field.swf:3: field 4 (run time): invalid value 'abc': expected a number");
  auto short_line = ParseSwf("1 2 3\n", "x.swf");
  ASSERT_FALSE(short_line.has_value());
  EXPECT_EQ(short_line.error().message(), "x.swf:1: expected 18 fields, found 3");
  auto long_line = ParseSwf("\n; c\n1 0 -1 1 1 -1 -1 1 1 -1 1 1 1 -1 1 -1 -1 -1 9\n", "y.swf");
  ASSERT_FALSE(long_line.has_value());
  EXPECT_EQ(long_line.error().message(), "y.swf:3: more than 18 fields");
  EXPECT_FALSE(ReadSwfFile(kData + "missing.swf").has_value());
}

TEST(SwfTest, FillsGapsAndClampsRunToLimit) {
  // No requested processors (allocated used), no requested time (run time used), a
  // fractional average CPU time, a run longer than the limit.
  auto t = ParseSwf(
      "7 5 -1 30 8 12.5 -1 -1 -1 -1 1 -1 -1 -1 -1 -1 -1 -1\n"
      "8 6 -1 90 2 -1 -1 2 60 -1 1 3 -1 -1 -1 -1 -1 -1\n",
      "z.swf");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  ASSERT_EQ(t->jobs.size(), 2u);
  EXPECT_EQ(t->jobs[0].cpus, 8u);
  EXPECT_EQ(t->jobs[0].limit_s, 30);
  EXPECT_EQ(t->jobs[1].run_s, 60);
  EXPECT_EQ(t->jobs[1].limit_s, 60);
}

TEST(SwfTest, AFractionOfAProcessorIsOne) {
  auto t = ParseSwf("7 5 -1 0 8 12.5 -1 .1 1 -1 2 -1 -1 -1 -1 -1 -1 -1\n", "f.swf");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  ASSERT_EQ(t->jobs.size(), 1u);
  EXPECT_EQ(t->jobs[0].cpus, 1u);
  EXPECT_EQ(t->jobs[0].limit_s, 1);
}

}  // namespace
}  // namespace drover::sim
