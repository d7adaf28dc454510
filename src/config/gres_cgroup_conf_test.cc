#include <gtest/gtest.h>

#include "config/cgroup_conf.h"
#include "config/gres_conf.h"

namespace drover::config {
namespace {

std::string DataDir() { return std::string(DROVER_TEST_DATA_DIR) + "/config"; }

Result<GresConf> ParseGres(std::string_view text, std::vector<ConfigWarning>* w = nullptr) {
  MapIncludeResolver r;
  return ParseGresConf(text, "gres.conf", r, w);
}

TEST(GresConfTest, Seed004) {
  std::vector<ConfigWarning> w;
  auto conf = LoadGresConf(DataDir() + "/seed004_gres.conf", &w);
  ASSERT_TRUE(conf.has_value()) << conf.error().ToString();
  EXPECT_TRUE(w.empty());
  ASSERT_EQ(conf->records.size(), 2u);
  EXPECT_EQ(conf->records[0].name, "gpu");
  EXPECT_EQ(conf->records[0].type, "tesla");
  EXPECT_EQ(conf->records[1].file, "/dev/nvidia1");
  auto totals = GresTotalsForNode(*conf, "slurm-demo.hpc-node-compute01");
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_EQ(totals[0], (GresTotal{"gpu", "tesla", 2}));
}

TEST(GresConfTest, Seed000NodeNamesAndFileRanges) {
  auto conf = LoadGresConf(DataDir() + "/seed000_gres.conf", nullptr);
  ASSERT_TRUE(conf.has_value()) << conf.error().ToString();
  EXPECT_EQ(conf->auto_detect, "off");
  ASSERT_EQ(conf->records.size(), 2u);
  EXPECT_EQ(conf->records[0].file, "/dev/nvidia0");
  EXPECT_EQ(GresForNode(*conf, "server3").size(), 2u);
  EXPECT_TRUE(GresForNode(*conf, "server4").empty());
}

TEST(GresConfTest, KeysAndExpansion) {
  auto conf = ParseGres(
      "AutoDetect=nvml\n"
      "NodeName=g[1-2] Name=gpu Type=a100 File=/dev/nvidia[0-3] Cores=0-7,16 Links=-1,0,2,2 "
      "Flags=nvidia_gpu_env\n"
      "Name=mps Count=2K\n"
      "NodeName=g1 Name=shard Count=8\n");
  ASSERT_TRUE(conf.has_value()) << conf.error().ToString();
  EXPECT_EQ(conf->auto_detect, "nvml");
  ASSERT_EQ(conf->records.size(), 6u);
  EXPECT_EQ(conf->records[3].file, "/dev/nvidia3");
  EXPECT_EQ(conf->records[0].cores.size(), 9u);
  EXPECT_EQ(conf->records[0].flags, std::vector<std::string>{"nvidia_gpu_env"});
  EXPECT_EQ(conf->records[4].count, 2048u);
  auto g2 = GresTotalsForNode(*conf, "g2");
  ASSERT_EQ(g2.size(), 2u);
  EXPECT_EQ(g2[0], (GresTotal{"gpu", "a100", 4}));
  EXPECT_EQ(g2[1], (GresTotal{"mps", "", 2048}));
  EXPECT_EQ(GresTotalsForNode(*conf, "g1").size(), 3u);
}

TEST(GresConfTest, Errors) {
  auto bad = ParseGres("Name=gpu\nName=gpu Count=lots\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().ToString(),
            "gres.conf:2: Count: invalid value 'lots': expected a count, optionally with a K, M, "
            "G or T suffix");
  bad = ParseGres("Name=gpu File=/dev/nvidia[0-1] Count=3\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().ToString(), "gres.conf:1: Count: invalid value '3': File= names 2 devices");
  bad = ParseGres("Type=tesla\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kConfigSyntax);
  bad = ParseGres("AutoDetect=magic\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kConfigValue);
  std::vector<ConfigWarning> w;
  ASSERT_TRUE(ParseGres("Name=gpu Colour=red\n", &w).has_value());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].ToString(), "gres.conf:1: unknown key 'Colour' ignored");
}

TEST(CgroupConfTest, FileAndDefaults) {
  std::vector<ConfigWarning> w;
  auto c = LoadCgroupConf(DataDir() + "/cgroup.conf", &w);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->plugin, CgroupPlugin::kV2);
  EXPECT_TRUE(c->constrain_cores);
  EXPECT_TRUE(c->constrain_ram_space);
  EXPECT_FALSE(c->constrain_swap_space);
  EXPECT_TRUE(c->constrain_devices);
  EXPECT_DOUBLE_EQ(c->allowed_ram_space_percent, 95.5);
  EXPECT_DOUBLE_EQ(c->max_ram_percent, 98);
  EXPECT_EQ(c->min_ram_space_mb, 64u);
  ASSERT_EQ(w.size(), 1u);  // CgroupAutomount is obsolete
  EXPECT_NE(w[0].message.find("CgroupAutomount"), std::string::npos);
  CgroupConfig d;
  EXPECT_EQ(d.plugin, CgroupPlugin::kAutodetect);
  EXPECT_EQ(d.mountpoint, "/sys/fs/cgroup");
  EXPECT_EQ(d.min_ram_space_mb, 30u);
  EXPECT_EQ(CgroupPluginName(CgroupPlugin::kV1), "cgroup/v1");
}

TEST(CgroupConfTest, Errors) {
  MapIncludeResolver r;
  auto c = ParseCgroupConf("ConstrainCores=yes\nMaxRAMPercent=150\n", "cgroup.conf", r, nullptr);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().ToString(),
            "cgroup.conf:2: MaxRAMPercent: invalid value '150': expected a number from 0 to 100");
  c = ParseCgroupConf("CgroupPlugin=cgroup/v3\n", "cgroup.conf", r, nullptr);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), ErrorCode::kConfigValue);
  std::vector<ConfigWarning> w;
  ASSERT_TRUE(ParseCgroupConf("constraincores=no Shiny=1\n", "cgroup.conf", r, &w).has_value());
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].ToString(), "cgroup.conf:1: unknown key 'Shiny' ignored");
}

}  // namespace
}  // namespace drover::config
