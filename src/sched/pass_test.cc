#include "sched/pass.h"

#include <gtest/gtest.h>

#include <memory>

namespace drover::sched {
namespace {

// One task per job, ntasks from the spec, no memory: enough to test ordering.
class TestSelect final : public SelectPolicy {
 public:
  std::string_view name() const override { return "test"; }
  const SelectDefaults& defaults() const override { return d_; }
  MatchRequest BuildRequest(const Job& job, const Partition&) const override {
    return MatchRequest{.ntasks = std::max(job.spec->ntasks, 1u)};
  }

 private:
  SelectDefaults d_;
};

struct Fixture {
  Fixture() {
    for (uint32_t i = 0; i < 2; ++i) ledger.SetNode(i, {4, 1, 100}, true);
    Partition p;
    p.name = "p";
    p.node_indexes = {0, 1};
    Partition down = p;
    down.name = "down";
    down.state = PartitionStateKind::kDown;
    partitions = {p, down};
  }
  Job& Add(JobId id, uint32_t ntasks, uint16_t part = 0, HoldKind hold = HoldKind::kNone) {
    auto spec = std::make_shared<JobSpec>();
    spec->ntasks = ntasks;
    auto job = std::make_unique<Job>();
    job->id = id;
    job->spec = spec;
    job->hold = hold;
    job->time_limit = Duration::FromMinutes(1);
    jobs.push_back(std::move(job));
    parts.push_back({part});
    return *jobs.back();
  }
  PassResult Run(uint32_t depth = 0) {
    std::vector<PassJob> queue;
    for (size_t i = 0; i < jobs.size(); ++i) queue.push_back({jobs[i].get(), parts[i], {}, {}});
    return RunPass({TimePoint{}, queue, partitions, &select, depth}, ledger);
  }
  ResourceLedger ledger{false};
  std::vector<Partition> partitions;
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<std::vector<uint16_t>> parts;
  TestSelect select;
};

PendingReason ReasonFor(const PassResult& r, JobId id) {
  for (const auto& d : r.reasons)
    if (d.job == id) return d.reason;
  return PendingReason::kNone;
}

TEST(PassTest, StartsInOrderAndStopsAtFirstBlockedJob) {
  Fixture f;
  f.Add(1, 6);
  f.Add(2, 4);     // does not fit: 2 CPUs left
  f.Add(3, 1);     // would fit, but waits behind job 2
  f.Add(4, 1, 1);  // its partition is down: does not block, does not start
  f.Add(5, 1, 0, HoldKind::kUser);
  PassResult r = f.Run();
  ASSERT_EQ(r.starts.size(), 1u);
  EXPECT_EQ(r.starts[0].job, 1u);
  EXPECT_EQ(ReasonFor(r, 2), PendingReason::kResources);
  EXPECT_EQ(ReasonFor(r, 3), PendingReason::kPriority);
  EXPECT_EQ(ReasonFor(r, 4), PendingReason::kPartitionDown);
  EXPECT_EQ(ReasonFor(r, 5), PendingReason::kJobHeldUser);
}

TEST(PassTest, PartitionTimeLimitDoesNotBlock) {
  Fixture f;
  f.partitions[0].max_time = Duration::FromSeconds(30);
  f.Add(1, 1);
  PassResult r = f.Run();
  EXPECT_TRUE(r.starts.empty());
  EXPECT_EQ(ReasonFor(r, 1), PendingReason::kPartitionTimeLimit);
}

TEST(PassTest, AllStartWhenEverythingFits) {
  Fixture f;
  for (JobId i = 1; i <= 8; ++i) f.Add(i, 1);
  PassResult r = f.Run();
  EXPECT_EQ(r.starts.size(), 8u);
  EXPECT_EQ(f.ledger.alloc_cpus(0) + f.ledger.alloc_cpus(1), 8u);
}

TEST(PassTest, QueueDepthStopsEarly) {
  Fixture f;
  for (JobId i = 1; i <= 8; ++i) f.Add(i, 1);
  PassResult r = f.Run(3);
  EXPECT_EQ(r.starts.size(), 3u);
  EXPECT_TRUE(r.depth_reached);
  r = f.Run(10);
  EXPECT_EQ(r.starts.size(), 5u);  // the three booked above stay booked
  EXPECT_FALSE(r.depth_reached);
}

}  // namespace
}  // namespace drover::sched
