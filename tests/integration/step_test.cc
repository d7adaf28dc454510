// Allocations (salloc/srun's AllocateJob) and steps in the in-process cluster: an
// allocation launches nothing and ends when its client says; steps are placed inside it,
// book its CPUs, wait when busy, never repeat an id (not even after a restart), and end
// with their job.
#include <gtest/gtest.h>

#include "cluster_fixture.h"
#include "ctld/steps.h"

namespace drover::testing {
namespace {

using ctld::StepRequest;

JobSpec AllocSpec(uint32_t nodes, uint32_t tasks) {
  JobSpec s = Spec();
  s.script = SharedString();
  s.min_nodes = nodes;
  s.ntasks = tasks;
  return s;
}

class StepTest : public ClusterTest {
 protected:
  JobId Allocate(JobSpec spec, const ctld::Identity& who = kAlice) {
    auto id = cluster_->ctld().SubmitAllocation(std::move(spec), who);
    EXPECT_TRUE(id.has_value()) << id.error().ToString();
    return id.value_or(0);
  }
  Result<std::shared_ptr<const ctld::Step>> CreateStep(JobId job, StepRequest r,
                                                       const ctld::Identity& who = kAlice) {
    return cluster_->ctld().CreateStep(job, std::move(r), who);
  }
  static StepRequest Tasks(uint32_t n, uint32_t cpus_per_task = 1) {
    StepRequest r;
    r.num_tasks = n;
    r.cpus_per_task = cpus_per_task;
    return r;
  }
  size_t RunningSteps() {
    auto snap = cluster_->ctld().Snapshot();
    return snap->steps ? snap->steps->size() : 0;
  }
};

TEST_F(StepTest, AnAllocationLaunchesNothingAndEndsWhenItsClientSays) {
  JobId id = Allocate(AllocSpec(2, 2));
  EXPECT_EQ(StateOf(id), JobState::kRunning);
  EXPECT_EQ(cluster_->Job(id)->name, "job");
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kLaunch, id), 0u);
  ASSERT_TRUE(cluster_->ctld().CompleteAllocation(id, ExitCode{3, 0}, kAlice).has_value());
  // Its nodes still terminate it (steps may run there) and confirm.
  EXPECT_EQ(StateOf(id), JobState::kCompleting);
  EXPECT_EQ(cluster_->transport().CountOf(NodeRequest::Kind::kTerminate, id), 2u);
  ASSERT_TRUE(cluster_->ConfirmAll(id).has_value());
  EXPECT_EQ(StateOf(id), JobState::kFailed);
  EXPECT_EQ(cluster_->Job(id)->exit_code, (ExitCode{3, 0}));
}

TEST_F(StepTest, OnlyTheOwnerEndsAnAllocationAndAPendingOneIsCancelled) {
  JobId big = Allocate(AllocSpec(4, 16));
  JobId waiting = Allocate(AllocSpec(1, 1));
  EXPECT_EQ(StateOf(waiting), JobState::kPending);
  EXPECT_FALSE(cluster_->ctld().CompleteAllocation(waiting, {}, kBob).has_value());
  ASSERT_TRUE(cluster_->ctld().CompleteAllocation(waiting, {}, kAlice).has_value());
  EXPECT_EQ(StateOf(waiting), JobState::kCancelled);
  EXPECT_EQ(StateOf(big), JobState::kRunning);
}

TEST_F(StepTest, RegistrationDoesNotLoseAnAllocationItsNodesKnowNothingOf) {
  JobId id = Allocate(AllocSpec(1, 1));
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(20)).has_value());
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  EXPECT_EQ(StateOf(id), JobState::kRunning);
}

TEST_F(StepTest, StepsArePlacedInBlocksWithinTheAllocation) {
  JobId id = Allocate(AllocSpec(2, 8));
  auto step = CreateStep(id, Tasks(3));
  ASSERT_TRUE(step.has_value()) << step.error().ToString();
  const ctld::Step& s = **step;
  EXPECT_EQ(s.id, 0u);
  ASSERT_EQ(s.nodes.size(), 2u);
  EXPECT_EQ(s.nodes[0].task_ids, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(s.nodes[1].task_ids, (std::vector<uint32_t>{2}));
  EXPECT_EQ(s.num_tasks, 3u);
  EXPECT_EQ(s.NodeList(), cluster_->Job(id)->alloc.NodeList());
  EXPECT_EQ(RunningSteps(), 1u);

  auto next = CreateStep(id, Tasks(1));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ((*next)->id, 1u);
  EXPECT_EQ((*next)->nodes.size(), 1u);
}

TEST_F(StepTest, AStepThatDoesNotFitBesideOthersWaitsAndOneThatNeverFitsIsRefused) {
  JobId id = Allocate(AllocSpec(1, 4));  // one node, 4 CPUs
  auto first = CreateStep(id, Tasks(3));
  ASSERT_TRUE(first.has_value());
  auto busy = CreateStep(id, Tasks(2));
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().code(), ErrorCode::kNodesBusy);
  auto fits = CreateStep(id, Tasks(1));
  ASSERT_TRUE(fits.has_value());
  auto never = CreateStep(id, Tasks(5));
  ASSERT_FALSE(never.has_value());
  EXPECT_EQ(never.error().code(), ErrorCode::kTooManyRequestedCpus);
  StepRequest overlap = Tasks(4);
  overlap.overlap = true;
  EXPECT_TRUE(CreateStep(id, overlap).has_value());
  // srun's end report frees the CPUs.
  ASSERT_TRUE(cluster_->ctld().CompleteStep(id, (*first)->id, ExitCode{}, kAlice).has_value());
  EXPECT_TRUE(CreateStep(id, Tasks(2)).has_value());
}

TEST_F(StepTest, NodeReportsEndAStepWhenEveryNodeHasReported) {
  JobId id = Allocate(AllocSpec(2, 2));
  auto step = CreateStep(id, Tasks(2));
  ASSERT_TRUE(step.has_value());
  const auto& nodes = (*step)->nodes;
  ASSERT_TRUE(cluster_->ctld().StepComplete(nodes[0].node, id, 0, 0).has_value());
  EXPECT_EQ(RunningSteps(), 1u);
  ASSERT_TRUE(cluster_->ctld().StepComplete(nodes[1].node, id, 0, 0).has_value());
  EXPECT_EQ(RunningSteps(), 0u);
  // A late or repeated report is harmless.
  EXPECT_TRUE(cluster_->ctld().StepComplete(nodes[1].node, id, 0, 0).has_value());
}

TEST_F(StepTest, StepsNeedARunningJobOfTheirOwn) {
  JobId id = Allocate(AllocSpec(1, 1));
  auto other = CreateStep(id, Tasks(1), kBob);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), ErrorCode::kAccessDenied);
  EXPECT_TRUE(CreateStep(id, Tasks(1), kRoot).has_value());
  auto none = CreateStep(9999, Tasks(1));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), ErrorCode::kInvalidJobId);
  StepRequest outside = Tasks(1);
  outside.node_list = "n9";
  auto bad = CreateStep(id, outside);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kNodeConfigUnavailable);
}

TEST_F(StepTest, AJobsEndEndsItsSteps) {
  JobId id = Submit(Spec());  // a batch job runs steps too (srun in the script)
  ASSERT_TRUE(CreateStep(id, Tasks(1)).has_value());
  EXPECT_EQ(RunningSteps(), 1u);
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  EXPECT_EQ(RunningSteps(), 0u);
  auto late = CreateStep(id, Tasks(1));
  ASSERT_FALSE(late.has_value());
}

TEST_F(StepTest, StepIdsNeverRepeatAcrossRestarts) {
  JobId id = Allocate(AllocSpec(1, 4));
  ASSERT_TRUE(CreateStep(id, Tasks(1)).has_value());
  ASSERT_TRUE(CreateStep(id, Tasks(1)).has_value());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  EXPECT_EQ(StateOf(id), JobState::kRunning);
  auto after = CreateStep(id, Tasks(1));
  ASSERT_TRUE(after.has_value()) << after.error().ToString();
  EXPECT_EQ((*after)->id, 2u);
  // And from a snapshot.
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  auto later = CreateStep(id, Tasks(1));
  ASSERT_TRUE(later.has_value()) << later.error().ToString();
  EXPECT_EQ((*later)->id, 3u);
}

TEST_F(StepTest, SignallingAStepReachesItsNodesOnly) {
  JobId id = Allocate(AllocSpec(2, 2));
  auto step = CreateStep(id, Tasks(2));
  ASSERT_TRUE(step.has_value());
  auto signal = [&](uint32_t s, const ctld::Identity& who) {
    auto r = cluster_->ctld().ActOnJobs(
        {id}, [&](ctld::Engine& e, JobId j, TimePoint) { return e.SignalStep(j, s, 9, who); });
    EXPECT_TRUE(r.has_value());
    return (*r)[0];
  };
  EXPECT_FALSE(signal(0, kBob).has_value());
  EXPECT_EQ(signal(7, kAlice).error().code(), ErrorCode::kInvalidJobId);
  ASSERT_TRUE(signal(0, kAlice).has_value());
  size_t sent = 0;
  for (const NodeRequest& r : cluster_->transport().requests()) {
    if (r.kind == NodeRequest::Kind::kSignalStep && r.job == id && r.step == 0 && r.signal == 9) {
      ++sent;
    }
  }
  EXPECT_EQ(sent, 2u);
  EXPECT_EQ(StateOf(id), JobState::kRunning);  // the job itself goes on
}

// PlanStep alone, over a hand-made allocation.
Allocation TwoNodes(uint16_t cpus_each) {
  Allocation a;
  for (const char* n : {"a1", "a2"}) {
    NodeAllocation na;
    na.node = n;
    for (uint16_t c = 0; c < cpus_each; ++c) na.cpus.push_back(c);
    a.nodes.push_back(na);
  }
  return a;
}

TEST(PlanStepTest, DefaultsToEveryNodeOneTaskEach) {
  auto plan = ctld::PlanStep(TwoNodes(2), StepRequest{}, [](const std::string&) { return 0u; });
  ASSERT_TRUE(plan.has_value());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].task_ids, std::vector<uint32_t>{0});
  EXPECT_EQ((*plan)[1].task_ids, std::vector<uint32_t>{1});
}

TEST(PlanStepTest, FewerTasksThanNodesShrinksTheNodeCount) {
  StepRequest r;
  r.min_nodes = 2;
  r.num_tasks = 1;
  auto plan = ctld::PlanStep(TwoNodes(2), r, [](const std::string&) { return 0u; });
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->size(), 1u);
}

TEST(PlanStepTest, SkipsABusyNodeWhenAnotherCanHoldTheShare) {
  StepRequest r;
  r.num_tasks = 2;
  r.cpus_per_task = 2;
  r.min_nodes = 1;
  // a1 is full; a2 takes both tasks (4 CPUs).
  auto plan = ctld::PlanStep(TwoNodes(4), r,
                             [](const std::string& n) { return n == "a1" ? 3u : 0u; });
  ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].node, "a2");
  EXPECT_EQ((*plan)[0].cpus, 4u);
  // -w a1 must wait instead.
  r.node_list = "a1";
  auto pinned = ctld::PlanStep(TwoNodes(4), r,
                               [](const std::string& n) { return n == "a1" ? 3u : 0u; });
  ASSERT_FALSE(pinned.has_value());
  EXPECT_EQ(pinned.error().code(), ErrorCode::kNodesBusy);
  // -x a2 with a1 full: busy, not impossible.
  r.node_list.clear();
  r.exclude = "a2";
  auto excluded = ctld::PlanStep(TwoNodes(4), r,
                                 [](const std::string& n) { return n == "a1" ? 3u : 0u; });
  ASSERT_FALSE(excluded.has_value());
  EXPECT_EQ(excluded.error().code(), ErrorCode::kNodesBusy);
}

}  // namespace
}  // namespace drover::testing
