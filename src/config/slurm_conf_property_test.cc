// Property: a generated configuration printed as slurm.conf text (keys in random case,
// values sometimes quoted, lines sometimes continued) parses back to the same values.
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "config/slurm_conf.h"

namespace drover::config {
namespace {

struct GenNode {
  std::string prefix;
  uint32_t count, sockets, cores, threads;
  uint64_t memory_mb;
};

struct GenPartition {
  uint32_t max_time_min;  // 0: INFINITE
  uint16_t priority_tier;
  bool is_default;
};

struct GenConfig {
  std::string cluster;
  uint32_t kill_wait, max_job_count, weight_age;
  uint32_t max_age_days;
  std::string debug;
  std::vector<GenNode> nodes;
  std::vector<GenPartition> partitions;
};

rc::Gen<std::string> Word() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(
      rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyz"))));
}

std::string RandomCase(const std::string& key) {
  std::string out = key;
  for (char& c : out) {
    if (*rc::gen::arbitrary<bool>())
      c = static_cast<char>(std::toupper(c));
    else
      c = static_cast<char>(std::tolower(c));
  }
  return out;
}

std::string Pair(const std::string& key, const std::string& value) {
  bool quote = *rc::gen::arbitrary<bool>();
  return RandomCase(key) + "=" + (quote ? "\"" + value + "\"" : value);
}

std::string Render(const GenConfig& g) {
  std::string t = "# generated\n";
  t += Pair("ClusterName", g.cluster) + "\n";
  t += Pair("SlurmctldHost", "head") + "\n";
  t += Pair("KillWait", std::to_string(g.kill_wait)) + " " +
       Pair("MaxJobCount", std::to_string(g.max_job_count)) + "\n";
  t += Pair("PriorityWeightAge", std::to_string(g.weight_age)) + "  # comment\n";
  t += Pair("PriorityMaxAge", std::to_string(g.max_age_days) + "-0") + "\n";
  t += Pair("SlurmctldDebug", g.debug) + "\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GenNode& n = g.nodes[i];
    t += Pair("NodeName", fmt::format("{}{}x[1-{}]", n.prefix, i, n.count)) + " ";
    t += Pair("Sockets", std::to_string(n.sockets)) + " ";
    if (*rc::gen::arbitrary<bool>()) t += "\\\n  ";
    t += Pair("CoresPerSocket", std::to_string(n.cores)) + " " +
         Pair("ThreadsPerCore", std::to_string(n.threads)) + " " +
         Pair("RealMemory", std::to_string(n.memory_mb)) + "\n";
  }
  for (size_t i = 0; i < g.partitions.size(); ++i) {
    const GenPartition& p = g.partitions[i];
    t += Pair("PartitionName", fmt::format("p{}", i)) + " " + Pair("Nodes", "ALL") + " " +
         Pair("MaxTime", p.max_time_min ? std::to_string(p.max_time_min) : "INFINITE") + " " +
         Pair("PriorityTier", std::to_string(p.priority_tier)) + " " +
         Pair("Default", p.is_default ? "YES" : "NO") + "\n";
  }
  return t;
}

RC_GTEST_PROP(SlurmConfPropertyTest, RenderedConfigParsesBack, ()) {
  GenConfig g;
  g.cluster = *Word();
  g.kill_wait = *rc::gen::inRange<uint32_t>(0, 100000);
  g.max_job_count = *rc::gen::inRange<uint32_t>(1, 5000000);
  g.weight_age = *rc::gen::inRange<uint32_t>(0, 1000000);
  g.max_age_days = *rc::gen::inRange<uint32_t>(0, 365);
  g.debug = *rc::gen::elementOf(std::vector<std::string>{"info", "debug", "debug3", "error"});
  g.nodes = *rc::gen::container<std::vector<GenNode>>(
      *rc::gen::inRange<size_t>(0, 5),
      rc::gen::build<GenNode>(
          rc::gen::set(&GenNode::prefix, Word()),
          rc::gen::set(&GenNode::count, rc::gen::inRange<uint32_t>(1, 20)),
          rc::gen::set(&GenNode::sockets, rc::gen::inRange<uint32_t>(1, 8)),
          rc::gen::set(&GenNode::cores, rc::gen::inRange<uint32_t>(1, 64)),
          rc::gen::set(&GenNode::threads, rc::gen::inRange<uint32_t>(1, 4)),
          rc::gen::set(&GenNode::memory_mb, rc::gen::inRange<uint64_t>(1, 4000000))));
  g.partitions = *rc::gen::container<std::vector<GenPartition>>(
      *rc::gen::inRange<size_t>(0, 4),
      rc::gen::build<GenPartition>(
          rc::gen::set(&GenPartition::max_time_min, rc::gen::inRange<uint32_t>(0, 100000)),
          rc::gen::set(&GenPartition::priority_tier, rc::gen::inRange<uint16_t>(0, 60000)),
          rc::gen::set(&GenPartition::is_default, rc::gen::arbitrary<bool>())));

  std::string text = Render(g);
  MapIncludeResolver r;
  std::vector<ConfigWarning> warnings;
  auto c = ParseSlurmConf(text, "gen.conf", r, &warnings);
  RC_ASSERT(c.has_value());
  RC_ASSERT(c->cluster_name == g.cluster);
  RC_ASSERT(c->kill_wait == Duration::FromSeconds(g.kill_wait));
  RC_ASSERT(c->max_job_count == g.max_job_count);
  RC_ASSERT(c->priority_weight_age == g.weight_age);
  RC_ASSERT(c->priority_max_age == Duration::FromSeconds(int64_t{86400} * g.max_age_days));
  RC_ASSERT(c->slurmctld_debug == g.debug);
  size_t total = 0, k = 0;
  uint64_t cpus = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GenNode& n = g.nodes[i];
    for (uint32_t j = 0; j < n.count; ++j, ++k) {
      RC_ASSERT(k < c->nodes.size());
      const NodeConfig& got = c->nodes[k];
      RC_ASSERT(got.name == fmt::format("{}{}x{}", n.prefix, i, j + 1));
      RC_ASSERT(got.cpus == n.sockets * n.cores * n.threads);
      RC_ASSERT(got.real_memory_mb == n.memory_mb);
      cpus += got.cpus;
    }
    total += n.count;
  }
  RC_ASSERT(c->nodes.size() == total);
  RC_ASSERT(c->partitions.size() == g.partitions.size());
  std::string want_default;
  for (size_t i = 0; i < g.partitions.size(); ++i) {
    const PartitionConfig& p = c->partitions[i];
    RC_ASSERT(p.max_time == (g.partitions[i].max_time_min
                                 ? Duration::FromMinutes(g.partitions[i].max_time_min)
                                 : Duration::Infinite()));
    RC_ASSERT(p.priority_tier == g.partitions[i].priority_tier);
    RC_ASSERT(p.total_nodes == total);
    RC_ASSERT(p.total_cpus == cpus);
    if (g.partitions[i].is_default) want_default = p.name;
  }
  RC_ASSERT(c->default_partition == want_default);
}

}  // namespace
}  // namespace drover::config
