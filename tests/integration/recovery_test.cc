// Recovery suites: crash the controller, recover from the same store, check that every
// acknowledged job is there, ids continue, running jobs re-attach or are requeued.
#include "cluster_fixture.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

TEST_F(ClusterTest, RecoveryKeepsEveryAcknowledgedJob) {
  JobSpec big = Spec();
  big.ntasks = 16;
  JobId running = Submit(big);
  std::vector<JobId> pending;
  for (int i = 0; i < 20; ++i) pending.push_back(Submit(Spec()));
  JobId cancelled = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Cancel(cancelled, kAlice).has_value());
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n4", NodeStateUpdate::kDrain, "keep"}, kRoot).has_value());

  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());

  EXPECT_EQ(StateOf(running), JobState::kRunning);
  EXPECT_EQ(cluster_->Job(running)->alloc.TotalCpus(), 16u);
  for (JobId id : pending) EXPECT_EQ(StateOf(id), JobState::kPending) << id;
  EXPECT_EQ(StateOf(cancelled), JobState::kCancelled);
  EXPECT_TRUE(cluster_->Node("n4")->drain);
  EXPECT_EQ(cluster_->Node("n4")->reason, "keep");
  // Ids continue; nothing runs before nodes register.
  JobId next = Submit(Spec());
  EXPECT_EQ(next, cancelled + 1);
  // The nodes report the running job: it re-attaches and completes normally.
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  EXPECT_EQ(StateOf(running), JobState::kRunning);
  ASSERT_TRUE(cluster_->Complete(running).has_value());
  EXPECT_EQ(StateOf(running), JobState::kCompleted);
  EXPECT_EQ(StateOf(pending[0]), JobState::kRunning);
}

TEST_F(ClusterTest, RecoveryFromSnapshotPlusTail) {
  JobId a = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  JobId b = Submit(Spec());
  ASSERT_TRUE(cluster_->Complete(a).has_value());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_EQ(StateOf(a), JobState::kCompleted);
  EXPECT_EQ(StateOf(b), JobState::kRunning);
  EXPECT_EQ(Submit(Spec()), b + 1);
}

TEST_F(ClusterTest, LostJobsAreRequeuedWhenTheirNodeReportsWithoutThem) {
  JobId id = Submit(Spec());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(60)).has_value());  // past BatchStartTimeout
  ctld::NodeRegistration reg;
  reg.name = "n1";  // reports no jobs: the node rebooted
  ASSERT_TRUE(cluster_->ctld().RegisterNode(reg).has_value());
  EXPECT_EQ(StateOf(id), JobState::kPending);
  EXPECT_EQ(cluster_->Job(id)->restarts, 1u);
}

TEST_F(ClusterTest, NodesThatNeverReturnAfterRestartGoDown) {
  JobSpec no = Spec();
  no.requeue = false;
  JobId id = Submit(no);
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "UNKNOWN");
  ASSERT_TRUE(cluster_->Advance(seconds(301)).has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "DOWN+NOT_RESPONDING");
  EXPECT_EQ(StateOf(id), JobState::kNodeFail);
}

TEST_F(ClusterTest, JobIdsWrapAtMaxJobIdAndSkipLiveIds) {
  std::string conf = kClusterConf;
  conf += "MaxJobId=102\n";
  StartCluster(conf.c_str());
  JobSpec s = Spec();
  s.hold = true;
  EXPECT_EQ(Submit(s), 100u);
  EXPECT_EQ(Submit(s), 101u);
  EXPECT_EQ(Submit(s), 102u);
  ASSERT_TRUE(cluster_->ctld().Cancel(101, kAlice).has_value());
  // Wraps to FirstJobId; 100 is still in memory, 101 too (ended jobs are kept).
  auto r = cluster_->ctld().Submit(s, kAlice);
  EXPECT_FALSE(r.has_value() && (*r == 100u || *r == 102u));
}

}  // namespace
}  // namespace drover::testing
