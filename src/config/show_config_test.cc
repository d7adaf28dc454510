#include "config/show_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace drover::config {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The reference output without the "$ scontrol show config" and "[exit=0]" lines.
std::vector<std::string> ReferenceLines() {
  // A copy of shared/reference/scontrol_show_config.txt (Slurm 22.05 on anchor.conf).
  std::ifstream in(std::string(DROVER_TEST_DATA_DIR) + "/config/anchor_show_config.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> lines = Lines(ss.str());
  if (!lines.empty() && lines.front().rfind("$ ", 0) == 0) lines.erase(lines.begin());
  if (!lines.empty() && lines.back().rfind("[exit=", 0) == 0) lines.pop_back();
  return lines;
}

ShowConfigContext AnchorContext() {
  ShowConfigContext ctx;
  ctx.now = std::chrono::system_clock::now();
  ctx.slurm_conf_path = "/etc/slurm/slurm.conf";
  ctx.version = "22.05.8";
  ctx.boot_time = ctx.now - std::chrono::hours(1);
  ctx.next_job_id = 35493;
  ctx.hash_val = "Match";
  ctx.uid_of = [](std::string_view user) -> std::optional<uint32_t> {
    if (user == "root") return 0;
    return std::nullopt;
  };
  ctx.controllers = {{"vm", true}};
  return ctx;
}

std::string KeyOf(const std::string& line) {
  size_t eq = line.find(" = ");
  if (eq == std::string::npos) return line;
  std::string key = line.substr(0, eq);
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

TEST(ShowConfigTest, AnchorMatchesReferenceLineForLine) {
  auto config = LoadSlurmConf(std::string(DROVER_TEST_DATA_DIR) + "/config/anchor.conf", nullptr);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  std::vector<std::string> got = Lines(FormatShowConfig(*config, AnchorContext()));
  std::vector<std::string> want = ReferenceLines();
  ASSERT_GT(want.size(), 200u);
  ASSERT_EQ(got.size(), want.size());
  // Lines whose values only the live controller (or the client's build) knows.
  const std::set<std::string> live = {"BOOT_TIME", "NEXT_JOB_ID", "HASH_VAL", "SLURM_CONF",
                                      "SLURM_VERSION"};
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)");
  ASSERT_EQ(got[0].rfind("Configuration data as of ", 0), 0u);
  EXPECT_TRUE(std::regex_match(got[0].substr(25), iso)) << got[0];
  int compared = 0;
  for (size_t i = 1; i < want.size(); ++i) {
    ASSERT_EQ(KeyOf(got[i]), KeyOf(want[i])) << "line " << i + 1;
    if (live.count(KeyOf(want[i]))) continue;
    EXPECT_EQ(got[i], want[i]) << "line " << i + 1;
    ++compared;
  }
  EXPECT_GT(compared, 200);
}

TEST(ShowConfigTest, NoControllerMeansNoLiveLines) {
  auto config = LoadSlurmConf(std::string(DROVER_TEST_DATA_DIR) + "/config/anchor.conf", nullptr);
  ASSERT_TRUE(config.has_value());
  ShowConfigContext ctx;
  ctx.now = std::chrono::system_clock::now();
  std::string out = FormatShowConfig(*config, ctx);
  EXPECT_EQ(out.find("BOOT_TIME"), std::string::npos);
  EXPECT_EQ(out.find("NEXT_JOB_ID"), std::string::npos);
  EXPECT_EQ(out.find("Slurmctld(primary)"), std::string::npos);
  EXPECT_NE(out.find("SlurmUser               = root\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 33), "X11Parameters           = (null)\n");
}

TEST(ShowConfigTest, MemoryPairsAndBackups) {
  MapIncludeResolver r;
  auto config = ParseSlurmConf(
      "SlurmctldHost=a\nSlurmctldHost=b(10.0.0.2)\nDefMemPerNode=4096\nMaxMemPerCPU=2048\n"
      "SlurmctldPort=6817-6820\nPreemptMode=REQUEUE\n",
      "slurm.conf", r, nullptr);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  ShowConfigContext ctx;
  ctx.controllers = {{"a", true}, {"b", false}};
  std::string out = FormatShowConfig(*config, ctx);
  EXPECT_NE(out.find("DefMemPerNode           = 4096\n"), std::string::npos);
  EXPECT_NE(out.find("MaxMemPerCPU            = 2048\n"), std::string::npos);
  EXPECT_NE(out.find("SlurmctldHost[1]        = b(10.0.0.2)\n"), std::string::npos);
  EXPECT_NE(out.find("SlurmctldPort           = 6817-6820\n"), std::string::npos);
  EXPECT_NE(out.find("PreemptMode             = REQUEUE\n"), std::string::npos);
  EXPECT_NE(out.find("\nSlurmctld(primary) at a is UP\nSlurmctld(backup) at b is DOWN\n"),
            std::string::npos);
}

}  // namespace
}  // namespace drover::config
