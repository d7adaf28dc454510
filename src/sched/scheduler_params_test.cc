#include "sched/scheduler_params.h"

#include <gtest/gtest.h>

namespace drover::sched {
namespace {

TEST(SchedulerParamsTest, DefaultsAndValues) {
  auto d = ParseSchedulerParams("");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->bf_interval_s, 30);
  EXPECT_EQ(d->bf_window_min, 1440);
  EXPECT_EQ(d->bf_resolution_s, 60);
  EXPECT_EQ(d->bf_max_job_test, 500u);
  EXPECT_EQ(d->default_queue_depth, 100u);
  auto p = ParseSchedulerParams(
      "bf_interval=10, BF_WINDOW=2880,bf_resolution=300,bf_max_job_test=1000,"
      "bf_max_job_user=20,bf_job_part_count_reserve=1,default_queue_depth=50,"
      "bf_continue,max_rpc_cnt=150");
  ASSERT_TRUE(p.has_value()) << p.error().ToString();
  EXPECT_EQ(p->bf_interval_s, 10);
  EXPECT_EQ(p->bf_window_min, 2880);
  EXPECT_EQ(p->bf_resolution_s, 300);
  EXPECT_EQ(p->bf_max_job_test, 1000u);
  EXPECT_EQ(p->bf_max_job_user, 20u);
  EXPECT_EQ(p->bf_job_part_count_reserve, 1u);
  EXPECT_EQ(p->default_queue_depth, 50u);
  EXPECT_EQ(p->ignored, (std::vector<std::string>{"bf_continue", "max_rpc_cnt=150"}));
}

TEST(SchedulerParamsTest, Errors) {
  auto e = ParseSchedulerParams("bf_window=abc");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code(), ErrorCode::kConfigValue);
  EXPECT_EQ(e.error().message(),
            "SchedulerParameters: bf_window: invalid value 'abc': expected a positive integer");
  EXPECT_FALSE(ParseSchedulerParams("bf_interval=0").has_value());
  EXPECT_FALSE(ParseSchedulerParams("bf_max_job_test=").has_value());
  EXPECT_FALSE(ParseSchedulerParams("bf_resolution=-5").has_value());
  EXPECT_TRUE(ParseSchedulerParams("bf_max_job_user=0").has_value());
}

}  // namespace
}  // namespace drover::sched
