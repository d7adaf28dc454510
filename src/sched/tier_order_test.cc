#include "sched/tier_order.h"

#include <gtest/gtest.h>

namespace drover::sched {
namespace {

TEST(TierOrderTest, HigherTierFirstThenQueueOrder) {
  std::vector<Partition> parts(2);
  parts[0].priority_tier = 1;
  parts[1].priority_tier = 10000;  // seed 001's high_prio_debug
  std::vector<Job> jobs(4);
  for (JobId i = 0; i < 4; ++i) jobs[i].id = i + 1;
  std::vector<uint16_t> low = {0}, high = {1}, both = {0, 1};
  std::vector<PassJob> q = {{&jobs[0], low}, {&jobs[1], high}, {&jobs[2], low}, {&jobs[3], both}};
  OrderByPriorityTier(q, parts);
  std::vector<JobId> order;
  for (const auto& j : q) order.push_back(j.job->id);
  EXPECT_EQ(order, (std::vector<JobId>{2, 4, 1, 3}));
  // One tier everywhere: untouched.
  parts[1].priority_tier = 1;
  std::vector<PassJob> q2 = {{&jobs[1], high}, {&jobs[0], low}};
  OrderByPriorityTier(q2, parts);
  EXPECT_EQ(q2[0].job->id, 2u);
}

}  // namespace
}  // namespace drover::sched
