// Job arrays: one pending record however many tasks, tasks split off as they start with
// their own ids, the %N throttle, cancelling parts of an array, and replay after a crash.
#include <malloc.h>

#include <cstdio>
#include <string>

#include "cluster_fixture.h"

namespace drover::testing {
namespace {

class ArrayTest : public ClusterTest {
 protected:
  void SetUp() override {
    static const std::string conf = std::string(kClusterConf) + "MaxArraySize=100001\n";
    StartCluster(conf.c_str());
  }

  JobSpec ArraySpec(uint32_t first, uint32_t last, uint32_t throttle = 0, uint32_t step = 1) {
    JobSpec s = Spec();
    s.array = ArrayTaskSet::FromRanges({{first, last, step}}).value();
    s.array_max_running = throttle;
    return s;
  }

  // Every record of array `id`, by task id (the master under its lowest pending task).
  std::map<uint32_t, std::shared_ptr<const Job>> Records(JobId id) {
    std::map<uint32_t, std::shared_ptr<const Job>> out;
    auto snap = cluster_->ctld().Snapshot();
    snap->ForEachJob([&](const Job& j) {
      if (j.array_job_id != id) return;
      uint32_t key = j.array_task_id ? *j.array_task_id : j.array_pending.min();
      out[key] = snap->FindJob(j.id);
    });
    return out;
  }

  size_t RunningTasks(JobId id) {
    size_t n = 0;
    for (const auto& [task, job] : Records(id)) n += job->state == JobState::kRunning;
    return n;
  }

  Status CancelTasks(JobId id, std::vector<std::pair<uint32_t, uint32_t>> tasks) {
    auto r = cluster_->ctld().ActOnJobs({id}, [&](ctld::Engine& e, JobId j, TimePoint now) {
      return e.CancelArrayTasks(j, tasks, kAlice, now);
    });
    if (!r) return r.error();
    return (*r)[0];
  }
};

TEST_F(ArrayTest, PendingArrayIsOneRecord) {
  JobSpec s = ArraySpec(0, 99999);
  s.hold = true;
  size_t before = cluster_->ctld().Snapshot()->job_count;
  JobId id = Submit(s);
  auto snap = cluster_->ctld().Snapshot();
  EXPECT_EQ(snap->job_count, before + 1);
  auto master = cluster_->Job(id);
  EXPECT_EQ(master->array_job_id, id);
  EXPECT_FALSE(master->array_task_id.has_value());
  EXPECT_EQ(master->array_pending.count(), 100000u);
  EXPECT_EQ(master->array_pending.ranges().size(), 1u);
  EXPECT_EQ(master->state, JobState::kPending);
}

// The controller's heap for a pending 100,000-task array is about one job's (the figure
// in bench/RESULTS.md comes from this test's output).
TEST_F(ArrayTest, PendingArrayCostsAboutOneJob) {
  JobSpec plain = Spec();
  plain.hold = true;
  Submit(plain);  // warm up the engine's containers
  size_t h0 = mallinfo2().uordblks;
  Submit(plain);
  size_t h1 = mallinfo2().uordblks;
  JobSpec array = ArraySpec(0, 99999);
  array.hold = true;
  Submit(array);
  size_t h2 = mallinfo2().uordblks;
  const long one_job = static_cast<long>(h1) - static_cast<long>(h0);
  const long one_array = static_cast<long>(h2) - static_cast<long>(h1);
  std::printf("heap: one pending job %ld bytes, one pending 100000-task array %ld bytes\n",
              one_job, one_array);
  EXPECT_LT(one_array, 2 * one_job + 16384);
}

TEST_F(ArrayTest, TooLargeArrayIsRefused) {
  auto r = cluster_->ctld().Submit(ArraySpec(0, 100001), kAlice);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArray);
}

TEST_F(ArrayTest, TasksSplitOffWithTheirOwnIdsAndTheLastIsTheMaster) {
  JobId id = Submit(ArraySpec(0, 2));
  auto recs = Records(id);
  ASSERT_EQ(recs.size(), 3u);
  for (const auto& [task, job] : recs) {
    EXPECT_EQ(job->state, JobState::kRunning) << task;
    EXPECT_EQ(job->array_task_id, task);
    EXPECT_TRUE(job->array_pending.empty());
    EXPECT_EQ(job->spec.get(), recs[0]->spec.get());  // one spec for the whole array
  }
  EXPECT_NE(recs[0]->id, id);
  EXPECT_NE(recs[1]->id, id);
  EXPECT_EQ(recs[2]->id, id);
  // New ids continue after the tasks'.
  EXPECT_EQ(Submit(Spec()), std::max(recs[0]->id, recs[1]->id) + 1);
}

TEST_F(ArrayTest, ThrottleLimitsRunningTasks) {
  JobId id = Submit(ArraySpec(0, 9, /*throttle=*/3));
  EXPECT_EQ(RunningTasks(id), 3u);
  auto master = cluster_->Job(id);
  EXPECT_EQ(master->array_pending.count(), 7u);
  EXPECT_EQ(master->reason, PendingReason::kJobArrayTaskLimit);
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(1)).has_value());
  EXPECT_EQ(RunningTasks(id), 3u);
  // One task ends: the next takes its place, never more than three at once.
  JobId first = Records(id).at(0)->id;
  ASSERT_TRUE(cluster_->Finish(first).has_value());
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(1)).has_value());
  EXPECT_EQ(RunningTasks(id), 3u);
  EXPECT_EQ(cluster_->Job(id)->array_pending.count(), 6u);
  EXPECT_EQ(Records(id).at(3)->state, JobState::kRunning);
}

TEST_F(ArrayTest, CancelPartsOfAnArray) {
  JobId id = Submit(ArraySpec(0, 9, /*throttle=*/2));
  ASSERT_EQ(RunningTasks(id), 2u);
  // Pending tasks leave the master; a running task is cancelled.
  ASSERT_TRUE(CancelTasks(id, {{1, 1}, {4, 6}}).has_value());
  auto master = cluster_->Job(id);
  // 2, 3, 7, 8, 9 were left; task 1's end let task 2 start.
  EXPECT_EQ(master->array_pending.count(), 4u);
  EXPECT_FALSE(master->array_pending.Contains(5));
  EXPECT_EQ(Records(id).at(2)->state, JobState::kRunning);
  EXPECT_TRUE(master->array_pending.Contains(7));
  EXPECT_NE(Records(id).at(1)->state, JobState::kRunning);
  EXPECT_EQ(CancelTasks(id, {{50, 60}}).error().code(), ErrorCode::kInvalidJobId);
  // The whole array: the master and every task.
  ASSERT_TRUE(cluster_->ctld().Cancel(id, kAlice).has_value());
  EXPECT_EQ(StateOf(id), JobState::kCancelled);
}

TEST_F(ArrayTest, CancellingTheLastPendingTasksEndsTheMaster) {
  JobSpec s = ArraySpec(0, 3);
  s.hold = true;
  JobId id = Submit(s);
  ASSERT_TRUE(CancelTasks(id, {{0, 3}}).has_value());
  auto master = cluster_->Job(id);
  EXPECT_EQ(master->state, JobState::kCancelled);
  EXPECT_EQ(master->array_task_id, 3u);
}

TEST_F(ArrayTest, ArraysSurviveACrash) {
  JobId id = Submit(ArraySpec(0, 5, /*throttle=*/2));
  ASSERT_EQ(RunningTasks(id), 2u);
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  // Another task splits off after the snapshot: it is replayed from the log tail.
  ASSERT_TRUE(cluster_->Finish(Records(id).at(0)->id).has_value());
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(1)).has_value());
  auto before = Records(id);
  ASSERT_EQ(before.size(), 4u);  // tasks 0, 1, 2 and the master with 3-5
  cluster_->Crash();
  Status restarted = cluster_->Restart();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().ToString();
  auto after = Records(id);
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [task, job] : before) {
    const auto& again = after.at(task);
    EXPECT_EQ(again->id, job->id) << task;
    EXPECT_EQ(again->state, job->state) << task;
    EXPECT_EQ(again->array_task_id, job->array_task_id) << task;
    EXPECT_EQ(again->array_pending, job->array_pending) << task;
    EXPECT_EQ(*again->spec, *job->spec) << task;
  }
  EXPECT_EQ(cluster_->Job(id)->array_pending.count(), 3u);
  EXPECT_EQ(cluster_->Job(id)->spec->array_max_running, 2u);
  // The throttle still holds once the nodes are back.
  ASSERT_TRUE(cluster_->RegisterAllNodes().has_value());
  ASSERT_TRUE(cluster_->Advance(std::chrono::seconds(1)).has_value());
  EXPECT_EQ(RunningTasks(id), 2u);
}

// afterok:<array> waits for every task, however they start and end; one failed task makes
// it never satisfied; afterany waits for the last task; afterok:<array>_<task> waits for
// that task alone.
TEST_F(ArrayTest, DependenciesOnAnArrayWaitForEveryTask) {
  JobId array = Submit(ArraySpec(1, 3));  // three one-CPU tasks start at once
  ASSERT_EQ(RunningTasks(array), 3u);
  auto after = [&](const std::string& dep) {
    JobSpec s = Spec();
    s.dependency = dep;
    return Submit(s);
  };
  JobId ok = after("afterok:" + std::to_string(array));
  JobId any = after("afterany:" + std::to_string(array));
  JobId one = after("afterok:" + std::to_string(array) + "_2");
  EXPECT_EQ(ReasonOf(ok), PendingReason::kDependency);

  auto records = Records(array);
  ASSERT_EQ(records.size(), 3u);
  ASSERT_TRUE(cluster_->Finish(records[2]->id).has_value());  // task 2 completes
  EXPECT_EQ(StateOf(one), JobState::kRunning);
  EXPECT_EQ(ReasonOf(ok), PendingReason::kDependency);
  ASSERT_TRUE(cluster_->Finish(records[1]->id).has_value());
  EXPECT_EQ(ReasonOf(ok), PendingReason::kDependency);  // task 3 still runs
  EXPECT_EQ(ReasonOf(any), PendingReason::kDependency);
  ASSERT_TRUE(cluster_->Finish(records[3]->id, 1).has_value());  // task 3 fails
  EXPECT_EQ(ReasonOf(ok), PendingReason::kDependencyNeverSatisfied);
  EXPECT_EQ(StateOf(any), JobState::kRunning);
}

TEST_F(ArrayTest, DependencyOnAThrottledArrayWaitsForTasksNotStartedYet) {
  JobId array = Submit(ArraySpec(0, 2, /*throttle=*/1));
  JobSpec s = Spec();
  s.dependency = "afterok:" + std::to_string(array);
  JobId waiter = Submit(s);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ReasonOf(waiter), PendingReason::kDependency) << "after " << i << " tasks";
    std::shared_ptr<const Job> running;
    for (const auto& [task, job] : Records(array)) {
      if (job->state == JobState::kRunning) running = job;
    }
    ASSERT_NE(running, nullptr);
    ASSERT_TRUE(cluster_->Finish(running->id).has_value());
  }
  EXPECT_EQ(StateOf(waiter), JobState::kRunning);
}

}  // namespace
}  // namespace drover::testing
