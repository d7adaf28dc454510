#include "base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace drover {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Error(ErrorCode::kInvalidArgument, "odd", "x");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

Status CheckEven(int x) {
  RETURN_IF_ERROR(Half(x));
  return Ok();
}

TEST(ResultTest, ValueAndError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 4);
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().ToString(), "x: odd");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(ResultTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).has_value());  // 6/2 = 3 is odd
  EXPECT_TRUE(CheckEven(4).has_value());
  EXPECT_EQ(CheckEven(5).error().message(), "odd");
}

TEST(ResultTest, AndThenTransform) {
  auto r = Half(8).and_then(Half).transform([](int v) { return std::to_string(v); });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "2");
  auto e = Half(3).transform([](int v) { return v + 1; });
  EXPECT_FALSE(e.has_value());
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, ContextChains) {
  Error e(ErrorCode::kConfigValue, "bad CPUs", "CPUs");
  EXPECT_EQ(e.WithContext("slurm.conf:3").ToString(), "slurm.conf:3: CPUs: bad CPUs");
}

TEST(ErrorCodeTest, TableTextsAndErrnos) {
  EXPECT_EQ(ErrorText(ErrorCode::kInvalidPartitionName), "Invalid partition name specified");
  EXPECT_EQ(SlurmErrno(ErrorCode::kInvalidJobId), 2017);
  EXPECT_EQ(ErrorName(ErrorCode::kInvalidJobId), "InvalidJobId");
  EXPECT_TRUE(IsKnownErrorCode(2050));
  EXPECT_FALSE(IsKnownErrorCode(2019));
  Error plain(ErrorCode::kAccountingPolicy);
  EXPECT_EQ(plain.message(),
            "Job violates accounting/QOS policy (job submit limit, user's size and/or time "
            "limits)");
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  Result<int> bad = Half(3);
  EXPECT_DEATH((void)bad.value(), "odd");
}

}  // namespace
}  // namespace drover
