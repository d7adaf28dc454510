// Shared fixture for the integration suites: a four-node cluster, helpers to submit.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "testing/in_process_cluster.h"

namespace drover::testing {

inline constexpr const char* kClusterConf = R"(
ClusterName=test
SlurmctldHost=ctl
SlurmUser=slurm
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=100
SlurmdTimeout=300
ReturnToService=1
FirstJobId=100
NodeName=n[1-4] CPUs=4 RealMemory=1000
PartitionName=debug Nodes=n[1-4] Default=YES MaxTime=60 State=UP
PartitionName=short Nodes=n[3-4] MaxTime=10 State=UP
PartitionName=closed Nodes=n[1-2] MaxTime=60 State=DOWN
PartitionName=shared Nodes=n1 MaxTime=60 OverSubscribe=FORCE:2
)";

inline const ctld::Identity kAlice{1000, 1000};
inline const ctld::Identity kBob{1001, 1001};
inline const ctld::Identity kRoot{0, 0};

inline JobSpec Spec(const ctld::Identity& who = kAlice) {
  JobSpec s;
  s.name = "job";
  s.uid = who.uid;
  s.gid = who.gid;
  s.user_name = who.uid == 0 ? "root" : "alice";
  s.script = "#!/bin/sh\ntrue\n";
  s.ntasks = 1;
  return s;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override { StartCluster(kClusterConf); }
  void StartCluster(const char* conf) {
    auto c = InProcessCluster::Create(conf);
    ASSERT_TRUE(c.has_value()) << c.error().ToString();
    cluster_ = std::move(*c);
    ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  }
  JobId Submit(JobSpec spec, const ctld::Identity& who = kAlice) {
    auto id = cluster_->ctld().Submit(std::move(spec), who);
    EXPECT_TRUE(id.has_value()) << id.error().ToString();
    return id.value_or(0);
  }
  JobState StateOf(JobId id) { return cluster_->Job(id)->state; }
  PendingReason ReasonOf(JobId id) { return cluster_->Job(id)->reason; }

  std::unique_ptr<InProcessCluster> cluster_;
};

}  // namespace drover::testing
