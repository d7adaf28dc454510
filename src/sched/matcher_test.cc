#include "sched/matcher.h"

#include <gtest/gtest.h>

#include <numeric>

namespace drover::sched {
namespace {

ResourceLedger FourNodes() {
  ResourceLedger l(true);
  for (uint32_t i = 0; i < 4; ++i) l.SetNode(i, {4, 1, 1000}, true);
  return l;
}

const std::vector<uint32_t> kAll{0, 1, 2, 3};

struct Case {
  const char* name;
  MatchRequest req;
  bool fits;
  std::vector<uint32_t> nodes;  // expected node indexes
  uint32_t cpus;                // expected total CPUs
};

TEST(MatcherTest, Table) {
  Case cases[] = {
      {"one cpu", {.ntasks = 1}, true, {0}, 1},
      {"fills first node", {.ntasks = 4}, true, {0}, 4},
      {"spills to second", {.ntasks = 6}, true, {0, 1}, 6},
      {"min nodes spreads", {.min_nodes = 3, .ntasks = 3}, true, {0, 1, 2}, 3},
      {"max nodes bounds", {.min_nodes = 1, .max_nodes = 1, .ntasks = 5}, false, {}, 0},
      {"cpus per task", {.ntasks = 3, .cpus_per_task = 2}, true, {0, 1}, 6},
      {"per node cap", {.ntasks = 4, .ntasks_per_node = 2}, true, {0, 1}, 4},
      {"too big", {.ntasks = 17}, false, {}, 0},
      {"mem per node", {.ntasks = 1, .mem = MemRequest::kPerNode, .mem_mb = 1001}, false, {}, 0},
      {"mem per cpu limits tasks",
       {.ntasks = 4, .mem = MemRequest::kPerCpu, .mem_mb = 500},
       true,
       {0, 1},
       4},
      {"whole node", {.ntasks = 1, .whole_node = true}, true, {0}, 4},
      {"required", {.ntasks = 1, .required = {2}}, true, {2}, 1},
      {"excluded", {.ntasks = 1, .excluded = {0, 1}}, true, {2}, 1},
  };
  for (const auto& c : cases) {
    ResourceLedger l = FourNodes();
    auto alloc = MatchAndTake(c.req, l, kAll);
    ASSERT_EQ(alloc.has_value(), c.fits) << c.name;
    if (!alloc) continue;
    std::vector<uint32_t> nodes;
    for (const auto& a : alloc->nodes) nodes.push_back(a.node_index);
    EXPECT_EQ(nodes, c.nodes) << c.name;
    EXPECT_EQ(alloc->TotalCpus(), c.cpus) << c.name;
  }
}

TEST(MatcherTest, FeasibleIfEmptyButNotNow) {
  ResourceLedger l = FourNodes();
  MatchRequest all{.ntasks = 16};
  ASSERT_TRUE(MatchAndTake(all, l, kAll));
  MatchRequest one{.ntasks = 1};
  EXPECT_FALSE(MatchAndTake(one, l, kAll));
  EXPECT_TRUE(Plan(one, l, kAll, LedgerView::kIfEmpty));
}

TEST(MatcherTest, NothingBookedWhenItDoesNotFit) {
  ResourceLedger l = FourNodes();
  MatchRequest req{.ntasks = 20};
  EXPECT_FALSE(MatchAndTake(req, l, kAll));
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(l.alloc_cpus(i), 0u);
}

}  // namespace
}  // namespace drover::sched
