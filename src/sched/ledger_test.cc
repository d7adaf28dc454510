#include "sched/ledger.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

namespace drover::sched {
namespace {

TEST(LedgerTest, TakeAndRelease) {
  ResourceLedger l(true);
  l.SetNode(0, {4, 1, 1000}, true);
  auto a = l.Take(0, 3, 600, 1, false, false);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->cpus, (std::vector<uint16_t>{0, 1, 2}));
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kNow), 1u);
  EXPECT_EQ(l.FreeMemMb(0, LedgerView::kNow), 400u);
  EXPECT_FALSE(l.Take(0, 1, 500, 1, false, false).has_value());  // memory
  EXPECT_FALSE(l.Take(0, 2, 100, 1, false, false).has_value());  // CPUs
  l.Release(*a);
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kNow), 4u);
  EXPECT_EQ(l.alloc_mem_mb(0), 0u);
}

TEST(LedgerTest, WholeCoresAndWholeNode) {
  ResourceLedger l(false);
  l.SetNode(0, {8, 2, 1000}, true);
  auto a = l.Take(0, 2, 0, 1, true, false);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(l.FreeCpus(0, 1, true, false, LedgerView::kNow), 6u);
  EXPECT_EQ(l.FreeCpus(0, 1, true, true, LedgerView::kNow), 0u);  // not empty
  EXPECT_EQ(l.FreeCpus(0, 1, true, true, LedgerView::kIfEmpty), 8u);
  l.Release(*a);
  auto w = l.Take(0, 8, 0, 1, false, true);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(l.FreeCpus(0, 4, false, false, LedgerView::kNow), 0u);
}

TEST(LedgerTest, SharingBoundedByLimit) {
  ResourceLedger l(false);
  l.SetNode(0, {2, 1, 100}, true);
  ASSERT_TRUE(l.Take(0, 2, 0, 2, false, false).has_value());
  ASSERT_TRUE(l.Take(0, 2, 0, 2, false, false).has_value());
  EXPECT_FALSE(l.Take(0, 1, 0, 2, false, false).has_value());
  EXPECT_FALSE(l.Take(0, 1, 0, 1, false, false).has_value());  // not shareable by others
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kIfEmptyAnyState), 2u);
}

TEST(LedgerTest, UnschedulableNodesOnlyInAnyStateView) {
  ResourceLedger l(true);
  l.SetNode(0, {4, 1, 100}, false);
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kNow), 0u);
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kIfEmpty), 0u);
  EXPECT_EQ(l.FreeCpus(0, 1, false, false, LedgerView::kIfEmptyAnyState), 4u);
}

// Whatever sequence of takes, books and releases, no node is ever over-allocated.
RC_GTEST_PROP(LedgerProperty, NeverOverAllocates, ()) {
  const auto cpus = *rc::gen::inRange<uint32_t>(1, 17);
  const auto mem = *rc::gen::inRange<uint64_t>(1, 5000);
  const auto tpc = *rc::gen::element<uint32_t>(1, 2);
  ResourceLedger l(true);
  l.SetNode(0, {cpus, tpc, mem}, true);
  std::vector<NodeAllocation> held;
  const auto steps = *rc::gen::inRange(1, 60);
  for (int i = 0; i < steps; ++i) {
    if (!held.empty() && *rc::gen::inRange(0, 3) == 0) {
      size_t k = *rc::gen::inRange<size_t>(0, held.size());
      l.Release(held[k]);
      held.erase(held.begin() + k);
    } else {
      auto want = *rc::gen::inRange<uint32_t>(0, cpus + 2);
      auto m = *rc::gen::inRange<uint64_t>(0, mem + 100);
      auto share = *rc::gen::element<uint8_t>(1, 1, 2, 4);
      auto whole_cores = *rc::gen::arbitrary<bool>();
      auto whole_node = *rc::gen::inRange(0, 8) == 0;
      auto a = l.Take(0, want, m, share, whole_cores, whole_node);
      if (a) held.push_back(*a);
    }
    // Recount from what is held.
    uint64_t used_mem = 0;
    std::vector<int> exclusive(cpus, 0), shared(cpus, 0);
    std::vector<int> min_limit(cpus, 255);
    int whole = 0;
    for (const auto& a : held) {
      used_mem += a.mem_mb;
      whole += a.whole_node ? 1 : 0;
      for (uint16_t c : a.cpus) {
        RC_ASSERT(c < cpus);
        if (a.share_limit <= 1) {
          ++exclusive[c];
        } else {
          ++shared[c];
          min_limit[c] = std::min<int>(min_limit[c], a.share_limit);
        }
      }
    }
    RC_ASSERT(used_mem <= mem);
    RC_ASSERT(whole == 0 || held.size() == 1);
    for (uint32_t c = 0; c < cpus; ++c) {
      RC_ASSERT(exclusive[c] <= 1);
      RC_ASSERT(exclusive[c] == 0 || shared[c] == 0);
      RC_ASSERT(shared[c] <= min_limit[c]);
    }
  }
}

}  // namespace
}  // namespace drover::sched
