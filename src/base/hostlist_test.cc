#include "base/hostlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace drover {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Names(std::string_view text) {
  Result<Hostlist> h = Hostlist::Parse(text);
  EXPECT_TRUE(h.has_value()) << text << ": " << h.error().ToString();
  if (!h.has_value()) return {};
  Result<std::vector<std::string>> names = h->Expand();
  EXPECT_TRUE(names.has_value()) << text;
  return names.has_value() ? *names : std::vector<std::string>{};
}

std::string Reformat(std::string_view text) { return Hostlist::Parse(text).value().ToString(); }

TEST(HostlistParseTest, SlurmExamples) {
  EXPECT_THAT(Names("server[2-5]"), ElementsAre("server2", "server3", "server4", "server5"));
  EXPECT_THAT(Names("compute-[0-2]"), ElementsAre("compute-0", "compute-1", "compute-2"));
  EXPECT_THAT(Names("n[1,3,5-7]"), ElementsAre("n1", "n3", "n5", "n6", "n7"));
  EXPECT_THAT(Names("slurm-demo.hpc-node-compute[01-02]"),
              ElementsAre("slurm-demo.hpc-node-compute01", "slurm-demo.hpc-node-compute02"));
  EXPECT_THAT(Names("login"), ElementsAre("login"));
  EXPECT_THAT(Names("a1,b[1-2],c"), ElementsAre("a1", "b1", "b2", "c"));
}

TEST(HostlistParseTest, CrossProductLeftmostSlowest) {
  EXPECT_THAT(Names("rack[1-2]-n[01-04]"),
              ElementsAre("rack1-n01", "rack1-n02", "rack1-n03", "rack1-n04", "rack2-n01",
                          "rack2-n02", "rack2-n03", "rack2-n04"));
  EXPECT_THAT(Names("a[1-2]b[3,5]c"), ElementsAre("a1b3c", "a1b5c", "a2b3c", "a2b5c"));
}

TEST(HostlistParseTest, PaddingFollowsEachLowerBound) {
  EXPECT_THAT(Names("n[01-04]"), ElementsAre("n01", "n02", "n03", "n04"));
  EXPECT_THAT(Names("n[8-10]"), ElementsAre("n8", "n9", "n10"));
  EXPECT_THAT(Names("n[098-101]"), ElementsAre("n098", "n099", "n100", "n101"));
  EXPECT_THAT(Names("n[99-0101]"), ElementsAre("n99", "n100", "n101"));
  EXPECT_THAT(Names("n[01-02,5,007]"), ElementsAre("n01", "n02", "n5", "n007"));
}

TEST(HostlistParseTest, SeparatorsAndEmptyEntries) {
  // Slurm splits on commas and whitespace outside brackets and skips empty entries.
  EXPECT_THAT(Names("  a , b[1-2]\t\nc  "), ElementsAre("a", "b1", "b2", "c"));
  EXPECT_THAT(Names("a b"), ElementsAre("a", "b"));
  EXPECT_THAT(Names("a,,b"), ElementsAre("a", "b"));
  EXPECT_THAT(Names(",a,"), ElementsAre("a"));
  EXPECT_TRUE(Hostlist::Parse("").value().empty());
  EXPECT_TRUE(Hostlist::Parse(" , ").value().empty());
}

TEST(HostlistParseTest, SuffixAndEmptyPrefix) {
  EXPECT_THAT(Names("n[1-2]-ib"), ElementsAre("n1-ib", "n2-ib"));
  EXPECT_THAT(Names("[1-3]"), ElementsAre("1", "2", "3"));
}

void ExpectInvalid(std::string_view text, std::string_view shown) {
  Result<Hostlist> h = Hostlist::Parse(text);
  ASSERT_FALSE(h.has_value()) << text;
  EXPECT_EQ(h.error().code(), ErrorCode::kInvalidHostlist) << text;
  EXPECT_THAT(h.error().message(), HasSubstr(std::string(shown))) << text;
}

TEST(HostlistParseTest, Errors) {
  ExpectInvalid("n[1-3", "\"n[1-3\": unbalanced brackets");
  ExpectInvalid("a,n[1-3,b", "\"n[1-3,b\": unbalanced brackets");
  ExpectInvalid("n1-3]", "\"n1-3]\": unbalanced brackets");
  ExpectInvalid("n[[1-2]]", "unbalanced brackets");
  ExpectInvalid("n[1]]", "unbalanced brackets");
  ExpectInvalid("ok,n[5-1]", "\"n[5-1]\": range \"5-1\" is reversed");
  ExpectInvalid("n[a-c]", "range \"a-c\" is not numeric");
  ExpectInvalid("n[1-x]", "range \"1-x\" is not numeric");
  ExpectInvalid("n[1-2-3]", "range \"1-2-3\" is not numeric");
  ExpectInvalid("n[-1]", "range \"-1\" is not numeric");
  ExpectInvalid("n[1-]", "range \"1-\" is not numeric");
  ExpectInvalid("n[1, 2]", "range \" 2\" is not numeric");
  ExpectInvalid("n[]", "\"n[]\": empty brackets");
  ExpectInvalid("n[1,,2]", "empty range");
  ExpectInvalid("n[1,]", "empty range");
  ExpectInvalid("n[1234567890123456789]", "more than 18 digits");
}

TEST(HostlistParseTest, OverflowingCountIsAnError) {
  ExpectInvalid("a[0-999999999999999999]b[0-99]", "too many names");
  // 19 ranges of 10^18 names in one bracket, and 20 entries of 10^18: both over 2^64.
  std::string group = "a[0-999999999999999999";
  for (int i = 0; i < 18; ++i) group += ",0-999999999999999999";
  ExpectInvalid(group + "]", "too many names");
  std::string many = "a[0-999999999999999999]";
  for (int i = 0; i < 19; ++i) many += ",b[0-999999999999999999]";
  ExpectInvalid(many, "too many names");
  // Just under the limit is fine: 10^19 < 2^64.
  EXPECT_EQ(Hostlist::Parse("a[0-999999999999999999]b[0-9]").value().size(),
            uint64_t{10'000'000'000'000'000'000u});
}

TEST(HostlistCountTest, HugeRangeWithoutExpanding) {
  Hostlist h = Hostlist::Parse("n[0-999999999]").value();
  EXPECT_EQ(h.size(), 1'000'000'000u);
  EXPECT_EQ(h.Nth(0), "n0");
  EXPECT_EQ(h.Nth(999'999'999), "n999999999");
  EXPECT_TRUE(h.Contains("n500000000"));
  EXPECT_FALSE(h.Contains("n1000000000"));
  EXPECT_FALSE(h.Contains("n0500"));
  EXPECT_EQ(h.ToString(), "n[0-999999999]");
  Result<std::vector<std::string>> expanded = h.Expand();
  ASSERT_FALSE(expanded.has_value());
  EXPECT_EQ(expanded.error().code(), ErrorCode::kInvalidHostlist);
}

TEST(HostlistCountTest, CrossProductWithoutExpanding) {
  Hostlist h = Hostlist::Parse("r[0-99999]-n[000-999]x[1,3],login").value();
  EXPECT_EQ(h.size(), 100'000u * 1000u * 2u + 1u);
  EXPECT_EQ(h.Nth(0), "r0-n000x1");
  EXPECT_EQ(h.Nth(1), "r0-n000x3");
  EXPECT_EQ(h.Nth(2), "r0-n001x1");
  EXPECT_EQ(h.Nth(2000), "r1-n000x1");
  EXPECT_EQ(h.Nth(h.size() - 2), "r99999-n999x3");
  EXPECT_EQ(h.Nth(h.size() - 1), "login");
  EXPECT_TRUE(h.Contains("r4242-n007x3"));
  EXPECT_FALSE(h.Contains("r4242-n007x2"));
  EXPECT_FALSE(h.Contains("r4242-n07x3"));
  EXPECT_FALSE(h.Contains("r100000-n007x3"));
}

TEST(HostlistCountTest, ManyBracketsNeedNoDeepStackOrQuadraticWork) {
  std::string text = "n";
  std::string name = "n";
  for (int i = 0; i < 100'000; ++i) {
    text += "[0" + std::to_string(i % 10) + "]-";
    name += "0" + std::to_string(i % 10) + "-";
  }
  Hostlist h = Hostlist::Parse(text + "[1-2]").value();
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.Nth(1), name + "2");
  EXPECT_TRUE(h.Contains(name + "1"));
  EXPECT_FALSE(h.Contains(name + "01"));
  EXPECT_THAT(h.Expand().value(), ElementsAre(name + "1", name + "2"));
  EXPECT_EQ(h.ToString(), name + "[1-2]");
}

TEST(HostlistExpandTest, LimitIsEnforced) {
  Hostlist h = Hostlist::Parse("n[1-10]").value();
  EXPECT_FALSE(h.Expand(9).has_value());
  ASSERT_TRUE(h.Expand(10).has_value());
  EXPECT_EQ(h.Expand(10)->size(), 10u);
}

TEST(HostlistContainsTest, PaddingMatters) {
  Hostlist h = Hostlist::Parse("n[01-10],m[8-10],[5-6]x").value();
  EXPECT_TRUE(h.Contains("n01"));
  EXPECT_FALSE(h.Contains("n1"));
  EXPECT_TRUE(h.Contains("n10"));
  EXPECT_FALSE(h.Contains("n010"));
  EXPECT_TRUE(h.Contains("m9"));
  EXPECT_FALSE(h.Contains("m09"));
  EXPECT_TRUE(h.Contains("5x"));
  EXPECT_FALSE(h.Contains("7x"));
  EXPECT_FALSE(h.Contains(""));
}

TEST(HostlistCopyTest, CopiesAreIndependentAndMovedFromIsEmpty) {
  Hostlist a = Hostlist::Parse("n[1-3]").value();
  Hostlist b = a;
  a = Hostlist::Parse("m1").value();
  EXPECT_EQ(b.ToString(), "n[1-3]");
  Hostlist c = std::move(b);
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move): documented as empty
  EXPECT_EQ(b.ToString(), "");
}

std::string Compress(std::vector<std::string> names) { return Hostlist::Compress(names); }

TEST(HostlistCompressTest, ScontrolShowHostlist) {
  EXPECT_EQ(Compress({"node1", "node2", "node3", "node5"}), "node[1-3,5]");
  EXPECT_EQ(Compress({"h003", "h002", "h001"}), "h[003,002,001]");  // not sorted
  EXPECT_EQ(Compress({"tux2", "tux1", "tux2"}), "tux[2,1-2]");      // not de-duplicated
  EXPECT_EQ(Compress({"n01", "n2"}), "n[01,2]");
  EXPECT_EQ(Compress({"n1", "n02"}), "n[1,02]");
  EXPECT_EQ(Compress({"n9", "n10", "n11"}), "n[9-11]");
  EXPECT_EQ(Compress({"n099", "n100"}), "n[099-100]");
  EXPECT_EQ(Compress({"a1", "b1", "a2"}), "a1,b1,a2");
  EXPECT_EQ(Compress({"login", "n1", "n2", "login"}), "login,n[1-2],login");
  EXPECT_EQ(Compress({"n5"}), "n5");
  EXPECT_EQ(Compress({"n1", "n3"}), "n[1,3]");
  EXPECT_EQ(Compress({"1", "2", "3"}), "[1-3]");
  EXPECT_EQ(Compress({"n1-ib", "n2-ib"}), "n1-ib,n2-ib");
  EXPECT_EQ(Compress({"rack1-n01", "rack1-n02", "rack2-n01"}), "rack1-n[01-02],rack2-n01");
  EXPECT_EQ(Compress({}), "");
  EXPECT_EQ(Compress({"n1234567890123456789", "n1234567890123456790"}),
            "n1234567890123456789,n1234567890123456790");
}

TEST(HostlistToStringTest, SlurmRangedForm) {
  EXPECT_EQ(Reformat("rack[1-2]-n[01-04]"), "rack1-n[01-04],rack2-n[01-04]");
  EXPECT_EQ(Reformat("n[1-3],n[4-5] n7"), "n[1-5,7]");
  EXPECT_EQ(Reformat("n[3,1-2]"), "n[3,1-2]");
  EXPECT_EQ(Reformat("n[1-2]-ib"), "n1-ib,n2-ib");
  EXPECT_EQ(Reformat("n[5]"), "n5");
  EXPECT_EQ(Reformat("n1[0-2]"), "n[10-12]");  // as the names print, not as written
  EXPECT_EQ(Reformat("n0[8-10]"), "n[08-09,010]");
  EXPECT_EQ(Reformat("n1[0-2],n1[3]"), "n[10-13]");
  EXPECT_EQ(Reformat("x[1-2][0-1]"), "x[10-11,20-21]");
  EXPECT_EQ(Reformat("x[9-10][9-10]"), "x[99,910,109,1010]");
  // 18 digits are a number; the 19-digit name is a plain name.
  EXPECT_EQ(Reformat("n99999999999999999[8-10]"),
            "n[999999999999999998-999999999999999999],n9999999999999999910");
  EXPECT_EQ(Reformat("a,,b"), "a,b");
}

TEST(HostlistToStringTest, KeepsBracketsWhenSlurmsFormWouldBeHuge) {
  EXPECT_EQ(Reformat("n[0-999999]-ib"), "n[0-999999]-ib");
  EXPECT_EQ(Reformat("r[0-999999]n[1-2]"), "r[0-999999]n[1-2]");
  EXPECT_EQ(Reformat("a,n[0-999999]-ib,n[1000000]-ib"), "a,n[0-999999]-ib,n1000000-ib");
  EXPECT_EQ(Reformat("r[0-9]n[1-2]"),
            "r0n[1-2],r1n[1-2],r2n[1-2],r3n[1-2],r4n[1-2],r5n[1-2],r6n[1-2],r7n[1-2],r8n[1-2],"
            "r9n[1-2]");
}

TEST(HostlistToStringTest, BudgetCoversTheWholeList) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += "x" + std::to_string(i) + "[0-99999]-ib,";
  std::string ranged = Reformat(text + "n1,n2");
  EXPECT_LT(ranged.size(), 10u << 20);
  EXPECT_TRUE(ranged.starts_with("x00-ib,x01-ib,")) << ranged.substr(0, 100);
  EXPECT_TRUE(ranged.ends_with(",x28[0-99999]-ib,x29[0-99999]-ib,n[1-2]"));
}

// Random hostlists from a small vocabulary, so that names collide, ranges touch and
// padding widths differ.
std::string GenRangeText() {
  int lo = *rc::gen::inRange(0, 30);
  int extra_zeros = *rc::gen::element(0, 0, 1, 2);
  std::string text(extra_zeros, '0');
  text += std::to_string(lo);
  if (*rc::gen::arbitrary<bool>()) text += "-" + std::to_string(lo + *rc::gen::inRange(0, 12));
  return text;
}

std::string GenEntryText() {
  std::string text = *rc::gen::element<std::string>("n", "rack", "a-", "x.y", "");
  int groups = *rc::gen::inRange(0, 3);
  if (groups == 0) return text + "h" + *rc::gen::element<std::string>("", "1", "01", "12");
  for (int g = 0; g < groups; ++g) {
    if (g > 0) text += *rc::gen::element<std::string>("-n", "x", "");
    text += "[";
    int ranges = *rc::gen::inRange(1, 4);
    for (int r = 0; r < ranges; ++r) text += (r > 0 ? "," : "") + GenRangeText();
    text += "]";
  }
  return text + *rc::gen::element<std::string>("", "", "-ib", "0");
}

std::string GenHostlistText() {
  int entries = *rc::gen::inRange(0, 5);
  std::string text;
  for (int e = 0; e < entries; ++e) {
    if (e > 0) text += *rc::gen::element<std::string>(",", ", ", " ", ",,");
    text += GenEntryText();
  }
  return text;
}

std::string GenName() {
  std::string name = *rc::gen::element<std::string>("n", "node", "a", "b-", "x.y", "r1-n");
  if (*rc::gen::inRange(0, 5) > 0) {
    name += std::string(*rc::gen::element(0, 0, 0, 1, 2), '0');
    name += std::to_string(*rc::gen::inRange(0, 25));
  }
  return name + *rc::gen::element<std::string>("", "", "", "-ib", "-ib0");
}

std::vector<std::string> GenNames() {
  int n = *rc::gen::inRange(0, 30);
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back(GenName());
  return names;
}

RC_GTEST_PROP(HostlistProperty, NthAndContainsAgreeWithExpand, ()) {
  std::string text = GenHostlistText();
  Result<Hostlist> h = Hostlist::Parse(text);
  RC_ASSERT(h.has_value());
  std::vector<std::string> names = h->Expand().value();
  RC_ASSERT(names.size() == h->size());
  std::set<std::string> set(names.begin(), names.end());
  for (uint64_t i = 0; i < names.size(); ++i) {
    RC_ASSERT(h->Nth(i) == names[i]);
    RC_ASSERT(h->Contains(names[i]));
  }
  std::vector<std::string> candidates;
  for (int i = 0; i < 20; ++i) candidates.push_back(GenName());
  // Near misses: a zero added or dropped at the start of each digit run.
  for (size_t i = 0; i < names.size() && i < 50; ++i) {
    const std::string& name = names[i];
    for (size_t p = 0; p < name.size(); ++p) {
      if (!std::isdigit(static_cast<unsigned char>(name[p]))) continue;
      if (p > 0 && std::isdigit(static_cast<unsigned char>(name[p - 1]))) continue;
      candidates.push_back(name.substr(0, p) + "0" + name.substr(p));
      if (name[p] == '0') candidates.push_back(name.substr(0, p) + name.substr(p + 1));
    }
  }
  for (const std::string& candidate : candidates) {
    RC_ASSERT(h->Contains(candidate) == (set.count(candidate) > 0));
  }
}

RC_GTEST_PROP(HostlistProperty, CompressRoundTripKeepsOrder, ()) {
  std::vector<std::string> names = GenNames();
  std::string compressed = Hostlist::Compress(names);
  Result<Hostlist> h = Hostlist::Parse(compressed);
  RC_ASSERT(h.has_value());
  RC_ASSERT(h->Expand().value() == names);
  RC_ASSERT(h->ToString() == compressed);  // the ranged form is a fixed point
}

RC_GTEST_PROP(HostlistProperty, CompressOfOneRangeIsThatRange, ()) {
  int lo = *rc::gen::inRange(0, 200);
  int hi = lo + *rc::gen::inRange(1, 150);
  size_t width = std::to_string(lo).size() + *rc::gen::inRange(0, 3);
  auto padded = [&](int v) {
    std::string digits = std::to_string(v);
    return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
  };
  std::string text = "n[" + padded(lo) + "-" + padded(hi) + "]";
  std::vector<std::string> names = Names(text);
  RC_ASSERT(names.size() == static_cast<size_t>(hi - lo + 1));
  RC_ASSERT(Hostlist::Compress(names) == text);
  RC_ASSERT(Reformat(text) == text);
}

RC_GTEST_PROP(HostlistProperty, ToStringRoundTrip, ()) {
  std::string text = GenHostlistText();
  Hostlist h = Hostlist::Parse(text).value();
  std::string ranged = h.ToString();
  Result<Hostlist> again = Hostlist::Parse(ranged);
  RC_ASSERT(again.has_value());
  RC_ASSERT(again->Expand().value() == h.Expand().value());
  RC_ASSERT(again->ToString() == ranged);
  RC_ASSERT(ranged == Hostlist::Compress(h.Expand().value()));
}

}  // namespace
}  // namespace drover
