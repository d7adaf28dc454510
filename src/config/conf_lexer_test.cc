#include "config/conf_lexer.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "config/config_values.h"

namespace drover::config {
namespace {

std::vector<ConfLine> Lex(std::string_view text, const IncludeResolver& resolver,
                          Status* status = nullptr, std::vector<ConfigWarning>* warnings = nullptr,
                          std::string_view file = "slurm.conf") {
  std::vector<ConfLine> lines;
  Status st = LexConf(
      text, file, resolver, LexOptions{},
      [&](const ConfLine& l) {
        lines.push_back(l);
        return Ok();
      },
      warnings);
  if (status != nullptr) *status = st;
  return lines;
}

TEST(ConfLexerTest, PairsCommentsAndLines) {
  MapIncludeResolver r;
  auto lines = Lex("# header\n\nKillWait=30  MinJobAge=300 # trailing\n  NodeName=n1\tCPUs=4\n", r);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].loc.line, 3);
  ASSERT_EQ(lines[0].pairs.size(), 2u);
  EXPECT_EQ(lines[0].pairs[0].key, "KillWait");
  EXPECT_EQ(lines[0].pairs[0].value, "30");
  EXPECT_EQ(lines[0].pairs[1].key, "MinJobAge");
  EXPECT_EQ(lines[1].loc.line, 4);
  EXPECT_EQ(lines[1].pairs[1].value, "4");
  EXPECT_EQ(lines[1].pairs[1].loc.ToString(), "slurm.conf:4");
}

TEST(ConfLexerTest, QuotedValuesKeepSpacesAndHashes) {
  MapIncludeResolver r;
  auto lines = Lex("DownNodes=n1 Reason=\"fan #3 broken\" State=DOWN\nA=\\#b\n", r);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0].pairs.size(), 3u);
  EXPECT_EQ(lines[0].pairs[1].value, "fan #3 broken");
  EXPECT_EQ(lines[0].pairs[2].value, "DOWN");
  EXPECT_EQ(lines[1].pairs[0].value, "#b");
}

TEST(ConfLexerTest, ContinuationLinesJoinAndKeepFirstLine) {
  MapIncludeResolver r;
  auto lines = Lex("X=1\nNodeName=n1 \\\n   CPUs=2 \\\n   RealMemory=10\nY=2\n", r);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].loc.line, 2);
  ASSERT_EQ(lines[1].pairs.size(), 3u);
  EXPECT_EQ(lines[1].pairs[2].key, "RealMemory");
  EXPECT_EQ(lines[2].loc.line, 5);
}

TEST(ConfLexerTest, CrLfAndEmptyValues) {
  MapIncludeResolver r;
  auto lines = Lex("A=1\r\nB=\r\n", r);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].pairs[0].value, "1");
  EXPECT_EQ(lines[1].pairs[0].value, "");
}

TEST(ConfLexerTest, SyntaxErrors) {
  MapIncludeResolver r;
  Status st;
  Lex("A=1\nKillWait 30\n", r, &st);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), ErrorCode::kConfigSyntax);
  EXPECT_EQ(st.error().ToString(), "slurm.conf:2: expected Key=Value, found 'KillWait'");
  Lex("Reason=\"open\n", r, &st);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().ToString(), "slurm.conf:1: unbalanced quote in the value of 'Reason'");
  Lex("=5\n", r, &st);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().ToString(), "slurm.conf:1: missing key before '='");
}

TEST(ConfLexerTest, IncludeRelativeToIncludingFile) {
  MapIncludeResolver r({{"/etc/slurm/nodes.conf", "NodeName=n1\n"},
                        {"/etc/slurm/sub/x.conf", "Include ../nodes.conf\nB=2\n"}});
  auto lines = Lex("A=1\ninclude sub/x.conf\nC=3\n", r, nullptr, nullptr, "/etc/slurm/slurm.conf");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1].loc.ToString(), "/etc/slurm/nodes.conf:1");
  EXPECT_EQ(lines[2].loc.ToString(), "/etc/slurm/sub/x.conf:2");
  EXPECT_EQ(lines[3].pairs[0].key, "C");
}

TEST(ConfLexerTest, IncludeGlobInSortedOrder) {
  MapIncludeResolver r({{"/etc/slurm/conf.d/20-b.conf", "B=2\n"},
                        {"/etc/slurm/conf.d/10-a.conf", "A=1\n"},
                        {"/etc/slurm/conf.d/readme", "not=included\n"}});
  auto lines =
      Lex("Include /etc/slurm/conf.d/*.conf\n", r, nullptr, nullptr, "/etc/slurm/slurm.conf");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].pairs[0].key, "A");
  EXPECT_EQ(lines[1].pairs[0].key, "B");
  std::vector<ConfigWarning> warnings;
  Lex("Include /nowhere/*.conf\n", r, nullptr, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
}

TEST(ConfLexerTest, IncludeClusterNameModifier) {
  MapIncludeResolver r;
  r.Add("/etc/linux_config", "X=1\n");
  LexOptions options;
  options.cluster_name = [] { return std::string("linux"); };
  int n = 0;
  Status st = LexConf(
      "include /etc/%c_config\n", "slurm.conf", r, options,
      [&](const ConfLine&) {
        ++n;
        return Ok();
      },
      nullptr);
  ASSERT_TRUE(st.has_value()) << st.error().ToString();
  EXPECT_EQ(n, 1);
}

TEST(ConfLexerTest, IncludeCycleAndMissingFile) {
  MapIncludeResolver r({{"a.conf", "Include b.conf\n"}, {"b.conf", "X=1\nInclude a.conf\n"}});
  Status st;
  Lex("Include a.conf\n", r, &st);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), ErrorCode::kConfigSyntax);
  EXPECT_EQ(st.error().ToString(),
            "b.conf:2: Include cycle: slurm.conf -> a.conf -> b.conf -> a.conf");
  Lex("Include missing.conf\n", r, &st);
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(st.error().context(), "slurm.conf:1");
}

TEST(ConfLexerTest, IncludeDepthIsBounded) {
  MapIncludeResolver r;
  for (int i = 0; i < 40; ++i) r.Add(fmt::format("f{}", i), fmt::format("Include f{}\n", i + 1));
  Status st;
  Lex("Include f0\n", r, &st, nullptr, "top");
  ASSERT_FALSE(st.has_value());
  EXPECT_NE(st.error().message().find("nested deeper"), std::string::npos);
}

TEST(ConfValuesTest, Parsers) {
  EXPECT_EQ(ParseUint("42").value(), 42u);
  EXPECT_EQ(ParseUint("abc", 1).error().message(), "expected a positive integer");
  EXPECT_EQ(ParseUint("70000", 1, 65535).error().message(), "expected an integer from 1 to 65535");
  EXPECT_EQ(ParseUint("99999999999999999999999").error().message(),
            "expected an integer from 0 to 18446744073709551615");
  EXPECT_TRUE(ParseYesNo("YES").value());
  EXPECT_FALSE(ParseYesNo("no").value());
  EXPECT_EQ(ParseCountWithSuffix("2K").value(), 2048u);
  EXPECT_EQ(ParseIndexList("0-2,5").value(), (std::vector<uint32_t>{0, 1, 2, 5}));
  EXPECT_EQ(ExpandBracketList("/dev/nvidia[0-1],/dev/x").value(),
            (std::vector<std::string>{"/dev/nvidia0", "/dev/nvidia1", "/dev/x"}));
  EXPECT_EQ(ExpandBracketList("a[01-02]b[7,9]").value(),
            (std::vector<std::string>{"a01b7", "a01b9", "a02b7", "a02b9"}));
  EXPECT_FALSE(ExpandBracketList("a[1-").has_value());
  EXPECT_EQ(ParseSecondsValue("30").value(), Duration::FromSeconds(30));
  EXPECT_TRUE(ParseSecondsValue("INFINITE", true).value().infinite());
  EXPECT_EQ(ParseMinutesValue("10").value(), Duration::FromMinutes(10));
}

}  // namespace
}  // namespace drover::config
