#include "cli/drover/local_cluster_config.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include "config/slurm_conf.h"

namespace drover::cli::drover {
namespace {

LocalClusterSpec FourNodes() {
  LocalClusterSpec spec;
  spec.nodes = 4;
  spec.controller_port = 40100;
  spec.node_ports = {40101, 40102, 40203, 40304};
  spec.slurm_user = "alice";
  spec.cpus_per_node = 2;
  spec.memory_mb_per_node = 6000;
  return spec;
}

config::SlurmConfig Parse(const std::string& text) {
  config::MapIncludeResolver files;
  std::vector<config::ConfigWarning> warnings;
  auto parsed = config::ParseSlurmConf(text, "/run/d/slurm.conf", files, &warnings);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().ToString());
  for (const config::ConfigWarning& w : warnings) ADD_FAILURE() << w.ToString();
  return parsed ? *parsed : config::DefaultSlurmConfig();
}

TEST(LocalClusterConfig, PathsLiveUnderTheRunDirectory) {
  LocalClusterPaths p = LocalClusterPaths::For("/run/d");
  EXPECT_EQ(p.slurm_conf, "/run/d/slurm.conf");
  EXPECT_EQ(p.munge_socket, "/run/d/munge/munge.sock");
  EXPECT_EQ(p.munge_key, "/run/d/munge-key/munge.key");
  EXPECT_EQ(p.state_save, "/run/d/state");
  EXPECT_EQ(p.run_dir, "/run/d/run");
  EXPECT_EQ(p.log_dir, "/run/d/log");
}

TEST(LocalClusterConfig, SlurmConfParsesAsTheDaemonsWillReadIt) {
  LocalClusterSpec spec = FourNodes();
  config::SlurmConfig conf = Parse(RenderSlurmConf(spec, LocalClusterPaths::For("/run/d")));
  EXPECT_EQ(conf.cluster_name, "drover-local");
  ASSERT_EQ(conf.slurmctld_hosts.size(), 1u);
  EXPECT_EQ(conf.slurmctld_hosts[0].name, "localhost");
  EXPECT_EQ(conf.slurmctld_hosts[0].addr, "127.0.0.1");
  EXPECT_EQ(conf.slurmctld_port, 40100);
  EXPECT_EQ(conf.slurm_user, "alice");
  EXPECT_EQ(conf.auth_type, "auth/munge");
  EXPECT_EQ(conf.auth_info, "socket=/run/d/munge/munge.sock");
  EXPECT_EQ(conf.state_save_location, "/run/d/state");
  EXPECT_EQ(conf.slurmd_spool_dir, "/run/d/spool/%n");
  EXPECT_EQ(conf.slurmctld_pid_file, "/run/d/run/droverctld.pid");
  EXPECT_EQ(conf.slurmd_pid_file, "/run/d/run/droverd-%n.pid");
  EXPECT_EQ(conf.slurmctld_log_file, "/run/d/log/droverctld.log");
  EXPECT_EQ(conf.slurmd_log_file, "/run/d/log/droverd-%n.log");

  ASSERT_EQ(conf.nodes.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const config::NodeConfig& node = conf.nodes[i];
    EXPECT_EQ(node.name, LocalNodeName(i + 1));
    EXPECT_EQ(node.hostname, "localhost");
    EXPECT_EQ(node.addr, "127.0.0.1");
    EXPECT_EQ(node.port, spec.node_ports[i]);
    EXPECT_EQ(node.cpus, 2u);
    EXPECT_EQ(node.real_memory_mb, 6000u);
  }
  ASSERT_EQ(conf.partitions.size(), 2u);
  const config::PartitionConfig* debug = conf.FindPartition("debug");
  const config::PartitionConfig* shortp = conf.FindPartition("short");
  ASSERT_NE(debug, nullptr);
  ASSERT_NE(shortp, nullptr);
  EXPECT_TRUE(debug->is_default);
  EXPECT_FALSE(shortp->is_default);
  EXPECT_EQ(debug->nodes_text, "node[1-4]");
  EXPECT_EQ(shortp->nodes_text, "node[1-4]");
  EXPECT_EQ(debug->max_time, Duration::Infinite());
  EXPECT_EQ(shortp->max_time, Duration::FromMinutes(30));
}

TEST(LocalClusterConfig, OneNodeIsNamedWithoutBrackets) {
  LocalClusterSpec spec = FourNodes();
  spec.nodes = 1;
  spec.node_ports = {40101};
  EXPECT_EQ(LocalNodeList(1), "node1");
  config::SlurmConfig conf = Parse(RenderSlurmConf(spec, LocalClusterPaths::For("/run/d")));
  ASSERT_EQ(conf.nodes.size(), 1u);
  EXPECT_EQ(conf.FindPartition("debug")->nodes_text, "node1");
}

TEST(LocalClusterConfig, StateFileRoundTrips) {
  LocalClusterSpec spec = FourNodes();
  auto back = ParseClusterState(FormatClusterState(spec));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(*back, spec);
}

TEST(LocalClusterConfig, StateFileErrorsNameTheKey) {
  std::string text = FormatClusterState(FourNodes());
  auto replace = [&text](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  auto wrong_count = ParseClusterState(replace("nodes=4", "nodes=3"));
  ASSERT_FALSE(wrong_count.has_value());
  EXPECT_NE(wrong_count.error().message().find("node_ports"), std::string::npos);
  auto bad_port = ParseClusterState(replace("40203", "70000"));
  ASSERT_FALSE(bad_port.has_value());
  EXPECT_NE(bad_port.error().message().find("70000"), std::string::npos);
  auto missing = ParseClusterState(replace("controller_port=40100\n", ""));
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("controller_port"), std::string::npos);
  EXPECT_FALSE(ParseClusterState("garbage").has_value());
  EXPECT_FALSE(ParseClusterState("").has_value());
}

TEST(LocalClusterConfig, PicksDistinctFreePorts) {
  auto ports = PickFreePorts(5);
  ASSERT_TRUE(ports.has_value()) << ports.error().ToString();
  std::set<uint16_t> distinct(ports->begin(), ports->end());
  EXPECT_EQ(distinct.size(), 5u);
  for (uint16_t port : *ports) {
    EXPECT_NE(port, 0);
    EXPECT_NE(port, 6817);  // never Slurm's defaults: the ports are the kernel's choice
    EXPECT_TRUE(PortIsFree(port)) << port;
  }
}

TEST(LocalClusterConfig, PortInUseIsNotFree) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  EXPECT_FALSE(PortIsFree(ntohs(addr.sin_port)));
  close(fd);
}

TEST(LocalClusterConfig, SplitsTheHost) {
  LocalClusterSpec spec;
  spec.nodes = 4;
  SplitHost(HostResources{2, 24000}, &spec);
  EXPECT_EQ(spec.cpus_per_node, 2u);
  EXPECT_EQ(spec.memory_mb_per_node, 6000u);
  SplitHost(HostResources{0, 2}, &spec);
  EXPECT_EQ(spec.cpus_per_node, 1u);
  EXPECT_EQ(spec.memory_mb_per_node, 1u);
  HostResources here = DetectHostResources();
  EXPECT_GE(here.cpus, 1u);
  EXPECT_GT(here.memory_mb, 1u);
}

TEST(LocalClusterConfig, DefaultRunDirFollowsTheEnvironment) {
  EXPECT_EQ(DefaultRunDir({{"DROVER_HOME", "/d"}, {"XDG_RUNTIME_DIR", "/x"}}, 7), "/d");
  EXPECT_EQ(DefaultRunDir({{"XDG_RUNTIME_DIR", "/x"}, {"HOME", "/h"}}, 7), "/x/drover");
  EXPECT_EQ(DefaultRunDir({{"HOME", "/h"}}, 7), "/h/.local/state/drover");
  EXPECT_EQ(DefaultRunDir({}, 7), "/tmp/drover-7");
  EXPECT_EQ(DefaultRunDir({{"DROVER_HOME", ""}, {"HOME", ""}}, 7), "/tmp/drover-7");
}

TEST(LocalClusterConfig, DaemonsStartInOrderWithTheirFiles) {
  LocalClusterSpec spec = FourNodes();
  auto daemons = LocalDaemons(spec, LocalClusterPaths::For("/run/d"), "/b/bin", "/usr/sbin/munged");
  ASSERT_EQ(daemons.size(), 6u);
  EXPECT_EQ(daemons[0].name, "munged");
  EXPECT_EQ(daemons[0].pid_file, "/run/d/run/munged.pid");
  EXPECT_EQ(daemons[1].name, "droverctld");
  EXPECT_EQ(daemons[1].argv,
            (std::vector<std::string>{"/b/bin/droverctld", "-D", "-f", "/run/d/slurm.conf"}));
  EXPECT_EQ(daemons[3].name, "droverd node2");
  EXPECT_EQ(daemons[3].argv, (std::vector<std::string>{"/b/bin/droverd", "-D", "-N", "node2", "-f",
                                                       "/run/d/slurm.conf"}));
  EXPECT_EQ(daemons[3].pid_file, "/run/d/run/droverd-node2.pid");
  EXPECT_EQ(daemons[3].log_file, "/run/d/log/droverd-node2.log");
}

}  // namespace
}  // namespace drover::cli::drover
