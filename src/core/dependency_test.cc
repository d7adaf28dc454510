#include "core/dependency.h"

#include <gtest/gtest.h>

namespace drover {
namespace {

TEST(DependencyTest, ParsesEveryType) {
  auto d = ParseDependency("after:1+5,afterany:2,afterok:3:4,afternotok:5,aftercorr:6,singleton");
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->items.size(), 7u);
  EXPECT_FALSE(d->any);
  EXPECT_EQ(d->items[0].kind, DependencyKind::kAfter);
  EXPECT_EQ(d->items[0].delay_s, 300);
  EXPECT_EQ(d->items[2].job, 3u);
  EXPECT_EQ(d->items[3].kind, DependencyKind::kAfterOk);
  EXPECT_EQ(d->items[3].job, 4u);
  EXPECT_EQ(d->items[6].kind, DependencyKind::kSingleton);
  EXPECT_EQ(DependencyText(*d),
            "after:1+5,afterany:2,afterok:3,afterok:4,afternotok:5,aftercorr:6,singleton");
}

TEST(DependencyTest, BareIdIsAfterAnyAndQuestionMarkIsAny) {
  auto d = ParseDependency("7?afterok:8_2");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->any);
  EXPECT_EQ(d->items[0].kind, DependencyKind::kAfterAny);
  EXPECT_EQ(d->items[1].array_task, 2u);
  EXPECT_EQ(DependencyText(*d), "afterany:7?afterok:8_2");
}

TEST(DependencyTest, RefusesMalformedText) {
  for (const char* bad : {"", "afterok", "afterok:", "afterok:x", "afterok:0", "bogus:1",
                          "afterok:1+5", "afterok:1,afterok:2?afterok:3", "after:1+x",
                          "afterok:1_y", ",", "?", ":", "::", "1,:"}) {
    auto d = ParseDependency(bad);
    ASSERT_FALSE(d.has_value()) << bad;
    EXPECT_EQ(d.error().code(), ErrorCode::kDependency) << bad;
  }
}

TEST(DependencyTest, OverallAllAndAny) {
  Dependency d = *ParseDependency("afterok:1,afterok:2");
  EXPECT_EQ(d.Overall(), DependencyStatus::kUnfulfilled);
  d.items[0].status = DependencyStatus::kFulfilled;
  EXPECT_EQ(d.Overall(), DependencyStatus::kUnfulfilled);
  d.items[1].status = DependencyStatus::kFulfilled;
  EXPECT_EQ(d.Overall(), DependencyStatus::kFulfilled);
  d.items[1].status = DependencyStatus::kFailed;
  EXPECT_EQ(d.Overall(), DependencyStatus::kFailed);

  d.any = true;
  EXPECT_EQ(d.Overall(), DependencyStatus::kFulfilled);
  d.items[0].status = DependencyStatus::kUnfulfilled;
  EXPECT_EQ(d.Overall(), DependencyStatus::kUnfulfilled);
  d.items[0].status = DependencyStatus::kFailed;
  EXPECT_EQ(d.Overall(), DependencyStatus::kFailed);
}

}  // namespace
}  // namespace drover
