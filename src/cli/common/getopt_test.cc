#include "cli/common/getopt.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace drover::cli {
namespace {

enum Id { kNodes = 1, kNtasks, kPartition, kVerbose, kParsable, kHelp, kComment, kSpread };

constexpr OptionSpec kSpecs[] = {
    {"nodes", 'N', ArgKind::kRequired, kNodes},
    {"ntasks", 'n', ArgKind::kRequired, kNtasks},
    {"partition", 'p', ArgKind::kRequired, kPartition},
    {"verbose", 'v', ArgKind::kNone, kVerbose},
    {"parsable", 0, ArgKind::kOptional, kParsable},
    {"help", 'h', ArgKind::kNone, kHelp},
    {"comment", 0, ArgKind::kRequired, kComment},
    {"spread-job", 0, ArgKind::kNone, kSpread},
};

Result<ParsedArgs> Parse(std::vector<std::string> args, Permute permute = Permute::kYes) {
  return ParseArgs(args, kSpecs, permute);
}

TEST(GetoptTest, ShortAndLongForms) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"-N2"}, {"-N", "2"}, {"--nodes=2"}, {"--nodes", "2"}, {"--no=2"}}) {
    auto parsed = Parse(args);
    ASSERT_TRUE(parsed.has_value()) << args[0];
    ASSERT_EQ(parsed->options.size(), 1u);
    EXPECT_EQ(parsed->options[0].id, kNodes);
    EXPECT_EQ(parsed->options[0].value, "2");
  }
}

TEST(GetoptTest, BundledFlagsAndAttachedValue) {
  auto parsed = Parse({"-vvp", "debug", "-vn4"});
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->options.size(), 5u);
  EXPECT_EQ(parsed->options[2].id, kPartition);
  EXPECT_EQ(parsed->options[2].value, "debug");
  EXPECT_EQ(parsed->options[4].id, kNtasks);
  EXPECT_EQ(parsed->options[4].value, "4");
}

TEST(GetoptTest, OptionalArgumentOnlyWithEquals) {
  auto parsed = Parse({"--parsable", "script.sh"});
  ASSERT_TRUE(parsed.has_value());
  EXPECT_FALSE(parsed->options[0].value.has_value());
  EXPECT_EQ(parsed->positionals, std::vector<std::string>{"script.sh"});
  parsed = Parse({"--parsable=x"});
  EXPECT_EQ(parsed->options[0].value, "x");
}

TEST(GetoptTest, PermutationAndStop) {
  auto parsed = Parse({"script.sh", "-N2", "arg"});
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->options.size(), 1u);
  EXPECT_EQ(parsed->positionals, (std::vector<std::string>{"script.sh", "arg"}));
  parsed = Parse({"-v", "script.sh", "-N2", "arg"}, Permute::kStopAtFirst);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->options.size(), 1u);
  EXPECT_EQ(parsed->positionals, (std::vector<std::string>{"script.sh", "-N2", "arg"}));
  parsed = Parse({"-v", "--", "-N2"});
  EXPECT_EQ(parsed->positionals, std::vector<std::string>{"-N2"});
  parsed = Parse({"-"});
  EXPECT_EQ(parsed->positionals, std::vector<std::string>{"-"});
}

TEST(GetoptTest, GlibcWording) {
  EXPECT_EQ(Parse({"--nosuchoption"}).error().message(), "unrecognized option '--nosuchoption'");
  EXPECT_EQ(Parse({"-Z"}).error().message(), "invalid option -- 'Z'");
  EXPECT_EQ(Parse({"-N"}).error().message(), "option requires an argument -- 'N'");
  EXPECT_EQ(Parse({"--nodes"}).error().message(), "option '--nodes' requires an argument");
  EXPECT_EQ(Parse({"--help=1"}).error().message(), "option '--help' doesn't allow an argument");
  EXPECT_EQ(Parse({"--n=1"}).error().message(),
            "option '--n' is ambiguous; possibilities: '--nodes' '--ntasks'");
}

TEST(GetoptTest, ExactMatchBeatsPrefix) {
  constexpr OptionSpec specs[] = {{"mem", 0, ArgKind::kRequired, 1},
                                  {"mem-per-cpu", 0, ArgKind::kRequired, 2}};
  std::vector<std::string> args{"--mem=4G"};
  auto parsed = ParseArgs(args, specs);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->options[0].id, 1);
}

RC_GTEST_PROP(GetoptProperty, PositionalsWithoutDashesPassThrough,
              (std::vector<std::string> words)) {
  std::vector<std::string> args;
  for (auto& w : words) {
    if (!w.empty() && w[0] != '-') args.push_back(w);
  }
  auto parsed = ParseArgs(args, kSpecs);
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(parsed->positionals == args);
  RC_ASSERT(parsed->options.empty());
}

}  // namespace
}  // namespace drover::cli
