// Engine suites: submission, FIFO and reasons, cons_tres packing, exclusive, -w/-x,
// partition limits, holds, cancel, time limits, authorisation.
#include "cluster_fixture.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

TEST_F(ClusterTest, SubmitRunsWithinOnePass) {
  JobId id = Submit(Spec());
  EXPECT_EQ(id, 100u);  // FirstJobId
  auto job = cluster_->Job(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, JobState::kRunning);
  EXPECT_EQ(job->alloc.NodeList(), "n1");
  EXPECT_EQ(job->alloc.TotalCpus(), 1u);
  EXPECT_EQ(job->alloc.TotalMemMb(), 100u);  // DefMemPerCPU
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kLaunch, id), 1u);
  ASSERT_TRUE(cluster_->Complete(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleted);
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 0u);
}

TEST_F(ClusterTest, FailedExitCode) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->Complete(id, 3).has_value());
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->state, JobState::kFailed);
  EXPECT_EQ(job->exit_code.ToString(), "3:0");
  EXPECT_EQ(job->reason, PendingReason::kNonZeroExitCode);
}

TEST_F(ClusterTest, FifoWithResourcesAndPriorityReasons) {
  JobSpec big = Spec();
  big.ntasks = 16;  // the whole cluster
  JobId a = Submit(big);
  JobId b = Submit(big);
  JobSpec small = Spec();
  JobId c = Submit(small);  // would fit nowhere: every CPU is busy
  EXPECT_EQ(StateOf(a), JobState::kRunning);
  EXPECT_EQ(StateOf(b), JobState::kPending);
  EXPECT_EQ(ReasonOf(b), PendingReason::kResources);
  EXPECT_EQ(StateOf(c), JobState::kPending);
  EXPECT_EQ(ReasonOf(c), PendingReason::kPriority);
  EXPECT_GT(cluster_->Job(b)->priority, cluster_->Job(c)->priority);
  ASSERT_TRUE(cluster_->Complete(a).has_value());
  EXPECT_EQ(StateOf(b), JobState::kRunning);
  EXPECT_EQ(ReasonOf(c), PendingReason::kResources);
}

TEST_F(ClusterTest, ConsTresPacksCpusAndMemory) {
  // Four 1-CPU jobs share n1 first (first fit), the fifth goes to n2.
  std::vector<JobId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Submit(Spec()));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(cluster_->Job(ids[i])->alloc.NodeList(), "n1");
  EXPECT_EQ(cluster_->Job(ids[4])->alloc.NodeList(), "n2");
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "ALLOCATED");
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n2")), "MIXED");
  // Memory limits packing: 600 MiB each, so one per 1000 MiB node.
  JobSpec mem = Spec();
  mem.mem_per_node_mb = 600;
  JobId m1 = Submit(mem);
  JobId m2 = Submit(mem);
  EXPECT_EQ(cluster_->Job(m1)->alloc.NodeList(), "n2");  // n2 has 900 MiB free
  EXPECT_EQ(cluster_->Job(m2)->alloc.NodeList(), "n3");
  // Distinct CPUs on a shared node.
  auto a = cluster_->Job(ids[0])->alloc.nodes[0].cpus;
  auto b = cluster_->Job(ids[1])->alloc.nodes[0].cpus;
  EXPECT_NE(a, b);
}

TEST_F(ClusterTest, MultiNodeAndCpusPerTask) {
  JobSpec s = Spec();
  s.min_nodes = 2;
  s.max_nodes = 2;
  s.ntasks = 4;
  s.cpus_per_task = 2;
  JobId id = Submit(s);
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->alloc.NodeList(), "n[1-2]");
  EXPECT_EQ(job->alloc.TotalCpus(), 8u);
}

TEST_F(ClusterTest, ExclusiveTakesWholeNode) {
  JobId a = Submit(Spec());
  JobSpec ex = Spec();
  ex.exclusive = true;
  JobId b = Submit(ex);
  EXPECT_EQ(cluster_->Job(b)->alloc.NodeList(), "n2");
  EXPECT_EQ(cluster_->Job(b)->alloc.TotalCpus(), 4u);
  EXPECT_EQ(cluster_->Job(b)->alloc.TotalMemMb(), 1000u);
  JobId c = Submit(Spec());
  EXPECT_EQ(cluster_->Job(c)->alloc.NodeList(), "n1");  // not n2
  (void)a;
}

TEST_F(ClusterTest, OverSubscribeForceSharesCpus) {
  JobSpec s = Spec();
  s.partitions = {"shared"};
  s.ntasks = 4;
  s.mem_per_node_mb = 100;
  JobId a = Submit(s);
  JobId b = Submit(s);
  JobId c = Submit(s);
  EXPECT_EQ(StateOf(a), JobState::kRunning);
  EXPECT_EQ(StateOf(b), JobState::kRunning);  // FORCE:2 shares each CPU between two
  EXPECT_EQ(StateOf(c), JobState::kPending);
  EXPECT_EQ(ReasonOf(c), PendingReason::kResources);
}

TEST_F(ClusterTest, NodeListAndExclude) {
  JobSpec w = Spec();
  w.nodelist = "n3";
  EXPECT_EQ(cluster_->Job(Submit(w))->alloc.NodeList(), "n3");
  JobSpec x = Spec();
  x.exclude = "n[1-2]";
  EXPECT_EQ(cluster_->Job(Submit(x))->alloc.NodeList(), "n3");
  JobSpec bad = Spec();
  bad.nodelist = "nosuch";
  EXPECT_EQ(cluster_->ctld().Submit(bad, kAlice).error().code(), ErrorCode::kInvalidNodeName);
  // A required node that is drained: ReqNodeNotAvail, and others still run.
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n4", NodeStateUpdate::kDrain, "maint"}, kRoot).has_value());
  JobSpec w4 = Spec();
  w4.nodelist = "n4";
  JobId id = Submit(w4);
  EXPECT_EQ(ReasonOf(id), PendingReason::kReqNodeNotAvail);
  EXPECT_EQ(StateOf(Submit(Spec())), JobState::kRunning);
}

TEST_F(ClusterTest, PartitionLimits) {
  JobSpec longjob = Spec();
  longjob.partitions = {"short"};
  longjob.time_limit = Duration::FromMinutes(30);
  JobId a = Submit(longjob);
  EXPECT_EQ(ReasonOf(a), PendingReason::kPartitionTimeLimit);
  JobSpec down = Spec();
  down.partitions = {"closed"};
  JobId b = Submit(down);
  EXPECT_EQ(ReasonOf(b), PendingReason::kPartitionDown);
  JobSpec nosuch = Spec();
  nosuch.partitions = {"nosuch"};
  EXPECT_EQ(cluster_->ctld().Submit(nosuch, kAlice).error().code(),
            ErrorCode::kInvalidPartitionName);
  JobSpec huge = Spec();
  huge.ntasks = 100;
  EXPECT_EQ(cluster_->ctld().Submit(huge, kAlice).error().code(),
            ErrorCode::kNodeConfigUnavailable);
  // Neither blocks the partition for others.
  EXPECT_EQ(StateOf(Submit(Spec())), JobState::kRunning);
  // Shortening the limit lets it run.
  ctld::JobUpdate u;
  u.time_limit = Duration::FromMinutes(5);
  ASSERT_TRUE(cluster_->ctld().UpdateJob(a, u, kAlice).has_value());
  EXPECT_EQ(StateOf(a), JobState::kRunning);
}

TEST_F(ClusterTest, HoldAndRelease) {
  JobSpec s = Spec();
  s.hold = true;
  JobId a = Submit(s);
  EXPECT_EQ(ReasonOf(a), PendingReason::kJobHeldUser);
  EXPECT_EQ(cluster_->Job(a)->priority, 0u);
  ASSERT_TRUE(cluster_->ctld().Release(a, kAlice).has_value());
  EXPECT_EQ(StateOf(a), JobState::kRunning);

  JobSpec big = Spec();
  big.ntasks = 16;
  Submit(big);
  JobId b = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Hold(b, kRoot).has_value());
  EXPECT_EQ(ReasonOf(b), PendingReason::kJobHeldAdmin);
  EXPECT_EQ(cluster_->ctld().Release(b, kAlice).error().code(), ErrorCode::kAccessDenied);
  ASSERT_TRUE(cluster_->ctld().Release(b, kRoot).has_value());
  EXPECT_NE(ReasonOf(b), PendingReason::kJobHeldAdmin);
}

TEST_F(ClusterTest, CancelPendingAndRunning) {
  JobSpec big = Spec();
  big.ntasks = 16;
  JobId run = Submit(big);
  JobId pend = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Cancel(pend, kAlice).has_value());
  EXPECT_EQ(StateOf(pend), JobState::kCancelled);
  ASSERT_TRUE(cluster_->ctld().Cancel(run, kAlice).has_value());
  EXPECT_EQ(StateOf(run), JobState::kCompleting);
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kTerminate, run), 4u);
  EXPECT_EQ(cluster_->ctld().Cancel(run, kAlice).error().code(), ErrorCode::kAlreadyDone);
  ASSERT_TRUE(cluster_->ConfirmTerminated().has_value());
  EXPECT_EQ(StateOf(run), JobState::kCancelled);
  EXPECT_EQ(cluster_->ctld().Cancel(run, kAlice).error().code(), ErrorCode::kAlreadyDone);
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 0u);
  // A late completion report changes nothing.
  ASSERT_TRUE(cluster_->ctld().JobComplete("n1", run, 15).has_value());
  EXPECT_EQ(StateOf(run), JobState::kCancelled);
}

TEST_F(ClusterTest, TimeLimitGivesTimeout) {
  JobSpec s = Spec();
  s.time_limit = Duration::FromMinutes(2);
  JobId id = Submit(s);
  ASSERT_TRUE(cluster_->Advance(seconds(119)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kTimeout);
  EXPECT_EQ(ReasonOf(id), PendingReason::kTimeLimit);
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kTerminate, id), 1u);
}

TEST_F(ClusterTest, SignalAndRequeue) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Signal(id, 10, kAlice).has_value());
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kSignal, id), 1u);
  ASSERT_TRUE(cluster_->ctld().Requeue(id, kAlice).has_value());
  // CG until n1 confirms the old run is gone, then PD.
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(cluster_->transport().LastTerminate(id)->end_state, JobState::kPending);
  EXPECT_EQ(cluster_->ctld().Requeue(id, kAlice).error().code(),
            ErrorCode::kTransitionStateNoUpdate);
  ASSERT_TRUE(cluster_->ConfirmTerminated().has_value());
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->state, JobState::kPending);
  EXPECT_EQ(job->restarts, 1u);
  EXPECT_EQ(job->reason, PendingReason::kBeginTime);
  ASSERT_TRUE(cluster_->Advance(seconds(121)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kRunning);
}

TEST_F(ClusterTest, UpdateJobFields) {
  JobSpec big = Spec();
  big.ntasks = 16;
  Submit(big);
  JobId id = Submit(Spec());
  ctld::JobUpdate u;
  u.name = "renamed";
  u.nice = 10;
  u.partition = "short";
  u.min_nodes = 2;
  ASSERT_TRUE(cluster_->ctld().UpdateJob(id, u, kAlice).has_value());
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->name, "renamed");
  EXPECT_EQ(job->partition, "short");
  EXPECT_EQ(job->min_nodes, 2u);
  ctld::JobUpdate longer;
  longer.time_limit = Duration::FromMinutes(120);
  EXPECT_EQ(cluster_->ctld().UpdateJob(id, longer, kAlice).error().code(),
            ErrorCode::kAccessDenied);
  ctld::JobUpdate negative;
  negative.nice = -5;
  EXPECT_EQ(cluster_->ctld().UpdateJob(id, negative, kAlice).error().code(),
            ErrorCode::kAccessDenied);
  EXPECT_TRUE(cluster_->ctld().UpdateJob(id, negative, kRoot).has_value());
}

TEST_F(ClusterTest, Authorisation) {
  JobId id = Submit(Spec());
  EXPECT_EQ(cluster_->ctld().Cancel(id, kBob).error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(cluster_->ctld().Hold(id, kBob).error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(cluster_->ctld().Submit(Spec(kAlice), kBob).error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(
      cluster_->ctld().UpdateNode({"n1", NodeStateUpdate::kDrain, "x"}, kAlice).error().code(),
      ErrorCode::kAccessDenied);
  ctld::Identity slurm_user{500, 500};
  EXPECT_TRUE(cluster_->ctld().Signal(id, 10, slurm_user).has_value());
  EXPECT_TRUE(cluster_->ctld().Cancel(id, kRoot).has_value());
}

TEST_F(ClusterTest, DrainAndResume) {
  ctld::Controller& c = cluster_->ctld();
  JobId id = Submit(Spec());
  EXPECT_EQ(c.UpdateNode({"n1", NodeStateUpdate::kDrain, ""}, kRoot).error().code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(c.UpdateNode({"n1", NodeStateUpdate::kDrain, "disk"}, kRoot).has_value());
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "draining");
  EXPECT_EQ(cluster_->Job(Submit(Spec()))->alloc.NodeList(), "n2");
  ASSERT_TRUE(cluster_->Complete(id).has_value());
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "drained");
  EXPECT_EQ(cluster_->Node("n1")->reason, "disk");
  ASSERT_TRUE(c.UpdateNode({"n1", NodeStateUpdate::kResume, ""}, kRoot).has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "IDLE");
  EXPECT_EQ(cluster_->Job(Submit(Spec()))->alloc.NodeList(), "n1");
}

TEST_F(ClusterTest, AdminDownKillsAndRequeues) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n1", NodeStateUpdate::kDown, "bad"}, kRoot).has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "DOWN");
  EXPECT_EQ(StateOf(id), JobState::kPending);  // JobRequeue=1 by default
  // ReturnToService=1 does not bring back an admin DOWN.
  ASSERT_TRUE(cluster_->RegisterNode("n1").has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "DOWN");
}

TEST_F(ClusterTest, NodeTimeoutDownsNodeAndRequeuesOrFails) {
  JobId requeued = Submit(Spec());
  JobSpec no = Spec();
  no.requeue = false;
  JobId failed = Submit(no);
  ASSERT_EQ(cluster_->Job(requeued)->alloc.NodeList(), "n1");
  ASSERT_EQ(cluster_->Job(failed)->alloc.NodeList(), "n1");
  // Everyone but n1 keeps heartbeating.
  for (int t = 0; t < 3; ++t) {
    ASSERT_TRUE(cluster_->Advance(seconds(100)).has_value());
    for (const char* n : {"n2", "n3", "n4"}) ASSERT_TRUE(cluster_->ctld().Heartbeat(n).has_value());
  }
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  auto n1 = cluster_->Node("n1");
  EXPECT_EQ(NodeStateLong(*n1), "DOWN+NOT_RESPONDING");
  EXPECT_EQ(n1->reason, "Not responding");
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n2")), "IDLE");
  EXPECT_EQ(StateOf(requeued), JobState::kPending);
  EXPECT_EQ(StateOf(failed), JobState::kNodeFail);
  // ReturnToService=1: registering brings a not-responding node back.
  ASSERT_TRUE(cluster_->RegisterNode("n1").has_value());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "IDLE");
  EXPECT_EQ(cluster_->Node("n1")->reason, "");
}

TEST_F(ClusterTest, ReconfigureKeepsJobs) {
  JobId run = Submit(Spec());
  JobSpec s = Spec();
  s.partitions = {"closed"};
  JobId pend = Submit(s);
  std::string conf = kClusterConf;
  conf.replace(conf.find("State=DOWN"), 10, "State=UP");
  conf += "NodeName=n5 CPUs=8 RealMemory=2000\nPartitionName=big Nodes=n5\n";
  ASSERT_TRUE(cluster_->Reconfigure(conf).has_value());
  EXPECT_EQ(StateOf(run), JobState::kRunning);
  EXPECT_EQ(StateOf(pend), JobState::kRunning);  // its partition came up
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 2u);
  EXPECT_TRUE(cluster_->Node("n5"));
  EXPECT_EQ(cluster_->ctld().Reconfigure(cluster_->config(), kAlice).error().code(),
            ErrorCode::kAccessDenied);
}

}  // namespace
}  // namespace drover::testing
