#include <gtest/gtest.h>

#include "config/slurm_conf.h"
#include "noded/node_daemon.h"
#include "noded/spool.h"

namespace drover::noded {
namespace {

config::SlurmConfig Parse(const std::string& text) {
  config::MapIncludeResolver resolver;
  auto config = config::ParseSlurmConf(text, "slurm.conf", resolver, nullptr);
  EXPECT_TRUE(config) << config.error().ToString();
  return config ? *config : config::SlurmConfig();
}

constexpr char kConf[] =
    "ClusterName=local\n"
    "SlurmctldHost=head(10.0.0.1)\n"
    "SlurmctldPort=7817\n"
    "AuthInfo=socket=/run/drover/munge.sock\n"
    "SlurmdSpoolDir=/var/spool/drover/%n\n"
    "SlurmdLogFile=/var/log/drover/%n.log\n"
    "SlurmdTimeout=6\n"
    "KillWait=5\n"
    "NodeName=n[1-2] NodeHostname=localhost Port=[17001-17002] CPUs=4 RealMemory=2048\n"
    "PartitionName=debug Nodes=ALL Default=YES\n";

TEST(NodeOptionsTest, ComesFromTheNodesLineAndTheGlobalKeys) {
  config::SlurmConfig config = Parse(kConf);
  auto o = OptionsFromConfig(config, "n2", "/etc/drover/slurm.conf");
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->node_name, "n2");
  EXPECT_EQ(o->hostname, "localhost");
  EXPECT_EQ(o->listen_address, "0.0.0.0:17002");
  EXPECT_EQ(o->controller, "10.0.0.1:7817");
  EXPECT_EQ(o->munge_socket, "/run/drover/munge.sock");
  EXPECT_EQ(o->spool_dir, "/var/spool/drover/n2");
  EXPECT_EQ(o->log_file, "/var/log/drover/n2.log");
  EXPECT_EQ(o->conf_path, "/etc/drover/slurm.conf");
  EXPECT_EQ(o->cpus, 4u);
  EXPECT_EQ(o->real_memory_mb, 2048u);
  EXPECT_EQ(o->kill_wait, std::chrono::seconds(5));
  EXPECT_EQ(o->heartbeat_interval, std::chrono::milliseconds(2000));  // SlurmdTimeout/3
}

TEST(NodeOptionsTest, HeartbeatIsCappedAtAFewSeconds) {
  config::SlurmConfig config =
      Parse("SlurmctldHost=head\nNodeName=n1 CPUs=1\nPartitionName=p Nodes=ALL\n");  // 300 s
  auto o = OptionsFromConfig(config, "n1", "");
  ASSERT_TRUE(o) << o.error().ToString();
  EXPECT_EQ(o->heartbeat_interval, kMaxHeartbeat);
  EXPECT_EQ(o->controller, "head:6817");
  EXPECT_EQ(o->listen_address, "0.0.0.0:6818");
  EXPECT_EQ(o->munge_socket, "");
}

TEST(NodeOptionsTest, AnUnknownNodeIsRefused) {
  auto o = OptionsFromConfig(Parse(kConf), "n9", "");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code(), ErrorCode::kInvalidNodeName);
}

TEST(SpoolTest, PathsAndKeyValues) {
  EXPECT_EQ(JobDir("/s", 42), "/s/job00042");
  EXPECT_EQ(JobDir("/s", 1234567), "/s/job1234567");
  EXPECT_EQ(ExpandNodePath("/a/%n/%h/%x", "n1", "host"), "/a/n1/host/%x");
  auto kv = ParseKeyValues(FormatKeyValues({{"a", "1"}, {"b", "x=y"}, {"c", ""}}));
  EXPECT_EQ(kv.at("a"), "1");
  EXPECT_EQ(kv.at("b"), "x=y");
  EXPECT_EQ(kv.at("c"), "");
  EXPECT_EQ(MungeSocketFromAuthInfo("cred_expire=10,socket=/x/m.sock"), "/x/m.sock");
}

}  // namespace
}  // namespace drover::noded
