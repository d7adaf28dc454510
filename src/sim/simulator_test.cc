#include "sim/simulator.h"

#include <gtest/gtest.h>

#include "sim/swf.h"
#include "sim/synthetic.h"

namespace drover::sim {
namespace {

const std::string kData = DROVER_TEST_DATA_DIR "/sim/";

SimResult RunSim(const std::vector<SimJob>& jobs, SimMode mode, uint32_t nodes = 1,
              uint32_t cpus = 4) {
  SimConfig c;
  c.nodes = nodes;
  c.cpus_per_node = cpus;
  c.mode = mode;
  c.keep_outcomes = true;
  auto r = Simulate(jobs, c);
  EXPECT_TRUE(r.has_value());
  return r.value_or(SimResult{});
}

// tiny.swf on 1 node x 4 CPUs: job 1 (2 CPUs, 0-100), job 2 (4 CPUs, from 10) waits for
// it; job 3 (2 CPUs, 50 s, from 20) fits beside job 1 and ends before job 2 can start.
TEST(SimulatorTest, TinyTraceFifo) {
  auto t = ReadSwfFile(kData + "tiny.swf");
  ASSERT_TRUE(t.has_value());
  SimResult r = RunSim(t->jobs, SimMode::kFifo);
  EXPECT_EQ(r.metrics.jobs, 3u);
  // 1: 0-100, 2: 100-200, 3: 200-250.
  EXPECT_DOUBLE_EQ(r.metrics.mean_wait_s, 90);
  EXPECT_DOUBLE_EQ(r.metrics.median_wait_s, 90);
  EXPECT_DOUBLE_EQ(r.metrics.mean_bounded_slowdown, 2.5);
  EXPECT_EQ(r.metrics.makespan_s, 250);
  EXPECT_DOUBLE_EQ(r.metrics.utilization, 0.7);
  EXPECT_EQ(r.started_by_backfill, 0u);
  EXPECT_EQ(r.backfill.cycles, 0u);
}

TEST(SimulatorTest, TinyTraceBackfill) {
  auto t = ReadSwfFile(kData + "tiny.swf");
  ASSERT_TRUE(t.has_value());
  for (SimMode mode : {SimMode::kEasy, SimMode::kFull}) {
    SimResult r = RunSim(t->jobs, mode);
    // Backfill passes at 10 and (bf_interval later) 40: job 3 runs 40-90; job 2 keeps
    // its start at 100.
    EXPECT_EQ(r.started_by_backfill, 1u) << SimModeName(mode);
    EXPECT_NEAR(r.metrics.mean_wait_s, 110.0 / 3, 1e-9);
    EXPECT_DOUBLE_EQ(r.metrics.median_wait_s, 20);
    EXPECT_NEAR(r.metrics.mean_bounded_slowdown, 4.3 / 3, 1e-9);
    EXPECT_EQ(r.metrics.makespan_s, 200);
    EXPECT_DOUBLE_EQ(r.metrics.utilization, 0.875);
    ASSERT_EQ(r.outcomes.size(), 3u);
    EXPECT_EQ(r.outcomes[0].start_s, 40);  // job 3 ended first
    EXPECT_TRUE(r.outcomes[0].backfilled);
  }
}

TEST(SimulatorTest, TooLargeJobsAreNotRun) {
  std::vector<SimJob> jobs = {{.id = 1, .submit_s = 0, .run_s = 10, .limit_s = 10, .cpus = 5}};
  SimResult r = RunSim(jobs, SimMode::kFifo);
  EXPECT_EQ(r.too_large, 1u);
  EXPECT_EQ(r.metrics.jobs, 0u);
  EXPECT_FALSE(Simulate(jobs, SimConfig{.nodes = 0}).has_value());
}

// A seeded synthetic load: every job runs; the same seed gives the same schedule;
// backfill never does worse than FIFO on utilization here and starts some jobs.
TEST(SimulatorTest, SyntheticWorkloadIsDeterministic) {
  SyntheticSpec spec;
  spec.seed = 7;
  spec.jobs = 400;
  spec.total_cpus = 8 * 16;
  spec.load = 0.95;
  auto jobs = MakeSyntheticWorkload(spec);
  EXPECT_EQ(jobs, MakeSyntheticWorkload(spec));
  SimResult fifo = RunSim(jobs, SimMode::kFifo, 8, 16);
  SimResult easy = RunSim(jobs, SimMode::kEasy, 8, 16);
  SimResult again = RunSim(jobs, SimMode::kEasy, 8, 16);
  EXPECT_EQ(fifo.metrics.jobs, 400u);
  EXPECT_EQ(easy.metrics.jobs, 400u);
  EXPECT_EQ(easy.metrics.mean_wait_s, again.metrics.mean_wait_s);
  EXPECT_GT(easy.started_by_backfill, 0u);
  EXPECT_LT(easy.metrics.mean_wait_s, fifo.metrics.mean_wait_s);
  for (const auto& o : easy.outcomes) {
    EXPECT_GE(o.start_s, o.submit_s);
    EXPECT_GE(o.end_s, o.start_s);
  }
}

}  // namespace
}  // namespace drover::sim
