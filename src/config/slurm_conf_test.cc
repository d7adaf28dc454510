#include "config/slurm_conf.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/slurm_conf_keys.h"

namespace drover::config {
namespace {

std::string DataDir() { return std::string(DROVER_TEST_DATA_DIR) + "/config"; }

SlurmConfig LoadOk(const std::string& name, std::vector<ConfigWarning>* warnings = nullptr) {
  auto c = LoadSlurmConf(DataDir() + "/" + name, warnings);
  EXPECT_TRUE(c.has_value()) << name << ": " << (c ? "" : c.error().ToString());
  return c ? *c : SlurmConfig{};
}

Result<SlurmConfig> ParseText(std::string_view text, std::vector<ConfigWarning>* w = nullptr) {
  MapIncludeResolver r;
  return ParseSlurmConf(text, "slurm.conf", r, w);
}

TEST(SlurmConfTest, DefaultsMatchSlurm) {
  SlurmConfig c = DefaultSlurmConfig();
  EXPECT_EQ(c.kill_wait, Duration::FromSeconds(30));
  EXPECT_EQ(c.min_job_age, Duration::FromSeconds(300));
  EXPECT_EQ(c.first_job_id, 1u);
  EXPECT_EQ(c.max_job_id, 67043328u);
  EXPECT_EQ(c.slurmd_timeout, Duration::FromSeconds(300));
  EXPECT_EQ(c.return_to_service, 0);
  EXPECT_EQ(c.max_array_size, 1001u);
  EXPECT_EQ(c.message_timeout, Duration::FromSeconds(10));
  EXPECT_EQ(c.scheduler_time_slice, Duration::FromSeconds(30));
  EXPECT_EQ(c.priority_max_age, Duration::FromSeconds(7 * 86400));
  EXPECT_EQ(c.priority_decay_half_life, Duration::FromSeconds(7 * 86400));
  EXPECT_EQ(c.priority_calc_period, Duration::FromMinutes(5));
  EXPECT_EQ(c.unkillable_step_timeout, Duration::FromSeconds(60));
  EXPECT_EQ(c.slurmctld_port, 6817);
  EXPECT_EQ(c.slurmd_port, 6818);
  EXPECT_EQ(c.max_job_count, 10000u);
  EXPECT_FALSE(c.def_mem_per_cpu_mb.has_value());
  EXPECT_TRUE(c.suspend_time.infinite());
  EXPECT_EQ(c.select_type_parameters, "CR_CORE_MEMORY");
}

TEST(SlurmConfTest, EveryKeyHasOneRowAndDefaultsParse) {
  std::set<std::string> seen;
  for (const GlobalKey& k : GlobalKeys()) {
    EXPECT_TRUE(seen.insert(AsciiLower(k.name)).second) << "duplicate row " << k.name;
    EXPECT_EQ(FindGlobalKey(ToUpper(k.name)), &k);
  }
  EXPECT_GT(seen.size(), 190u);
}

TEST(SlurmConfTest, AnchorLoads) {
  std::vector<ConfigWarning> w;
  SlurmConfig c = LoadOk("anchor.conf", &w);
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(c.cluster_name, "anchor");
  ASSERT_EQ(c.slurmctld_hosts.size(), 1u);
  EXPECT_EQ(c.slurmctld_hosts[0], (ControllerHost{"vm", "127.0.0.1"}));
  ASSERT_EQ(c.nodes.size(), 4u);
  const NodeConfig* n3 = c.FindNode("node3");
  ASSERT_NE(n3, nullptr);
  EXPECT_EQ(n3->cpus, 64u);
  EXPECT_EQ(n3->sockets, 64u);  // only CPUs given: one socket per CPU, as Slurm shows
  EXPECT_EQ(n3->cores_per_socket, 1u);
  EXPECT_EQ(n3->real_memory_mb, 4519u);
  EXPECT_EQ(n3->port, 17003);
  EXPECT_EQ(n3->hostname, "vm");
  EXPECT_EQ(n3->addr, "127.0.0.1");
  ASSERT_EQ(c.partitions.size(), 2u);
  EXPECT_EQ(c.default_partition, "debug");
  EXPECT_TRUE(c.partitions[0].max_time.infinite());
  EXPECT_EQ(c.partitions[1].max_time, Duration::FromMinutes(10));
  EXPECT_EQ(c.partitions[0].total_cpus, 256u);
  EXPECT_EQ(c.partitions[0].total_memory_mb, 18076u);
  EXPECT_EQ(c.def_mem_per_cpu_mb, 50u);
  EXPECT_EQ(c.return_to_service, 2);
  EXPECT_EQ(c.accounting_storage_port, 6819);
  EXPECT_EQ(c.max_dbd_msgs, 100016u);
}

TEST(SlurmConfTest, Seed004Cpu) {
  std::vector<ConfigWarning> w;
  SlurmConfig c = LoadOk("seed004_cpu.conf", &w);
  EXPECT_TRUE(w.empty()) << w[0].ToString();
  EXPECT_EQ(c.cluster_name, "hpc-demo-cluster");
  EXPECT_EQ(c.slurmctld_hosts[0].name, "slurm-demo.hpc-node-login");
  EXPECT_EQ(c.unkillable_step_timeout, Duration::FromSeconds(240));
  EXPECT_EQ(c.select_type_parameters, "CR_CPU_MEMORY");
  EXPECT_EQ(c.slurm_user, "slurm");
  EXPECT_EQ(c.accounting_storage_user, "slurm");
  EXPECT_EQ(c.job_comp_type, "jobcomp/filetxt");
  EXPECT_EQ(c.task_plugin, "task/affinity,task/cgroup");
  EXPECT_EQ(c.return_to_service, 1);
  ASSERT_EQ(c.nodes.size(), 1u);
  EXPECT_EQ(c.nodes[0].cpus, 4u);
  EXPECT_EQ(c.nodes[0].sockets, 1u);
  EXPECT_EQ(c.nodes[0].cores_per_socket, 2u);
  EXPECT_EQ(c.nodes[0].threads_per_core, 2u);
  EXPECT_EQ(c.nodes[0].real_memory_mb, 15990u);
  ASSERT_EQ(c.partitions.size(), 1u);
  EXPECT_EQ(c.partitions[0].nodes, std::vector<std::string>{"slurm-demo.hpc-node-login"});
  EXPECT_EQ(c.default_partition, "cpu");
}

TEST(SlurmConfTest, Seed004GpuLastDefaultWins) {
  std::vector<ConfigWarning> w;
  SlurmConfig c = LoadOk("seed004_gpu.conf", &w);
  ASSERT_EQ(c.nodes.size(), 3u);
  EXPECT_EQ(c.gres_types, "gpu");
  const NodeConfig* g = c.FindNode("slurm-demo.hpc-node-compute02");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(g->gres.size(), 1u);
  EXPECT_EQ(g->gres[0], (GresSpec{.name = "gpu", .type = "", .count = 2}));
  EXPECT_EQ(FormatGresList(g->gres), "gpu:2");
  EXPECT_EQ(c.default_partition, "gpu");  // sinfo shows gpu* in the seed
  EXPECT_FALSE(c.FindPartition("cpu")->is_default);
  ASSERT_EQ(w.size(), 1u);  // "default partition changed"
  EXPECT_NE(w[0].message.find("default partition"), std::string::npos);
}

TEST(SlurmConfTest, Seed000) {
  SlurmConfig c = LoadOk("seed000.conf");
  ASSERT_EQ(c.nodes.size(), 4u);
  const NodeConfig* s2 = c.FindNode("server2");
  EXPECT_EQ(s2->cpus, 96u);
  EXPECT_EQ(s2->sockets, 2u);
  EXPECT_EQ(s2->cores_per_socket, 24u);
  EXPECT_EQ(s2->threads_per_core, 2u);
  EXPECT_EQ(s2->real_memory_mb, 515711u);
  EXPECT_EQ(FormatGresList(s2->gres), "gpu:nvidia_l40s:2");
  EXPECT_EQ(c.FindNode("server5")->cpus, 8u);
  EXPECT_TRUE(c.FindNode("server5")->gres.empty());
  // The totals `scontrol show partition` prints in the seed.
  const PartitionConfig* cpu = c.FindPartition("cpu");
  EXPECT_EQ(cpu->total_cpus, 208u);
  EXPECT_EQ(cpu->total_nodes, 4u);
  EXPECT_EQ(cpu->total_memory_mb, 1063398u);
  const PartitionConfig* gpu = c.FindPartition("gpu");
  EXPECT_EQ(gpu->total_cpus, 192u);
  EXPECT_EQ(gpu->total_memory_mb, 1031422u);
  EXPECT_EQ(c.default_partition, "gpu");
  EXPECT_TRUE(gpu->max_time.infinite());  // from PartitionName=DEFAULT
  EXPECT_EQ(gpu->state, PartitionState::kUp);
  EXPECT_EQ(FormatOverSubscribe(gpu->over_subscribe, gpu->over_subscribe_count), "NO");
  EXPECT_EQ(FormatPreemptMode(gpu->preempt_mode.value_or(c.preempt_mode)), "OFF");
}

TEST(SlurmConfTest, Seed001PriorityAndPreemption) {
  SlurmConfig c = LoadOk("seed001.conf");
  EXPECT_EQ(c.priority_type, "priority/multifactor");
  EXPECT_TRUE(c.priority_favor_small);
  EXPECT_EQ(c.priority_weight_age, 1000u);
  EXPECT_EQ(c.priority_weight_job_size, 1000u);
  EXPECT_EQ(c.priority_max_age, Duration::FromSeconds(86400));
  EXPECT_EQ(c.preempt_type, "preempt/partition_prio");
  EXPECT_EQ(FormatPreemptMode(c.preempt_mode), "GANG,SUSPEND");
  const PartitionConfig* compute = c.FindPartition("compute");
  EXPECT_EQ(FormatOverSubscribe(compute->over_subscribe, compute->over_subscribe_count), "FORCE:1");
  EXPECT_EQ(compute->total_cpus, 16u);  // CPUs wins over Procs
  const PartitionConfig* high = c.FindPartition("high_prio_debug");
  EXPECT_EQ(high->priority_job_factor, 10000);
  EXPECT_EQ(high->priority_tier, 10000);
  EXPECT_EQ(high->total_cpus, 56u);
  EXPECT_EQ(high->total_memory_mb, 25600u);  // TRES mem=25G in the seed
  EXPECT_EQ(c.FindNode("rhel-dcv")->addr, "192.168.1.26");
  EXPECT_EQ(c.FindNode("rhel-dcv")->sockets, 4u);
}

TEST(SlurmConfTest, DefaultLinesApplyToLaterLines) {
  auto c = ParseText(
      "SlurmctldHost=h\n"
      "NodeName=DEFAULT CPUs=8 RealMemory=1000\n"
      "NodeName=a[1-2]\n"
      "NodeName=DEFAULT RealMemory=2000\n"
      "NodeName=b1 CPUs=4\n"
      "PartitionName=DEFAULT MaxTime=30 State=DOWN\n"
      "PartitionName=p1 Nodes=a[1-2]\n"
      "PartitionName=DEFAULT MaxTime=1-0\n"
      "PartitionName=p2 Nodes=ALL MaxNodes=2 Default=YES\n");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->FindNode("a2")->cpus, 8u);
  EXPECT_EQ(c->FindNode("a2")->real_memory_mb, 1000u);
  EXPECT_EQ(c->FindNode("b1")->cpus, 4u);
  EXPECT_EQ(c->FindNode("b1")->real_memory_mb, 2000u);
  EXPECT_EQ(c->FindPartition("p1")->max_time, Duration::FromMinutes(30));
  EXPECT_EQ(c->FindPartition("p1")->state, PartitionState::kDown);
  EXPECT_EQ(c->FindPartition("p2")->max_time, Duration::FromSeconds(86400));
  EXPECT_EQ(c->FindPartition("p2")->total_nodes, 3u);
  EXPECT_EQ(c->FindPartition("p2")->max_nodes, 2u);
  EXPECT_FALSE(c->FindPartition("p1")->max_nodes.has_value());
}

TEST(SlurmConfTest, ParallelHostlistsAndPorts) {
  auto c = ParseText(
      "SlurmctldHost=h\n"
      "NodeName=n[1-4] NodeHostname=localhost NodeAddr=10.0.0.[1-4] Port=[17001-17004] CPUs=2\n"
      "NodeName=m[1-2] Port=7000-7001 Sockets=2 CoresPerSocket=4 ThreadsPerCore=2\n");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  ASSERT_EQ(c->nodes.size(), 6u);
  EXPECT_EQ(c->nodes[2].name, "n3");
  EXPECT_EQ(c->nodes[2].hostname, "localhost");
  EXPECT_EQ(c->nodes[2].addr, "10.0.0.3");
  EXPECT_EQ(c->nodes[2].port, 17003);
  EXPECT_EQ(c->nodes[5].port, 7001);
  EXPECT_EQ(c->nodes[5].cpus, 16u);  // Sockets*CoresPerSocket*ThreadsPerCore
  EXPECT_EQ(c->nodes[4].addr, "m1");
}

TEST(SlurmConfTest, CaseInsensitiveKeysQuotesAndContinuations) {
  auto c = ParseText(
      "clustername=\"my cluster\"\n"
      "SLURMCTLDHOST=h1(10.0.0.1)\n"
      "slurmctldhost=h2\n"
      "killwait=45 \\\n    minjobage=120\n"
      "nodename=n1 cpus=2 reason=\"in repair\" state=drain feature=a,b\n"
      "partitionname=Debug nodes=n1 default=yes maxtime=1:00:00 oversubscribe=yes\n");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->cluster_name, "my cluster");
  ASSERT_EQ(c->slurmctld_hosts.size(), 2u);
  EXPECT_EQ(c->slurmctld_hosts[1].name, "h2");
  EXPECT_EQ(c->kill_wait, Duration::FromSeconds(45));
  EXPECT_EQ(c->min_job_age, Duration::FromSeconds(120));
  EXPECT_EQ(c->nodes[0].reason, "in repair");
  EXPECT_EQ(c->nodes[0].state, "DRAIN");
  EXPECT_EQ(c->nodes[0].features, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c->default_partition, "Debug");  // partition names keep their case
  EXPECT_EQ(c->partitions[0].max_time, Duration::FromSeconds(3600));
  EXPECT_EQ(
      FormatOverSubscribe(c->partitions[0].over_subscribe, c->partitions[0].over_subscribe_count),
      "YES:4");
}

TEST(SlurmConfTest, OldControlMachineSpelling) {
  auto c = ParseText("ControlMachine=head\nControlAddr=10.1.1.1\nBackupController=b\n");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  ASSERT_EQ(c->slurmctld_hosts.size(), 2u);
  EXPECT_EQ(c->slurmctld_hosts[0], (ControllerHost{"head", "10.1.1.1"}));
  EXPECT_EQ(c->slurmctld_hosts[1].name, "b");
}

TEST(SlurmConfTest, UnknownKeyIsExactlyOneWarning) {
  std::vector<ConfigWarning> w;
  auto c = ParseText("SlurmctldHost=h\nKillWait=30\n\n# c\nFoo=bar\nNodeName=n1 Bogus=1\n", &w);
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].ToString(), "slurm.conf:5: unknown key 'Foo' ignored");
  EXPECT_EQ(w[1].ToString(), "slurm.conf:6: unknown key 'Bogus' ignored");
}

TEST(SlurmConfTest, NoNodesIsFine) {
  auto c = ParseText("SlurmctldHost=h\n");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->nodes.empty());
  EXPECT_TRUE(c->default_partition.empty());
}

TEST(SlurmConfTest, DownNodesAndNodeSets) {
  auto c = ParseText(
      "SlurmctldHost=h\nNodeName=n[1-3] Feature=fast\nNodeName=s1\n"
      "DownNodes=n2 State=DRAIN Reason=\"bad dimm\"\n"
      "NodeSet=fastset Feature=fast\n"
      "PartitionName=p Nodes=fastset,s1\n");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->FindNode("n2")->state, "DRAIN");
  EXPECT_EQ(c->FindNode("n2")->reason, "bad dimm");
  EXPECT_EQ(c->partitions[0].total_nodes, 4u);
}

TEST(SlurmConfTest, IncludeFromDisk) {
  SlurmConfig c = LoadOk("include/main.conf");
  EXPECT_EQ(c.kill_wait, Duration::FromSeconds(45));
  EXPECT_EQ(c.nodes.size(), 6u);
  EXPECT_EQ(c.nodes[4].name, "m1");
  EXPECT_EQ(c.partitions[0].total_nodes, 6u);
  EXPECT_EQ(c.nodes[0].loc.file, DataDir() + "/include/nodes.conf");
}

TEST(SlurmConfTest, IncludeCycleFromDiskIsRejected) {
  auto c = LoadSlurmConf(DataDir() + "/include/cycle_a.conf", nullptr);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), ErrorCode::kConfigSyntax);
  EXPECT_NE(c.error().message().find("Include cycle"), std::string::npos);
}

TEST(SlurmConfTest, EtcExampleLoads) {
  std::vector<ConfigWarning> w;
  auto c = LoadSlurmConf(std::string(DROVER_TEST_DATA_DIR) + "/../../etc/slurm.conf.example", &w);
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_TRUE(w.empty());
  ASSERT_EQ(c->nodes.size(), 4u);
  EXPECT_EQ(c->nodes[3].port, 17004);
  EXPECT_EQ(c->nodes[3].hostname, "localhost");
  EXPECT_EQ(c->default_partition, "debug");
  EXPECT_EQ(c->FindPartition("short")->max_time, Duration::FromMinutes(10));
}

TEST(SlurmConfTest, MissingFile) {
  auto c = LoadSlurmConf(DataDir() + "/does-not-exist.conf", nullptr);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), ErrorCode::kNotFound);
}

// Every file in bad/ starts with "# expect: <Code> <text>", where {file} is the file's path
// and {dir} its folder.
TEST(SlurmConfTest, BadFilesFailWithFileLineAndKey) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DataDir() + "/bad")) {
    std::string path = entry.path().string();
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string prefix = "# expect: ";
    ASSERT_EQ(first.rfind(prefix, 0), 0u) << path;
    std::string rest = first.substr(prefix.size());
    std::string code = rest.substr(0, rest.find(' '));
    std::string want = rest.substr(rest.find(' ') + 1);
    for (auto [token, value] : {std::pair<std::string, std::string>{"{file}", path},
                                {"{dir}", entry.path().parent_path().string()}}) {
      for (size_t at; (at = want.find(token)) != std::string::npos;) {
        want.replace(at, token.size(), value);
      }
    }
    auto c = LoadSlurmConf(path, nullptr);
    ASSERT_FALSE(c.has_value()) << path;
    EXPECT_EQ(ErrorName(c.error().code()), code) << path;
    EXPECT_EQ(c.error().ToString(), want) << path;
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

}  // namespace
}  // namespace drover::config
