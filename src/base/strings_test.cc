#include "base/strings.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace drover {
namespace {

TEST(StringsTest, CaseFoldingIsAsciiOnly) {
  EXPECT_EQ(AsciiLower("NodeName=Node1"), "nodename=node1");
  EXPECT_EQ(AsciiUpper("cr_cpu_memory"), "CR_CPU_MEMORY");
  EXPECT_EQ(AsciiLower("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9");  // UTF-8 untouched
  EXPECT_TRUE(EqualsIgnoreCase("PartitionName", "partitionname"));
  EXPECT_FALSE(EqualsIgnoreCase("Partition", "Partitions"));
  EXPECT_FALSE(EqualsIgnoreCase("a[", "A{"));  // '[' and '{' differ by 0x20 but are not letters
}

TEST(StringsTest, SplitListDropsEmptyPieces) {
  EXPECT_EQ(SplitList("a,,b,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(SplitList(""), std::vector<std::string>{});
  EXPECT_EQ(SplitList("x:y", ':'), (std::vector<std::string>{"x", "y"}));
}

RC_GTEST_PROP(StringsProperty, SplitThenJoinKeepsNonEmptyPieces,
              (std::vector<std::string> pieces)) {
  std::string joined;
  std::vector<std::string> kept;
  for (std::string p : pieces) {
    std::erase(p, ',');
    if (!p.empty()) kept.push_back(p);
    joined += p + ",";
  }
  RC_ASSERT(SplitList(joined) == kept);
}

}  // namespace
}  // namespace drover
