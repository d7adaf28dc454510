// --dependency end to end in the engine: each type, singleton, after+time, '?', a
// dependency that can never be satisfied (with and without kill-on-invalid-dep), and a
// controller restart. Evaluation is driven by the state changes of the jobs named.
#include <chrono>

#include "cluster_fixture.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

class DependencyTest : public ClusterTest {
 protected:
  // A job that takes a whole node, so the four nodes hold four of them.
  JobId SubmitDep(const std::string& dep, std::optional<bool> kill = std::nullopt,
                  const std::string& name = "job") {
    JobSpec s = Spec();
    s.dependency = dep;
    s.kill_on_invalid_dep = kill;
    s.name = name;
    return Submit(std::move(s));
  }
  JobId SubmitNamed(const std::string& name) {
    JobSpec s = Spec();
    s.name = name;
    return Submit(std::move(s));
  }
  std::string Dep(JobId id) { return DependencyText(cluster_->Job(id)->dependency); }
};

TEST_F(DependencyTest, AfterOkWaitsThenRuns) {
  JobId a = Submit(Spec());
  JobId b = SubmitDep("afterok:" + std::to_string(a));
  EXPECT_EQ(StateOf(a), JobState::kRunning);
  EXPECT_EQ(StateOf(b), JobState::kPending);
  EXPECT_EQ(ReasonOf(b), PendingReason::kDependency);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(b), JobState::kRunning);
}

TEST_F(DependencyTest, AfterOkOnFailureIsNeverSatisfiedAndStaysPending) {
  JobId a = Submit(Spec());
  JobId b = SubmitDep("afterok:" + std::to_string(a), false);
  ASSERT_TRUE(cluster_->Finish(a, 3).has_value());
  EXPECT_EQ(StateOf(b), JobState::kPending);
  EXPECT_EQ(ReasonOf(b), PendingReason::kDependencyNeverSatisfied);
  EXPECT_EQ(cluster_->Job(b)->dependency.items[0].status, DependencyStatus::kFailed);
}

TEST_F(DependencyTest, KillOnInvalidDepCancels) {
  JobId a = Submit(Spec());
  JobId b = SubmitDep("afterok:" + std::to_string(a), true);
  JobId c = SubmitDep("afterok:" + std::to_string(b), true);  // cascades
  ASSERT_TRUE(cluster_->Finish(a, 1).has_value());
  EXPECT_EQ(StateOf(b), JobState::kCancelled);
  EXPECT_EQ(StateOf(c), JobState::kCancelled);
}

TEST_F(DependencyTest, KillInvalidDependFromSlurmConf) {
  std::string conf = std::string(kClusterConf) + "DependencyParameters=kill_invalid_depend\n";
  StartCluster(conf.c_str());
  JobId a = Submit(Spec());
  JobId b = SubmitDep("afternotok:" + std::to_string(a));
  JobId c = SubmitDep("afternotok:" + std::to_string(a), false);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(b), JobState::kCancelled);
  EXPECT_EQ(StateOf(c), JobState::kPending);
  EXPECT_EQ(ReasonOf(c), PendingReason::kDependencyNeverSatisfied);
}

TEST_F(DependencyTest, AfterNotOkAndAfterAny) {
  JobId a = Submit(Spec());
  JobId notok = SubmitDep("afternotok:" + std::to_string(a));
  JobId any = SubmitDep("afterany:" + std::to_string(a));
  JobId bare = SubmitDep(std::to_string(a));
  ASSERT_TRUE(cluster_->Finish(a, 2).has_value());
  EXPECT_EQ(StateOf(notok), JobState::kRunning);
  EXPECT_EQ(StateOf(any), JobState::kRunning);
  EXPECT_EQ(StateOf(bare), JobState::kRunning);
}

TEST_F(DependencyTest, AfterCorrIsAfterOkWithoutArrays) {
  JobId a = Submit(Spec());
  JobId b = SubmitDep("aftercorr:" + std::to_string(a));
  EXPECT_EQ(ReasonOf(b), PendingReason::kDependency);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(b), JobState::kRunning);
}

TEST_F(DependencyTest, AfterWithDelayUsesTheClockNotPolling) {
  JobSpec held = Spec();
  held.hold = true;
  JobId a = Submit(std::move(held));
  JobId b = SubmitDep("after:" + std::to_string(a) + "+2");
  EXPECT_EQ(ReasonOf(b), PendingReason::kDependency);
  ASSERT_TRUE(cluster_->ctld().Release(a, kAlice).has_value());
  EXPECT_EQ(StateOf(a), JobState::kRunning);
  ASSERT_TRUE(cluster_->Advance(seconds(60)).has_value());
  EXPECT_EQ(StateOf(b), JobState::kPending);
  ASSERT_TRUE(cluster_->Advance(seconds(61)).has_value());
  EXPECT_EQ(StateOf(b), JobState::kRunning);
}

TEST_F(DependencyTest, AnySeparatorNeedsOneAndAllNeedsEvery) {
  JobId a = Submit(Spec());
  JobId b = Submit(Spec());
  std::string sa = std::to_string(a), sb = std::to_string(b);
  JobId any = SubmitDep("afterok:" + sa + "?afterok:" + sb);
  JobId all = SubmitDep("afterok:" + sa + ":" + sb);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(any), JobState::kRunning);
  EXPECT_EQ(StateOf(all), JobState::kPending);
  EXPECT_EQ(cluster_->Job(all)->dependency.items[0].status, DependencyStatus::kFulfilled);
  ASSERT_TRUE(cluster_->Finish(b, 0).has_value());
  EXPECT_EQ(StateOf(all), JobState::kRunning);
}

TEST_F(DependencyTest, SingletonRunsOneAtATime) {
  JobId a = SubmitNamed("solo");
  JobId b = SubmitDep("singleton", std::nullopt, "solo");
  JobId c = SubmitDep("singleton", std::nullopt, "solo");
  JobId other = SubmitDep("singleton", std::nullopt, "other");
  EXPECT_EQ(StateOf(a), JobState::kRunning);
  EXPECT_EQ(ReasonOf(b), PendingReason::kDependency);
  EXPECT_EQ(ReasonOf(c), PendingReason::kDependency);
  EXPECT_EQ(StateOf(other), JobState::kRunning);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(b), JobState::kRunning);
  EXPECT_EQ(StateOf(c), JobState::kPending);
  ASSERT_TRUE(cluster_->Finish(b, 1).has_value());
  EXPECT_EQ(StateOf(c), JobState::kRunning);
}

TEST_F(DependencyTest, UnknownJobIsRefused) {
  JobSpec s = Spec();
  s.dependency = "afterok:99999";
  auto id = cluster_->ctld().Submit(std::move(s), kAlice);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code(), ErrorCode::kDependency);
  EXPECT_EQ(id.error().message(), "Job dependency problem");
}

TEST_F(DependencyTest, CancelledTargetSatisfiesAfterAndFailsAfterOk) {
  JobSpec held = Spec();
  held.hold = true;
  JobId a = Submit(std::move(held));
  JobId after = SubmitDep("after:" + std::to_string(a));
  JobId ok = SubmitDep("afterok:" + std::to_string(a));
  ASSERT_TRUE(cluster_->ctld().Cancel(a, kAlice).has_value());
  EXPECT_EQ(StateOf(after), JobState::kRunning);
  EXPECT_EQ(ReasonOf(ok), PendingReason::kDependencyNeverSatisfied);
}

TEST_F(DependencyTest, SurvivesRestart) {
  JobId a = Submit(Spec());
  JobId b = Submit(Spec());
  JobId waits = SubmitDep("afterok:" + std::to_string(a));
  JobId never = SubmitDep("afterok:" + std::to_string(b), false);
  ASSERT_TRUE(cluster_->Finish(b, 1).has_value());
  EXPECT_EQ(ReasonOf(never), PendingReason::kDependencyNeverSatisfied);
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  EXPECT_EQ(StateOf(waits), JobState::kPending);
  EXPECT_EQ(Dep(waits), "afterok:" + std::to_string(a));
  EXPECT_EQ(ReasonOf(never), PendingReason::kDependencyNeverSatisfied);
  ASSERT_TRUE(cluster_->Finish(a, 0).has_value());
  EXPECT_EQ(StateOf(waits), JobState::kRunning);
  EXPECT_EQ(StateOf(never), JobState::kPending);
}

}  // namespace
}  // namespace drover::testing
