#include "sched/timeline.h"

#include <gtest/gtest.h>

namespace drover::sched {
namespace {

TEST(TimelineTest, ReleasesAndBookings) {
  Timeline t(1);
  t.SetNode(0, {8, 800}, {2, 200});
  t.Release(0, 100, {4, 400});  // a running job ends at 100
  t.Release(0, 300, {2, 200});
  EXPECT_EQ(t.FreeAt(0, 0).cpus, 2u);
  EXPECT_EQ(t.FreeAt(0, 100).cpus, 6u);
  EXPECT_EQ(t.FreeAt(0, 300).cpus, 8u);
  EXPECT_EQ(t.MinFree(0, 100, 400).cpus, 6u);
  t.Book(0, 100, 200, {6, 600});  // a reservation
  EXPECT_EQ(t.MinFree(0, 100, 200).cpus, 0u);
  EXPECT_EQ(t.MinFree(0, 0, 150).cpus, 0u);
  EXPECT_EQ(t.FreeAt(0, 200).cpus, 6u);
  EXPECT_EQ(t.FreeAt(0, 200).mem_mb, 600u);
  // A booking ending exactly when another starts does not count twice.
  t.Book(0, 200, Timeline::kForever, {6, 0});
  EXPECT_EQ(t.MinFree(0, 199, 201).cpus, 0u);
  EXPECT_EQ(t.FreeAt(0, 1000).cpus, 2u);
  // Booking now comes off what is free now.
  t.Book(0, 0, 50, {2, 0});
  EXPECT_EQ(t.FreeAt(0, 0).cpus, 0u);
  EXPECT_EQ(t.FreeAt(0, 50).cpus, 2u);
}

TEST(TimelineTest, SameInstantChangesNet) {
  Timeline t(1);
  t.SetNode(0, {4, 0}, {0, 0});
  t.Release(0, 60, {4, 0});
  t.Book(0, 60, 120, {4, 0});  // taken the instant it frees
  EXPECT_EQ(t.MinFree(0, 0, 200).cpus, 0u);
  EXPECT_EQ(t.MinFree(0, 60, 120).cpus, 0u);
  EXPECT_EQ(t.MinFree(0, 120, 200).cpus, 4u);
}

}  // namespace
}  // namespace drover::sched
