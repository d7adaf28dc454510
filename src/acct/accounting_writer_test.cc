#include "acct/accounting_writer.h"

#include <gtest/gtest.h>

#include <atomic>

namespace drover::acct {
namespace {

// A store in memory that can be made to fail, as an unreachable database does.
class FlakyStore final : public AccountingStore {
 public:
  Status Put(std::span<const JobRecord> records) override {
    std::lock_guard lock(mu_);
    ++puts_;
    if (down_) return Error(ErrorCode::kIo, "database is down");
    for (const JobRecord& r : records) rows_[{r.job_id, r.submit_time}] = r;
    return Ok();
  }
  Status PutSteps(std::span<const StepRecord> steps) override {
    std::lock_guard lock(mu_);
    if (down_) return Error(ErrorCode::kIo, "database is down");
    for (const StepRecord& s : steps) steps_.push_back(s);
    return Ok();
  }
  Result<std::vector<JobRecord>> Query(const JobQuery&) override {
    std::lock_guard lock(mu_);
    std::vector<JobRecord> out;
    for (const auto& [k, r] : rows_) {
      out.push_back(r);
      for (const StepRecord& s : steps_) {
        if (s.job_id == r.job_id && s.submit_time == r.submit_time) out.back().steps.push_back(s);
      }
    }
    return out;
  }
  void SetDown(bool down) {
    std::lock_guard lock(mu_);
    down_ = down;
  }
  int puts() {
    std::lock_guard lock(mu_);
    return puts_;
  }

 private:
  std::mutex mu_;
  bool down_ = false;
  int puts_ = 0;
  std::map<std::pair<uint32_t, int64_t>, JobRecord> rows_;
  std::vector<StepRecord> steps_;
};

std::shared_ptr<const Job> MakeJob(JobId id, JobState state) {
  auto spec = std::make_shared<JobSpec>();
  spec->name = "j" + std::to_string(id);
  spec->uid = 1000;
  spec->user_name = "alice";
  auto job = std::make_shared<Job>();
  job->id = id;
  job->spec = spec;
  job->state = state;
  job->submit_time = TimePoint{} + std::chrono::seconds(1000 + id);
  return job;
}

TEST(AccountingWriter, WritesWhatIsPosted) {
  FlakyStore store;
  AccountingWriter writer(&store, {.cluster = "c1"});
  writer.Post({MakeJob(1, JobState::kPending), MakeJob(2, JobState::kRunning)});
  ASSERT_TRUE(writer.Flush(std::chrono::seconds(10)));
  auto rows = *store.Query({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cluster, "c1");
  EXPECT_EQ(rows[1].state, JobState::kRunning);
  EXPECT_EQ(writer.Stats().written, 2u);
}

TEST(AccountingWriter, KeepsRecordsWhileTheStoreIsDown) {
  FlakyStore store;
  store.SetDown(true);
  AccountingWriter writer(&store, {.cluster = "c1",
                                   .min_retry = std::chrono::milliseconds(1),
                                   .max_retry = std::chrono::milliseconds(5)});
  writer.Post({MakeJob(1, JobState::kRunning)});
  // Wait for a failed attempt, then post a newer version of the job.
  while (store.puts() == 0) std::this_thread::yield();
  EXPECT_FALSE(writer.Flush(std::chrono::milliseconds(20)));
  writer.Post({MakeJob(1, JobState::kCompleted), MakeJob(3, JobState::kFailed)});
  EXPECT_EQ(writer.Stats().queued, 2u);
  store.SetDown(false);
  ASSERT_TRUE(writer.Flush(std::chrono::seconds(10)));
  auto rows = *store.Query({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, JobState::kCompleted);  // the newest version won
  EXPECT_GE(writer.Stats().failures, 1u);
}

TEST(AccountingWriter, CompletingJobIsRecordedInItsEndState) {
  auto job = std::make_shared<Job>(*MakeJob(5, JobState::kCompleting));
  job->end_state = JobState::kFailed;
  job->exit_code = {3, 0};
  job->start_time = TimePoint{} + std::chrono::seconds(2000);
  job->end_time = TimePoint{} + std::chrono::seconds(2010);
  job->alloc.nodes.push_back({.node = "node1", .cpus = {0, 1}});
  JobRecord r = JobRecordFromJob(*job, "c");
  EXPECT_EQ(r.state, JobState::kFailed);
  EXPECT_EQ(r.exit_code.ToString(), "3:0");
  EXPECT_EQ(r.start_time, 2000);
  EXPECT_EQ(r.end_time, 2010);
  EXPECT_EQ(r.alloc_cpus, 2u);
  EXPECT_EQ(r.batch_host, "node1");
}

TEST(AccountingWriter, StepsWaitForTheStoreLikeJobs) {
  FlakyStore store;
  store.SetDown(true);
  AccountingWriter writer(&store, {.cluster = "c1", .min_retry = std::chrono::milliseconds(1),
                                   .max_retry = std::chrono::milliseconds(5)});
  writer.Post({MakeJob(7, JobState::kRunning)});
  StepRecord step;
  step.job_id = 7;
  step.submit_time = 1007;
  step.step_id = 0;
  step.name = "hostname";
  step.exit_code = {2, 0};
  step.state = JobState::kFailed;
  writer.PostSteps({step});
  EXPECT_FALSE(writer.Flush(std::chrono::milliseconds(50)));
  EXPECT_EQ(writer.Stats().queued, 2u);
  store.SetDown(false);
  ASSERT_TRUE(writer.Flush(std::chrono::seconds(10)));
  auto rows = *store.Query({});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].steps.size(), 1u);
  EXPECT_EQ(rows[0].steps[0], step);
}

}  // namespace
}  // namespace drover::acct
