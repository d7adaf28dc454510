// Scheduling suites over the in-process cluster: backfill in the engine (every
// bf_interval, Scheduler=Backfill, planned start times), priority/multifactor (job size,
// age recomputed every PriorityCalcPeriod), partition PriorityTier order.
#include "cluster_fixture.h"

namespace drover::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kBackfillConf = R"(
ClusterName=test
SlurmctldHost=ctl
SlurmUser=slurm
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=30,bf_resolution=1
SlurmdTimeout=0
NodeName=n[1-2] CPUs=4 RealMemory=1000
PartitionName=debug Nodes=n[1-2] Default=YES MaxTime=60 State=UP
)";

class SchedTest : public ClusterTest {
 protected:
  void SetUp() override {}
  JobSpec Sized(uint32_t ntasks, int64_t minutes_limit) {
    JobSpec s = Spec();
    s.ntasks = ntasks;
    s.time_limit = Duration::FromMinutes(minutes_limit);
    return s;
  }
};

TEST_F(SchedTest, BackfillStartsAShortJobWithoutDelayingTheReservation) {
  StartCluster(kBackfillConf);
  JobId a = Submit(Sized(6, 10));
  JobId b = Submit(Sized(8, 10));  // the whole cluster: waits for a
  JobId c = Submit(Sized(2, 5));   // fits now and ends before a does
  JobId d = Submit(Sized(2, 20));  // fits now, but would hold CPUs b needs
  ASSERT_EQ(StateOf(a), JobState::kRunning);
  EXPECT_FALSE(cluster_->Job(a)->backfilled);
  EXPECT_EQ(ReasonOf(b), PendingReason::kResources);
  EXPECT_EQ(ReasonOf(c), PendingReason::kPriority);
  // The backfill pass runs at most every bf_interval: 30 s later it starts c.
  ASSERT_TRUE(cluster_->Advance(seconds(30)).has_value());
  EXPECT_EQ(StateOf(c), JobState::kRunning);
  EXPECT_TRUE(cluster_->Job(c)->backfilled);
  EXPECT_EQ(StateOf(d), JobState::kPending);
  // b's planned start: when a's time limit ends.
  EXPECT_EQ(cluster_->Job(b)->start_time, cluster_->Job(a)->start_time + minutes(10));
  EXPECT_EQ(StateOf(b), JobState::kPending);
  EXPECT_EQ(ReasonOf(b), PendingReason::kResources);
  // d is planned after b's reservation; nothing else changes at the next pass.
  EXPECT_EQ(cluster_->Job(d)->start_time, cluster_->Job(b)->start_time + minutes(10));
  ASSERT_TRUE(cluster_->Advance(seconds(30)).has_value());
  EXPECT_EQ(StateOf(d), JobState::kPending);
  EXPECT_EQ(StateOf(b), JobState::kPending);
}

TEST_F(SchedTest, BuiltinSchedulerDoesNotBackfill) {
  std::string conf = kBackfillConf;
  conf.replace(conf.find("sched/backfill"), 14, "sched/builtin");
  StartCluster(conf.c_str());
  Submit(Sized(6, 10));
  Submit(Sized(8, 10));
  JobId c = Submit(Sized(2, 5));
  ASSERT_TRUE(cluster_->Advance(seconds(60)).has_value());
  EXPECT_EQ(StateOf(c), JobState::kPending);
  EXPECT_EQ(ReasonOf(c), PendingReason::kPriority);
}

constexpr const char* kMultifactorConf = R"(
ClusterName=test
SlurmctldHost=ctl
SlurmUser=slurm
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
PriorityType=priority/multifactor
PriorityFavorSmall=YES
PriorityWeightJobSize=1000
PriorityWeightAge=1000
PriorityMaxAge=60
PriorityCalcPeriod=1
SlurmdTimeout=0
NodeName=n[1-4] CPUs=4 RealMemory=1000
PartitionName=debug Nodes=n[1-4] Default=YES MaxTime=60 State=UP
)";

TEST_F(SchedTest, MultifactorFavoursSmallJobsAndAges) {
  StartCluster(kMultifactorConf);
  JobId full = Submit(Sized(16, 60));
  JobId big = Submit(Sized(16, 30));
  JobId small = Submit(Sized(1, 30));
  ASSERT_EQ(StateOf(full), JobState::kRunning);
  // Job size: (1 - 16/16) x 1000 -> the floor of 1; (1 - 1/16) x 1000 = 937.
  EXPECT_EQ(cluster_->Job(big)->priority, 1u);
  EXPECT_EQ(cluster_->Job(small)->priority, 937u);
  EXPECT_EQ(ReasonOf(small), PendingReason::kResources);
  EXPECT_EQ(ReasonOf(big), PendingReason::kPriority);
  // Half of PriorityMaxAge later, age adds 500 (recomputed every PriorityCalcPeriod).
  ASSERT_TRUE(cluster_->Advance(minutes(30)).has_value());
  EXPECT_EQ(cluster_->Job(big)->priority, 500u);
  EXPECT_EQ(cluster_->Job(small)->priority, 1437u);
  // The small job is first in line: it waits on Resources, the big one behind it.
  EXPECT_EQ(ReasonOf(small), PendingReason::kResources);
  EXPECT_EQ(ReasonOf(big), PendingReason::kPriority);
}

constexpr const char* kTierConf = R"(
ClusterName=test
SlurmctldHost=ctl
SlurmUser=slurm
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
PriorityType=priority/basic
SlurmdTimeout=0
NodeName=n1 CPUs=4 RealMemory=1000
PartitionName=compute Nodes=n1 Default=YES MaxTime=60 State=UP
PartitionName=high_prio_debug Nodes=n1 PriorityTier=10000 MaxTime=60 State=UP
)";

TEST_F(SchedTest, HigherPriorityTierGoesFirst) {
  StartCluster(kTierConf);
  // Both wait on a drained node, so one pass sees them together once it resumes.
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n1", NodeStateUpdate::kDrain, "wait"}, kRoot).has_value());
  JobId low = Submit(Sized(4, 10));
  JobSpec high_spec = Sized(4, 10);
  high_spec.partitions = {"high_prio_debug"};
  JobId high = Submit(high_spec);
  EXPECT_GT(cluster_->Job(low)->priority, cluster_->Job(high)->priority);
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n1", NodeStateUpdate::kResume, ""}, kRoot).has_value());
  // The higher tier is examined first despite its lower priority.
  EXPECT_EQ(StateOf(high), JobState::kRunning);
  EXPECT_EQ(StateOf(low), JobState::kPending);
}

}  // namespace
}  // namespace drover::testing
