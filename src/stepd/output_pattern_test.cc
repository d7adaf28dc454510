#include "stepd/output_pattern.h"

#include <gtest/gtest.h>

namespace drover::stepd {
namespace {

PatternContext Plain() {
  PatternContext ctx;
  ctx.job_id = 1234;
  ctx.node_name = "n7";
  ctx.user = "alice";
  ctx.job_name = "train";
  return ctx;
}

PatternContext ArrayTask() {
  PatternContext ctx = Plain();
  ctx.job_id = 1240;
  ctx.array_job_id = 1234;
  ctx.array_task_id = 6;
  return ctx;
}

struct Case {
  const char* pattern;
  bool array;
  const char* want;
};

TEST(OutputPatternTest, Table) {
  const Case cases[] = {
      {"slurm-%j.out", false, "slurm-1234.out"},
      {"%x-%u-%N.log", false, "train-alice-n7.log"},
      {"100%%-%j", false, "100%-1234"},
      {"%J", false, "1234"},
      {"%s", false, "batch"},
      {"%n-%t", false, "0-0"},
      {"%A", false, "1234"},
      {"%a", false, "4294967294"},
      {"%010j", false, "0000001234"},
      {"%3j", false, "1234"},
      {"%5N", false, "n7"},           // width ignored for names
      {"%99j", false, "0000001234"},  // capped at 10
      {"%q%j", false, "%q1234"},      // unknown letters kept
      {"end%", false, "end%"},
      {"a\\%j", false, "a%j"},  // a backslash turns expansion off
      {"slurm-%A_%a.out", true, "slurm-1234_6.out"},
      {"%j", true, "1240"},
      {"%3a", true, "006"},
      {"%b", true, "6"},
      {"%A-%4a-%x", true, "1234-0006-train"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ExpandOutputPattern(c.pattern, c.array ? ArrayTask() : Plain()), c.want) << c.pattern;
  }
}

TEST(OutputPatternTest, StepPatterns) {
  PatternContext ctx = Plain();
  ctx.step_id = 3;
  ctx.task_id = 5;
  ctx.node_index = 2;
  EXPECT_EQ(ExpandOutputPattern("%J.%s.%t.%n", ctx), "1234.3.3.5.2");
  EXPECT_EQ(ExpandOutputPattern("%2s", ctx), "03");
}

TEST(OutputPatternTest, DefaultsAndRelativePaths) {
  EXPECT_EQ(DefaultOutputPattern(false), "slurm-%j.out");
  EXPECT_EQ(DefaultOutputPattern(true), "slurm-%A_%a.out");
  EXPECT_EQ(ResolveOutputPath("", Plain(), "/home/alice/run"), "/home/alice/run/slurm-1234.out");
  EXPECT_EQ(ResolveOutputPath("", ArrayTask(), "/w/"), "/w/slurm-1234_6.out");
  EXPECT_EQ(ResolveOutputPath("out/%j.txt", Plain(), "/w"), "/w/out/1234.txt");
  EXPECT_EQ(ResolveOutputPath("/abs/%x.txt", Plain(), "/w"), "/abs/train.txt");
}

}  // namespace
}  // namespace drover::stepd
