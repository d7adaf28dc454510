// Node scripts as the controller sees them: a failed Prolog drains its node ("Prolog
// error") and requeues the batch job held; a failed Epilog drains its node ("Epilog
// error") while the job still finishes; an allocation's job survives a step's failed
// prolog.
#include "cluster_fixture.h"
#include "ctld/records.h"

namespace drover::testing {
namespace {

class PrologEpilogTest : public ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    cluster_->set_auto_confirm(false);  // these tests play the nodes' confirmations
  }
};

TEST_F(PrologEpilogTest, FailedPrologDrainsTheNodeAndRequeuesTheJobHeld) {
  JobId id = Submit(Spec());
  ASSERT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_EQ(cluster_->Job(id)->alloc.NodeList(), "n1");
  ASSERT_TRUE(cluster_->ctld().PrologFailed("n1", id).has_value());

  auto n1 = cluster_->Node("n1");
  EXPECT_TRUE(n1->drain);
  EXPECT_EQ(n1->reason, "Prolog error");
  EXPECT_EQ(n1->reason_uid, 500u);  // SlurmUser
  // CG until the node lets go of it (its epilog), then PENDING and held.
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(cluster_->Job(id)->end_state, JobState::kPending);
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kPending);
  EXPECT_EQ(ReasonOf(id), PendingReason::kJobHeldAdmin);
  EXPECT_EQ(cluster_->Job(id)->restarts, 1u);
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "drained");
  // Held: it stays queued; new work avoids the drained node.
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(30)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kPending);
  EXPECT_EQ(cluster_->Job(Submit(Spec()))->alloc.NodeList(), "n2");
  // A repeated report (another step's, a retry) changes nothing more.
  ASSERT_TRUE(cluster_->ctld().PrologFailed("n1", id).has_value());
  EXPECT_EQ(cluster_->Job(id)->restarts, 1u);
  // The drain is durable.
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  EXPECT_EQ(cluster_->Node("n1")->reason, "Prolog error");
  EXPECT_EQ(StateOf(id), JobState::kPending);
}

TEST_F(PrologEpilogTest, FailedEpilogDrainsTheNodeButTheJobFinishes) {
  JobSpec s = Spec();
  s.min_nodes = 2;
  s.max_nodes = 2;
  s.ntasks = 8;
  JobId id = Submit(s);
  ASSERT_EQ(cluster_->Job(id)->alloc.NodeList(), "n[1-2]");
  ASSERT_TRUE(cluster_->Complete(id, 0).has_value());
  ASSERT_EQ(StateOf(id), JobState::kCompleting);

  ASSERT_TRUE(cluster_->ctld().EpilogComplete("n1", id, /*epilog_failed=*/false).has_value());
  ASSERT_TRUE(cluster_->ctld().EpilogComplete("n2", id, /*epilog_failed=*/true).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCompleted);
  EXPECT_FALSE(cluster_->Node("n1")->drain);
  auto n2 = cluster_->Node("n2");
  EXPECT_TRUE(n2->drain);
  EXPECT_EQ(n2->reason, "Epilog error");
  EXPECT_EQ(NodeStateSinfo(*n2), "drained");
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "idle");
}

TEST_F(PrologEpilogTest, AnAllocationSurvivesAStepsFailedProlog) {
  JobSpec s = Spec();
  s.script = SharedString();  // salloc / srun: an allocation, no batch script
  auto allocated = cluster_->ctld().SubmitAllocation(std::move(s), kAlice);
  ASSERT_TRUE(allocated.has_value()) << allocated.error().ToString();
  JobId id = *allocated;
  ASSERT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_TRUE(cluster_->ctld().PrologFailed("n1", id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kRunning);
  EXPECT_EQ(cluster_->Node("n1")->reason, "Prolog error");
  EXPECT_EQ(NodeStateSinfo(*cluster_->Node("n1")), "draining");
}

}  // namespace
}  // namespace drover::testing
