#include "sched/policy/priority_multifactor.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "sched/policy/priority_basic.h"
#include "sched/policy/registry.h"

namespace drover::sched {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint{} + hours(24 * 365 * 50);

Job MakeJob(uint32_t ntasks, uint32_t cpus_per_task = 1) {
  auto spec = std::make_shared<JobSpec>();
  spec->ntasks = ntasks;
  spec->cpus_per_task = cpus_per_task;
  Job j;
  j.id = 1;
  j.spec = spec;
  j.submit_seq = 1;
  j.submit_time = kT0;
  j.eligible_time = kT0;
  j.time_limit = Duration::FromMinutes(60);
  return j;
}

PriorityCluster Cluster(uint64_t cpus) {
  PriorityCluster c;
  c.total_cpus = cpus;
  c.cluster_tres.Set(TresKey::Cpu(), cpus);
  return c;
}

// Seed 001's worked example: a cluster with 4 CPUs, PriorityFavorSmall=YES. A 1-CPU job
// scores (1 - 1/4) x weight = 0.75 x weight (0.375 with a weight of 0.5); a 4-CPU job 0.
TEST(MultifactorTest, SeedJobSizeExample) {
  MultifactorSettings s;
  s.favor_small = true;
  s.weight_job_size = 1000;
  MultifactorPriority p(s, Cluster(4));
  PriorityFactors one = p.Factors(MakeJob(1), nullptr, kT0);
  EXPECT_EQ(one.job_size.factor, 0.75);
  EXPECT_EQ(one.job_size.factor * 0.5, 0.375);
  EXPECT_EQ(one.job_size.weighted, 750.0);
  EXPECT_EQ(one.priority, 750u);
  PriorityFactors four = p.Factors(MakeJob(4), nullptr, kT0);
  EXPECT_EQ(four.job_size.factor, 0.0);
  EXPECT_EQ(four.priority, 1u);  // 0 means held: the floor is 1
  PriorityFactors two_by_two = p.Factors(MakeJob(2, 2), nullptr, kT0);
  EXPECT_EQ(two_by_two.job_size.factor, 0.0);
  // Without PriorityFavorSmall the large job scores high.
  s.favor_small = false;
  MultifactorPriority big(s, Cluster(4));
  EXPECT_EQ(big.Factors(MakeJob(1), nullptr, kT0).job_size.factor, 0.25);
  EXPECT_EQ(big.Factors(MakeJob(4), nullptr, kT0).priority, 1000u);
}

// Seed 001: PriorityWeightAge=1000, PriorityMaxAge=1-0: about 0.69 a minute, full at 24 h.
TEST(MultifactorTest, SeedAgeExample) {
  MultifactorSettings s;
  s.weight_age = 1000;
  s.max_age = Duration::FromSeconds(86400);
  MultifactorPriority p(s, Cluster(4));
  Job j = MakeJob(1);
  EXPECT_NEAR(p.Factors(j, nullptr, kT0 + minutes(1)).age.weighted, 0.694, 0.001);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 + hours(12)).age.weighted, 500.0);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 + hours(24)).priority, 1000u);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 + hours(48)).priority, 1000u);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 - hours(1)).age.factor, 0.0);
  // Age counts from eligibility (a BeginTime in the future holds it at 0) ...
  j.eligible_time = kT0 + hours(12);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 + hours(12)).age.factor, 0.0);
  EXPECT_EQ(p.Factors(j, nullptr, kT0 + hours(18)).age.weighted, 250.0);
  // ... unless ACCRUE_ALWAYS.
  s.flags = priority_flag::kAccrueAlways;
  MultifactorPriority always(s, Cluster(4));
  EXPECT_EQ(always.Factors(j, nullptr, kT0 + hours(18)).age.weighted, 750.0);
}

TEST(MultifactorTest, PartitionFactorNormalisedByLargest) {
  MultifactorSettings s;
  s.weight_partition = 10000;
  PriorityCluster c = Cluster(4);
  c.max_partition_job_factor = 10000;
  Partition low, high;
  low.name = "compute";
  high.name = "high_prio_debug";
  high.priority_job_factor = 10000;
  MultifactorPriority p(s, c);
  EXPECT_EQ(p.Factors(MakeJob(1), &low, kT0).partition.factor, 1.0 / 10000);
  EXPECT_EQ(p.Factors(MakeJob(1), &low, kT0).priority, 1u);
  EXPECT_EQ(p.Factors(MakeJob(1), &high, kT0).priority, 10000u);
  s.flags = priority_flag::kNoNormalPart;
  MultifactorPriority raw(s, c);
  EXPECT_EQ(raw.Factors(MakeJob(1), &high, kT0).partition.factor, 10000.0);
}

TEST(MultifactorTest, TresWeights) {
  MultifactorSettings s;
  auto w = ParseTresWeights("CPU=1000,Mem=2000,GRES/gpu=3000");
  ASSERT_TRUE(w.has_value()) << w.error().ToString();
  s.weight_tres = *w;
  PriorityCluster c = Cluster(16);
  Partition gpu;
  gpu.name = "gpu";
  Tres totals;
  totals.Set(TresKey::Cpu(), 16);
  totals.Set(TresKey::Mem(), 16000);
  totals.Set(TresKey::Gres("gpu"), 4);
  c.partition_tres["gpu"] = totals;
  MultifactorPriority p(s, c);
  Job j = MakeJob(4);
  auto spec = std::make_shared<JobSpec>(*j.spec);
  spec->mem_per_node_mb = 4000;
  spec->gres = "gpu:nvidia_l40s:2";
  j.spec = spec;
  PriorityFactors f = p.Factors(j, &gpu, kT0);
  ASSERT_EQ(f.tres.size(), 3u);
  EXPECT_EQ(f.tres[0].first.ToString(), "cpu");
  EXPECT_EQ(f.tres[0].second.weighted, 250.0);
  EXPECT_EQ(f.tres[1].second.weighted, 500.0);
  EXPECT_EQ(f.tres[2].first.ToString(), "gres/gpu");
  EXPECT_EQ(f.tres[2].second.weighted, 1500.0);
  EXPECT_EQ(f.priority, 2250u);
  // NO_NORMAL_TRES: raw counts.
  s.flags = priority_flag::kNoNormalTres;
  MultifactorPriority raw(s, c);
  EXPECT_EQ(raw.Factors(j, &gpu, kT0).tres[0].second.factor, 4.0);
}

TEST(MultifactorTest, NiceSubtractsAndSiteAdds) {
  struct Source final : ExternalFactorSource {
    ExternalFactors For(const Job&) const override {
      return {.fair_share = 0.5, .qos_priority = 10, .max_qos_priority = 20, .site_factor = 7};
    }
  } source;
  MultifactorSettings s;
  s.weight_fair_share = 2000;
  s.weight_qos = 1000;
  MultifactorPriority p(s, Cluster(4), &source);
  Job j = MakeJob(1);
  PriorityFactors f = p.Factors(j, nullptr, kT0);
  EXPECT_EQ(f.fair_share.weighted, 1000.0);
  EXPECT_EQ(f.qos.factor, 0.5);
  EXPECT_EQ(f.priority, 7u + 1000 + 500);
  j.nice = 100;
  EXPECT_EQ(p.Priority(j, nullptr, kT0), 1407u);
  j.nice = 5000;
  EXPECT_EQ(p.Priority(j, nullptr, kT0), 1u);
  j.nice = -10;
  EXPECT_EQ(p.Priority(j, nullptr, kT0), 1517u);
}

TEST(MultifactorTest, SmallRelativeToTime) {
  MultifactorSettings s;
  s.weight_job_size = 1000;
  s.flags = priority_flag::kSmallRelativeToTime;
  MultifactorPriority p(s, Cluster(4));
  Job j = MakeJob(4);
  j.time_limit = Duration::FromMinutes(1);
  EXPECT_EQ(p.Factors(j, nullptr, kT0).job_size.factor, 0.0);
  j.time_limit = Duration::FromMinutes(4);
  EXPECT_EQ(p.Factors(j, nullptr, kT0).job_size.factor, 0.75);
}

TEST(MultifactorTest, EveryWeightZeroIsFifo) {
  MultifactorPriority p(MultifactorSettings{}, Cluster(4));
  Job a = MakeJob(1), b = MakeJob(1);
  b.submit_seq = 2;
  EXPECT_GT(p.Priority(a, nullptr, kT0), p.Priority(b, nullptr, kT0));
  EXPECT_EQ(p.Priority(a, nullptr, kT0), BasicPriority().Priority(a, nullptr, kT0));
}

TEST(MultifactorTest, Registry) {
  auto p = MakePriorityPolicy("priority/multifactor", MultifactorSettings{}, Cluster(4), nullptr);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ((*p)->name(), "priority/multifactor");
  EXPECT_EQ(MakePriorityPolicy("priority/multifactor").error().code(), ErrorCode::kNotSupported);
  EXPECT_EQ(MakePriorityPolicy("priority/nope", {}, {}, nullptr).error().code(),
            ErrorCode::kNotSupported);
}

TEST(MultifactorSettingsTest, Flags) {
  ParsedPriorityFlags f = ParsePriorityFlags("small_relative_to_time, NO_NORMAL_ALL,bogus");
  EXPECT_EQ(f.flags, priority_flag::kSmallRelativeToTime | priority_flag::kNoNormalAll);
  ASSERT_EQ(f.unknown.size(), 1u);
  EXPECT_EQ(f.unknown[0], "bogus");
  EXPECT_EQ(ParsePriorityFlags("").flags, 0u);
}

TEST(MultifactorSettingsTest, TresWeightErrors) {
  EXPECT_TRUE(ParseTresWeights("").value().empty());
  EXPECT_EQ(ParseTresWeights("CPU=1.5").value()[0].weight, 1.5);
  EXPECT_FALSE(ParseTresWeights("CPU").has_value());
  EXPECT_FALSE(ParseTresWeights("CPU=x").has_value());
  EXPECT_FALSE(ParseTresWeights("CPU=-1").has_value());
  EXPECT_FALSE(ParseTresWeights("nope=1").has_value());
  auto dup = ParseTresWeights("cpu=1,CPU=2");
  ASSERT_FALSE(dup.has_value());
  EXPECT_NE(dup.error().message().find("given twice"), std::string::npos);
}

// Older never ranks lower, and the result is always a valid (non-held) priority.
RC_GTEST_PROP(MultifactorProperty, AgeNeverLowersAndStaysInRange,
              (uint16_t w_age, uint16_t w_size, uint8_t tasks, uint32_t wait_a, uint32_t extra)) {
  MultifactorSettings s;
  s.weight_age = w_age;
  s.weight_job_size = w_size;
  s.favor_small = tasks % 2 == 0;
  s.max_age = Duration::FromSeconds(86400);
  MultifactorPriority p(s, Cluster(64));
  Job j = MakeJob(std::max<uint32_t>(tasks % 80, 1));
  TimePoint a = kT0 + seconds(wait_a % 200000);
  TimePoint b = a + seconds(extra % 200000);
  uint32_t pa = p.Priority(j, nullptr, a), pb = p.Priority(j, nullptr, b);
  RC_ASSERT(pa >= 1u);
  if (!s.AllWeightsZero()) RC_ASSERT(pb >= pa);
}

}  // namespace
}  // namespace drover::sched
