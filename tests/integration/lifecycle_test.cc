// Job life cycle suites: COMPLETING until every node confirms (and a DOWN node stops the
// wait), durability of the wait across a crash, the time-limit reason carried to the
// nodes, unkillable processes draining their node, and MinJobAge purging.
#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
// From the AddressSanitizer runtime (gcc ships no header for it).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

#include "cluster_fixture.h"
#include "ctld/records.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

class LifecycleTest : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    cluster_->set_auto_confirm(false);  // these tests play the nodes' confirmations
  }
  // A job filling n1 and n2 (every CPU of both).
  JobId SubmitTwoNodeJob() {
    JobSpec s = Spec();
    s.min_nodes = 2;
    s.max_nodes = 2;
    s.ntasks = 8;
    JobId id = Submit(s);
    EXPECT_EQ(cluster_->Job(id)->alloc.NodeList(), "n[1-2]");
    return id;
  }
  std::vector<std::string> Waiting(JobId id) { return cluster_->Job(id)->completing_nodes; }
  size_t TerminatesTo(const std::string& node, JobId id, JobState why) {
    size_t n = 0;
    for (const auto& r : cluster_->transport().requests()) {
      n += r.kind == NodeRequest::Kind::kTerminate && r.node == node && r.job == id &&
           r.end_state == why;
    }
    return n;
  }
};

TEST_F(LifecycleTest, EachNodeReturnsOnceItConfirms) {
  JobId id = SubmitTwoNodeJob();
  JobSpec wide = Spec();
  wide.ntasks = 12;  // needs n1 or n2 back
  JobId next = Submit(wide);
  ASSERT_EQ(StateOf(next), JobState::kPending);

  ASSERT_TRUE(cluster_->Complete(id, 0).has_value());
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->state, JobState::kCompleting);
  EXPECT_EQ(job->end_state, JobState::kCompleted);
  EXPECT_EQ(job->exit_code.ToString(), "0:0");
  EXPECT_EQ(Waiting(id), (std::vector<std::string>{"n1", "n2"}));
  // Every node is asked to clean up, the batch host too (its epilog runs there).
  EXPECT_EQ(TerminatesTo("n1", id, JobState::kCompleted), 1u);
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCompleted), 1u);
  // The nodes stay booked and show COMPLETING; nothing else may start on them.
  auto n1 = cluster_->Node("n1");
  EXPECT_EQ(n1->alloc_cpus, 4u);
  EXPECT_EQ(n1->completing_jobs, 1u);
  EXPECT_EQ(NodeStateLong(*n1), "IDLE+COMPLETING");
  EXPECT_EQ(NodeStateSinfo(*n1), "completing");
  EXPECT_EQ(StateOf(next), JobState::kPending);
  // A late or repeated report changes nothing.
  ASSERT_TRUE(cluster_->ctld().JobComplete("n1", id, 3 << 8).has_value());
  EXPECT_EQ(cluster_->Job(id)->end_state, JobState::kCompleted);

  ASSERT_TRUE(cluster_->Confirm(id, "n1").has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(Waiting(id), std::vector<std::string>{"n2"});
  EXPECT_EQ(cluster_->Node("n1")->completing_jobs, 0u);
  ASSERT_TRUE(cluster_->Confirm(id, "n1").has_value());  // repeated: harmless
  EXPECT_EQ(Waiting(id), std::vector<std::string>{"n2"});
  // n1 is clean: it went back at once, while n2 still holds the job; `next` took it.
  EXPECT_EQ(StateOf(next), JobState::kRunning);
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n1")), "ALLOCATED");
  EXPECT_EQ(cluster_->Node("n2")->alloc_cpus, 4u);

  ASSERT_TRUE(cluster_->Confirm(id, "n2").has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleted);
  EXPECT_TRUE(Waiting(id).empty());
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n2")), "IDLE");
  ASSERT_TRUE(cluster_->Confirm(id, "n2").has_value());  // after the end: harmless
  EXPECT_EQ(StateOf(id), JobState::kCompleted);
}

TEST_F(LifecycleTest, CancelledJobIsCompletingAndRefusesFurtherActions) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(TerminatesTo("n1", id, JobState::kCancelled), 1u);
  EXPECT_EQ(cluster_->ctld().Cancel(id, kAlice).error().code(), ErrorCode::kAlreadyDone);
  EXPECT_EQ(cluster_->ctld().Signal(id, 10, kAlice).error().code(), ErrorCode::kAlreadyDone);
  ctld::JobUpdate u;
  u.name = "late";
  EXPECT_EQ(cluster_->ctld().UpdateJob(id, u, kAlice).error().code(), ErrorCode::kJobFinished);
  // The script's own end report arrives while the node cleans up: still CANCELLED.
  ASSERT_TRUE(cluster_->ctld().JobComplete("n1", id, SIGTERM).has_value());
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
  EXPECT_EQ(cluster_->Job(id)->exit_code.ToString(), "0:15");
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 0u);
}

TEST_F(LifecycleTest, CancelledPendingJobEndsAtOnce) {
  JobSpec s = Spec();
  s.hold = true;
  JobId id = Submit(s);
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kTerminate, id), 0u);
}

TEST_F(LifecycleTest, TimeLimitTellsTheNodesWhy) {
  JobSpec s = Spec();
  s.time_limit = Duration::FromMinutes(1);
  JobId id = Submit(s);
  ASSERT_TRUE(cluster_->Advance(seconds(60)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(ReasonOf(id), PendingReason::kTimeLimit);
  // The node's supervisor prints "... DUE TO TIME LIMIT ***" for this one.
  EXPECT_EQ(TerminatesTo("n1", id, JobState::kTimeout), 1u);
  // The time limit does not fire again while the job completes; the node, silent, is
  // asked again, for the same reason.
  ASSERT_TRUE(cluster_->Advance(seconds(200)).has_value());  // within SlurmdTimeout
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_GT(TerminatesTo("n1", id, JobState::kTimeout), 1u);
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kTerminate, id),
            TerminatesTo("n1", id, JobState::kTimeout));
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kTimeout);
}

TEST_F(LifecycleTest, NodeReportedTimeoutAndOutOfMemoryKeepTheirState) {
  JobId a = Submit(Spec());
  JobId b = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld()
                  .JobComplete("n1", a, ctld::JobEnd{SIGTERM, JobState::kTimeout, false})
                  .has_value());
  ASSERT_TRUE(cluster_->ctld()
                  .JobComplete("n1", b, ctld::JobEnd{SIGKILL, JobState::kOutOfMemory, false})
                  .has_value());
  ASSERT_TRUE(cluster_->ConfirmAll(a).has_value());
  ASSERT_TRUE(cluster_->ConfirmAll(b).has_value());
  EXPECT_EQ(StateOf(a), JobState::kTimeout);
  EXPECT_EQ(ReasonOf(a), PendingReason::kTimeLimit);
  EXPECT_EQ(StateOf(b), JobState::kOutOfMemory);
}

TEST_F(LifecycleTest, AnAdminDownNodeStopsTheWait) {
  JobId id = SubmitTwoNodeJob();
  ASSERT_TRUE(cluster_->Complete(id).has_value());
  ASSERT_TRUE(cluster_->Confirm(id, "n1").has_value());
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n2", NodeStateUpdate::kDown, "dead"}, kRoot).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleted);
  EXPECT_EQ(cluster_->Node("n2")->alloc_cpus, 0u);
  EXPECT_EQ(cluster_->Node("n2")->completing_jobs, 0u);
}

TEST_F(LifecycleTest, ASilentNodeGoesDownAfterSlurmdTimeoutAndReleasesTheJob) {
  JobId id = SubmitTwoNodeJob();
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  ASSERT_TRUE(cluster_->Confirm(id, "n1").has_value());
  // n2 never answers (nor heartbeats); the others do.
  for (int t = 0; t < 3; ++t) {
    ASSERT_TRUE(cluster_->Advance(seconds(t < 2 ? 100 : 99)).has_value());
    ASSERT_EQ(StateOf(id), JobState::kCompleting);
    for (const char* n : {"n1", "n3", "n4"}) {
      ASSERT_TRUE(cluster_->ctld().Heartbeat(n).has_value());
    }
  }
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());  // SlurmdTimeout=300 reached
  EXPECT_EQ(NodeStateLong(*cluster_->Node("n2")), "DOWN+NOT_RESPONDING");
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 0u);
}

TEST_F(LifecycleTest, JobsOnANodeThatGoesDownCompleteOnTheOthers) {
  JobSpec no = Spec();
  no.requeue = false;
  no.min_nodes = 2;
  no.max_nodes = 2;
  no.ntasks = 8;
  JobId id = Submit(no);
  ASSERT_TRUE(
      cluster_->ctld().UpdateNode({"n1", NodeStateUpdate::kDown, "psu"}, kRoot).has_value());
  // n1 is DOWN: only n2 is asked, and the job waits only for it.
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(Waiting(id), std::vector<std::string>{"n2"});
  EXPECT_EQ(TerminatesTo("n1", id, JobState::kNodeFail), 0u);
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kNodeFail), 1u);
  ASSERT_TRUE(cluster_->Confirm(id, "n2").has_value());
  EXPECT_EQ(StateOf(id), JobState::kNodeFail);
}

TEST_F(LifecycleTest, RequeueGoesThroughCompletingThenPending) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Requeue(id, kAlice, /*hold=*/true).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 1u);
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  auto job = cluster_->Job(id);
  EXPECT_EQ(job->state, JobState::kPending);
  EXPECT_EQ(job->reason, PendingReason::kJobHeldUser);
  EXPECT_EQ(job->restarts, 1u);
  EXPECT_TRUE(job->alloc.nodes.empty());
}

TEST_F(LifecycleTest, ALaunchThatNeverArrivedDoesNotWaitForItsNode) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().LaunchFailed("n1", id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kPending);
  EXPECT_EQ(cluster_->Job(id)->restarts, 1u);
  EXPECT_EQ(cluster_->Node("n1")->alloc_cpus, 0u);
}

TEST_F(LifecycleTest, CompletingSurvivesACrashAndNodesAreAskedAgain) {
  JobId a = SubmitTwoNodeJob();
  JobId b = Submit(Spec());  // on n3
  ASSERT_TRUE(cluster_->ctld().Cancel(a, kAlice).has_value());
  ASSERT_TRUE(cluster_->Confirm(a, "n1").has_value());
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  ASSERT_TRUE(cluster_->Complete(b).has_value());  // in the log tail only
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());

  EXPECT_EQ(StateOf(a), JobState::kCompleting);
  EXPECT_EQ(cluster_->Job(a)->end_state, JobState::kCancelled);
  EXPECT_EQ(Waiting(a), std::vector<std::string>{"n2"});
  EXPECT_EQ(StateOf(b), JobState::kCompleting);
  EXPECT_EQ(Waiting(b), std::vector<std::string>{"n3"});
  EXPECT_EQ(cluster_->Node("n2")->completing_jobs, 1u);
  EXPECT_EQ(cluster_->Node("n2")->alloc_cpus, 4u);

  // Registering (perhaps after its own restart) the node is asked to terminate again.
  size_t before = TerminatesTo("n2", a, JobState::kCancelled);
  ASSERT_TRUE(cluster_->RegisterNode("n2").has_value());
  EXPECT_EQ(TerminatesTo("n2", a, JobState::kCancelled), before + 1);
  EXPECT_EQ(StateOf(a), JobState::kCompleting);  // registration alone confirms nothing
  ASSERT_TRUE(cluster_->Confirm(a, "n2").has_value());
  ASSERT_TRUE(cluster_->Confirm(b, "n3").has_value());
  EXPECT_EQ(StateOf(a), JobState::kCancelled);
  EXPECT_EQ(StateOf(b), JobState::kCompleted);
  EXPECT_EQ(cluster_->Node("n2")->alloc_cpus, 0u);
}

TEST_F(LifecycleTest, SilentNodesAreAskedAgainUntilTheyConfirm) {
  JobId id = SubmitTwoNodeJob();
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  ASSERT_TRUE(cluster_->Confirm(id, "n1").has_value());
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCancelled), 1u);
  ASSERT_TRUE(cluster_->Advance(seconds(29)).has_value());
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCancelled), 1u);  // still on its way
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCancelled), 2u);
  EXPECT_EQ(TerminatesTo("n1", id, JobState::kCancelled), 1u);  // n1 has answered
  ASSERT_TRUE(cluster_->Advance(seconds(30)).has_value());
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCancelled), 3u);
  ASSERT_TRUE(cluster_->Confirm(id, "n2").has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(60)).has_value());
  EXPECT_EQ(TerminatesTo("n2", id, JobState::kCancelled), 3u);
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
}

TEST_F(LifecycleTest, UnkillableProcessesDrainTheNode) {
  JobId id = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  ctld::JobEnd end{SIGKILL, JobState::kCancelled, /*unkillable=*/true};
  ASSERT_TRUE(cluster_->ctld().JobComplete("n1", id, end).has_value());
  auto n1 = cluster_->Node("n1");
  EXPECT_TRUE(n1->drain);
  EXPECT_EQ(n1->reason, "Kill task failed");
  EXPECT_EQ(n1->reason_uid, 500u);  // SlurmUser
  EXPECT_EQ(NodeStateSinfo(*n1), "draining");
  // The job still finishes when the node lets go of it; the node stays drained.
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "drained");
  EXPECT_EQ(cluster_->Job(Submit(Spec()))->alloc.NodeList(), "n2");
  // The drain is durable.
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_TRUE(cluster_->Node("n1")->drain);
  EXPECT_EQ(cluster_->Node("n1")->reason, "Kill task failed");
}

// MinJobAge ---------------------------------------------------------------------------

TEST_F(LifecycleTest, FinishedJobsArePurgedAfterMinJobAge) {
  // The fixture's slurm.conf leaves MinJobAge at Slurm's default, 300 s.
  JobId a = Submit(Spec());
  JobSpec held = Spec();
  held.hold = true;
  JobId pending = Submit(held);
  ASSERT_TRUE(cluster_->Finish(a).has_value());
  ASSERT_EQ(StateOf(a), JobState::kCompleted);
  ASSERT_TRUE(cluster_->Advance(seconds(299)).has_value());
  EXPECT_TRUE(cluster_->Job(a));
  size_t before = cluster_->ctld().Snapshot()->job_count;
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  EXPECT_FALSE(cluster_->Job(a));
  EXPECT_EQ(cluster_->ctld().Snapshot()->job_count, before - 1);
  EXPECT_TRUE(cluster_->Job(pending));  // pending jobs never age out
  size_t listed = 0;
  cluster_->ctld().Snapshot()->ForEachJob([&](const Job&) { ++listed; });
  EXPECT_EQ(listed, before - 1);
  EXPECT_EQ(cluster_->ctld().Cancel(a, kAlice).error().code(), ErrorCode::kInvalidJobId);
  // Its id is not handed out again.
  EXPECT_EQ(Submit(Spec()), pending + 1);
  // The purge is logged: a recovered controller has forgotten the job too.
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_FALSE(cluster_->Job(a));
  EXPECT_TRUE(cluster_->Job(pending));
  EXPECT_EQ(Submit(held), pending + 2);
}

TEST_F(LifecycleTest, PurgedJobsLeaveTheSnapshot) {
  JobId a = Submit(Spec());
  ASSERT_TRUE(cluster_->Finish(a).has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(300)).has_value());
  ASSERT_FALSE(cluster_->Job(a));
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_FALSE(cluster_->Job(a));
  EXPECT_EQ(cluster_->ctld().Snapshot()->job_count, 0u);
  EXPECT_EQ(Submit(Spec()), a + 1);
}

TEST_F(LifecycleTest, ManyPurgesCompactTheLog) {
  std::string conf = kClusterConf;
  conf += "MinJobAge=10\n";
  StartCluster(conf.c_str());
  JobSpec held = Spec();
  held.hold = true;
  std::vector<JobId> ids;
  for (int i = 0; i < 1000; ++i) ids.push_back(Submit(held));
  for (JobId id : ids) ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  auto before = cluster_->store().Recover();
  ASSERT_TRUE(before.has_value());
  EXPECT_FALSE(before->snapshot.has_value());
  EXPECT_GE(before->tail.size(), 2000u);  // every submission and cancellation
  // 1000 purges in one batch: the controller writes a snapshot, and the store drops the
  // records up to it, so the aged-out jobs are gone from the disk too.
  ASSERT_TRUE(cluster_->Advance(seconds(10)).has_value());
  ASSERT_EQ(cluster_->ctld().Snapshot()->job_count, 0u);
  auto after = cluster_->store().Recover();
  ASSERT_TRUE(after.has_value());
  ASSERT_TRUE(after->snapshot.has_value());
  EXPECT_TRUE(after->tail.empty());
  EXPECT_LT(after->snapshot->size(), 1000u);  // nodes and counters, no job
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_EQ(cluster_->ctld().Snapshot()->job_count, 0u);
  EXPECT_EQ(Submit(held), ids.back() + 1);
}

TEST_F(LifecycleTest, CompletingJobsAreNotPurged) {
  JobId a = Submit(Spec());
  ASSERT_TRUE(cluster_->ctld().Cancel(a, kAlice).has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(100)).has_value());
  for (const char* n : {"n1", "n2", "n3", "n4"}) {
    ASSERT_TRUE(cluster_->ctld().Heartbeat(n).has_value());
  }
  ASSERT_TRUE(cluster_->Advance(seconds(250)).has_value());
  ASSERT_EQ(StateOf(a), JobState::kCompleting);  // past MinJobAge, still waiting for n1
  ASSERT_TRUE(cluster_->ctld().Tick().has_value());
  ASSERT_TRUE(cluster_->Job(a));
  // Once done its end time is long past: the same batch's timers purge it.
  ASSERT_TRUE(cluster_->ConfirmAll(a).has_value());
  EXPECT_FALSE(cluster_->Job(a));
}

TEST_F(LifecycleTest, MinJobAgeZeroKeepsEveryJob) {
  std::string conf = kClusterConf;
  conf += "MinJobAge=0\n";
  StartCluster(conf.c_str());
  JobId a = Submit(Spec());
  ASSERT_TRUE(cluster_->Finish(a).has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(100000)).has_value());
  EXPECT_EQ(StateOf(a), JobState::kCompleted);
}

TEST_F(LifecycleTest, MinJobAgeFollowsReconfigure) {
  JobId a = Submit(Spec());
  ASSERT_TRUE(cluster_->Finish(a).has_value());
  std::string conf = kClusterConf;
  conf += "MinJobAge=5\n";
  ASSERT_TRUE(cluster_->Reconfigure(conf).has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(4)).has_value());
  EXPECT_TRUE(cluster_->Job(a));
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  EXPECT_FALSE(cluster_->Job(a));
}

// Log records -------------------------------------------------------------------------

TEST(LifecycleRecords, JobRecordsWithoutCompletionFieldsStillDecode) {
  auto job = std::make_shared<Job>();
  job->id = 7;
  job->spec = std::make_shared<const JobSpec>(Spec());
  job->state = JobState::kRunning;
  std::string v2 = ctld::EncodeRecord(ctld::JobRecord{true, true, job});
  // An older controller's record ends before the end state (1 byte), the empty node
  // list (1 byte), the spec block (its length, then 7 bytes for an empty one) and the
  // array block (its length, then 4 bytes for a job that is not an array).
  std::string v1 = v2.substr(0, v2.size() - 15);
  auto old = ctld::DecodeRecord(v1);
  ASSERT_TRUE(old.has_value()) << old.error().ToString();
  EXPECT_EQ(std::get<ctld::JobRecord>(*old).job->state, JobState::kRunning);

  job->state = JobState::kCompleting;
  job->end_state = JobState::kTimeout;
  job->completing_nodes = {"n1", "n9"};
  auto round = ctld::DecodeRecord(ctld::EncodeRecord(ctld::JobRecord{false, true, job}));
  ASSERT_TRUE(round.has_value());
  const Job& back = *std::get<ctld::JobRecord>(*round).job;
  EXPECT_EQ(back.end_state, JobState::kTimeout);
  EXPECT_EQ(back.completing_nodes, job->completing_nodes);

  // A record written before arrays (no array block) is a job that is not an array.
  std::string v3 = v2.substr(0, v2.size() - 5);
  auto pre_array = ctld::DecodeRecord(v3);
  ASSERT_TRUE(pre_array.has_value()) << pre_array.error().ToString();
  EXPECT_EQ(std::get<ctld::JobRecord>(*pre_array).job->array_job_id, 0u);
  EXPECT_TRUE(std::get<ctld::JobRecord>(*pre_array).job->array_pending.empty());

  // An array task split off, logged without its spec, keeps its array fields.
  job->array_job_id = 5;
  job->array_task_id = 3;
  job->array_pending = ArrayTaskSet::FromRanges({{4, 9, 1}}).value();
  auto task = ctld::DecodeRecord(ctld::EncodeRecord(ctld::JobRecord{true, false, job}));
  ASSERT_TRUE(task.has_value()) << task.error().ToString();
  const Job& t = *std::get<ctld::JobRecord>(*task).job;
  EXPECT_EQ(t.array_job_id, 5u);
  EXPECT_EQ(t.array_task_id, 3u);
  EXPECT_EQ(t.array_pending, job->array_pending);

  auto purge = ctld::DecodeRecord(ctld::EncodeRecord(ctld::PurgeRecord{42}));
  ASSERT_TRUE(purge.has_value());
  EXPECT_EQ(std::get<ctld::PurgeRecord>(*purge).id, 42u);
}

// Bytes the program has allocated and not freed: glibc's count, or the sanitizer
// allocator's when AddressSanitizer replaces malloc (glibc's then stays at 0).
size_t HeapInUse() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

// MinJobAge gives memory back: the heap in use after 4000 jobs ended and aged out is what
// it was before them (the log's records are dropped by the snapshot the purge triggers).
TEST(LifecycleMemory, PurgedJobsGiveTheirMemoryBack) {
  std::string conf = kClusterConf;
  conf += "MinJobAge=10\n";
  auto made = InProcessCluster::Create(conf);
  ASSERT_TRUE(made.has_value()) << made.error().ToString();
  InProcessCluster& cluster = **made;
  ASSERT_TRUE(cluster.RegisterAllNodes().has_value());
  JobSpec held = Spec();
  held.hold = true;
  size_t peak = 0;
  auto round = [&](int n) {
    std::vector<JobId> ids;
    for (int i = 0; i < n; ++i) ids.push_back(cluster.ctld().Submit(held, kAlice).value_or(0));
    for (JobId id : ids) ASSERT_TRUE(cluster.ctld().Cancel(id, kAlice).has_value());
    peak = HeapInUse();
    ASSERT_TRUE(cluster.Advance(seconds(10)).has_value());
    ASSERT_EQ(cluster.ctld().Snapshot()->job_count, 0u);
  };
  round(1000);  // grows whatever grows once (hash buckets, the store's buffers)
  const size_t before = HeapInUse();
  round(4000);
  const size_t after = HeapInUse();
  EXPECT_GT(peak, before + (4u << 20)) << "the ended jobs were not measured";
  EXPECT_LT(after, before + (256u << 10)) << "heap in use: " << before << " -> " << after;
}

}  // namespace
}  // namespace drover::testing
