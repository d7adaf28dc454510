#include <gtest/gtest.h>

#include "sched/policy/priority_basic.h"
#include "sched/policy/registry.h"
#include "sched/policy/select_cons_tres.h"

namespace drover::sched {
namespace {

TEST(PolicyTest, RegistryByName) {
  EXPECT_TRUE(MakePriorityPolicy("priority/basic").has_value());
  EXPECT_EQ(MakePriorityPolicy("priority/nope").error().code(), ErrorCode::kNotSupported);
  EXPECT_TRUE(MakeSelectPolicy("select/cons_tres", {}, "CR_CPU").has_value());
}

TEST(PolicyTest, BasicIsFifoMinusNice) {
  BasicPriority p;
  auto spec = std::make_shared<JobSpec>();
  Job a{.id = 1, .spec = spec, .submit_seq = 1};
  Job b{.id = 2, .spec = spec, .submit_seq = 2};
  EXPECT_GT(p.Priority(a, nullptr, {}), p.Priority(b, nullptr, {}));
  Job c = b;
  c.nice = -10;
  EXPECT_GT(p.Priority(c, nullptr, {}), p.Priority(a, nullptr, {}));
}

TEST(PolicyTest, ConsTresMemoryDefaults) {
  ConsTresSelect sel("CR_Core_Memory", 100, std::nullopt);
  auto spec = std::make_shared<JobSpec>();
  Job j{.id = 1, .spec = spec};
  Partition p;
  MatchRequest r = sel.BuildRequest(j, p);
  EXPECT_EQ(r.mem, MemRequest::kPerCpu);
  EXPECT_EQ(r.mem_mb, 100u);
  EXPECT_TRUE(r.whole_cores);
  p.def_mem_per_cpu_mb = 50;
  EXPECT_EQ(sel.BuildRequest(j, p).mem_mb, 50u);
  ConsTresSelect none("CR_Core_Memory", std::nullopt, std::nullopt);
  EXPECT_EQ(none.BuildRequest(j, Partition{}).mem, MemRequest::kWholeNode);
  p.over_subscribe = PartitionOverSubscribe::kForce;
  p.over_subscribe_count = 4;
  EXPECT_EQ(sel.BuildRequest(j, p).share_limit, 4);
}

}  // namespace
}  // namespace drover::sched
