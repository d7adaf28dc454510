#include "cli/common/job_ref.h"

#include <gtest/gtest.h>

namespace drover::cli {
namespace {

TEST(JobRefTest, ReadsEveryForm) {
  auto plain = ReadJobRef("42");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->job_id(), 42u);
  EXPECT_FALSE(plain->has_step());
  EXPECT_EQ(plain->array_tasks_size(), 0);

  auto tasks = ReadJobRef("44_[1-3,5%2]");
  ASSERT_TRUE(tasks);
  ASSERT_EQ(tasks->array_tasks_size(), 2);
  EXPECT_EQ(tasks->array_tasks(0).first(), 1u);
  EXPECT_EQ(tasks->array_tasks(0).last(), 3u);
  EXPECT_EQ(tasks->array_tasks(1).first(), 5u);

  auto step = ReadJobRef("46.1");
  ASSERT_TRUE(step);
  EXPECT_EQ(step->step().kind(), v1::STEP_KIND_NORMAL);
  EXPECT_EQ(step->step().step_id(), 1u);
  EXPECT_EQ(ReadJobRef("47.batch")->step().kind(), v1::STEP_KIND_BATCH);
  EXPECT_EQ(ReadJobRef("48_*")->array_tasks_size(), 0);
}

TEST(JobRefTest, RefusesWhatIsNotAJobId) {
  for (const char* bad : {"", "0", "abc", "42_", "42_[3-1]", "42.x", "-1", "42_[]"}) {
    EXPECT_FALSE(ReadJobRef(bad)) << bad;
  }
}

TEST(JobRefTest, SplitsListsOutsideBrackets) {
  EXPECT_EQ(SplitJobList("42,43 44_[1,3]"),
            (std::vector<std::string>{"42", "43", "44_[1,3]"}));
  EXPECT_EQ(SplitJobList(" , "), std::vector<std::string>{});
}

}  // namespace
}  // namespace drover::cli
