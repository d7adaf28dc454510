#include "sched/backfill.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <memory>
#include <sstream>

namespace drover::sched {
namespace {

using std::chrono::seconds;

const TimePoint kNow = TimePoint{} + seconds(1'000'000'000);

// ntasks x cpus-per-task from the spec, no memory: enough to test planning.
class TestSelect final : public SelectPolicy {
 public:
  std::string_view name() const override { return "test"; }
  const SelectDefaults& defaults() const override { return d_; }
  MatchRequest BuildRequest(const Job& job, const Partition&) const override {
    return MatchRequest{.ntasks = std::max(job.spec->ntasks, 1u),
                        .cpus_per_task = std::max(job.spec->cpus_per_task, 1u)};
  }

 private:
  SelectDefaults d_;
};

// A cluster of `nodes` x `cpus`, one partition over every node, running jobs booked by
// CPU count per node, and a pending queue.
struct Scenario {
  Scenario(uint32_t nodes, uint32_t cpus) : ledger(false) {
    Partition p;
    p.name = "p";
    for (uint32_t i = 0; i < nodes; ++i) {
      ledger.SetNode(i, {cpus, 1, 1000}, true);
      p.node_indexes.push_back(i);
    }
    partitions = {p};
  }
  // A running job with `per_node[i]` CPUs on node i, ending `end_s` from now (-1: never).
  void Running(std::vector<uint32_t> per_node, int64_t end_s) {
    auto alloc = std::make_unique<Allocation>();
    for (uint32_t n = 0; n < per_node.size(); ++n) {
      if (per_node[n] == 0) continue;
      auto a = ledger.Take(n, per_node[n], 0, 1, false, false);
      EXPECT_TRUE(a.has_value());
      alloc->nodes.push_back(*a);
    }
    running.push_back(
        {alloc.get(), end_s < 0 ? TimePoint::max() : kNow + seconds(end_s)});
    allocs.push_back(std::move(alloc));
  }
  Job& Pending(JobId id, uint32_t ntasks, int64_t limit_s, uint32_t uid = 1000) {
    auto spec = std::make_shared<JobSpec>();
    spec->ntasks = ntasks;
    spec->uid = uid;
    auto job = std::make_unique<Job>();
    job->id = id;
    job->spec = spec;
    job->time_limit = limit_s < 0 ? Duration::Infinite() : Duration::FromSeconds(limit_s);
    jobs.push_back(std::move(job));
    return *jobs.back();
  }
  std::vector<PassJob> Queue(size_t count = SIZE_MAX) const {
    std::vector<PassJob> q;
    for (size_t i = 0; i < jobs.size() && i < count; ++i) q.push_back({jobs[i].get(), part_list});
    return q;
  }
  BackfillResult Run(SchedulerParams params, size_t count = SIZE_MAX) {
    auto q = Queue(count);
    return RunBackfill({kNow, q, partitions, &select, running, params}, ledger);
  }

  ResourceLedger ledger;
  std::vector<Partition> partitions;
  std::vector<std::unique_ptr<Allocation>> allocs;
  std::vector<RunningAlloc> running;
  std::vector<std::unique_ptr<Job>> jobs;
  std::vector<uint16_t> part_list = {0};
  TestSelect select;
};

// The decisions as text: "start J n0:2 n1:1" and "plan J +S [reserved] n0:4".
std::string Render(const BackfillResult& r) {
  std::ostringstream out;
  for (const auto& s : r.starts) {
    out << "start " << s.job;
    for (const auto& a : s.alloc.nodes) out << " n" << a.node_index << ":" << a.cpus.size();
    out << "\n";
  }
  for (const auto& p : r.planned) {
    out << "plan " << p.job << " +" << (p.start - kNow) / seconds(1)
        << (p.reserved ? " reserved" : "");
    for (const auto& n : p.nodes) out << " n" << n.node << ":" << n.cpus;
    out << "\n";
  }
  return out.str();
}

SchedulerParams Depth(uint32_t depth) {
  SchedulerParams p;
  p.bf_job_part_count_reserve = depth;
  return p;
}

// Golden: a blocked wide job gets a reservation; a short job fits in front of it; a long
// job waits behind it.
TEST(BackfillGolden, ShortJobRunsAheadOfReservation) {
  Scenario s(2, 4);
  s.Running({4, 2}, 600);
  s.Pending(2, 8, 600);   // the whole cluster: at +600
  s.Pending(3, 2, 300);   // ends before +600: starts now
  s.Pending(4, 2, 1200);  // would overlap job 2's reservation: after it
  EXPECT_EQ(Render(s.Run(Depth(0))),
            "start 3 n1:2\n"
            "plan 2 +600 reserved n0:4 n1:4\n"
            "plan 4 +1200 reserved n0:2\n");
}

// Golden: EASY (depth 1) protects only the first reservation, so a job that would delay
// the second waiting job starts now; conservative backfill (depth 0) holds it back.
TEST(BackfillGolden, EasyVersusConservative) {
  auto scenario = [] {
    auto s = std::make_unique<Scenario>(2, 4);
    s->Running({4, 0}, 600);
    s->Pending(2, 6, 120);  // +600 .. +720 on n0:4 n1:2
    s->Pending(3, 8, 600);  // +720 .. +1320
    s->Pending(4, 2, 900);  // now .. +900 on n1: fits beside job 2, not beside job 3
    return s;
  };
  auto easy = scenario();
  EXPECT_EQ(Render(easy->Run(Depth(1))),
            "start 4 n1:2\n"
            "plan 2 +600 reserved n0:4 n1:2\n"
            // Not reserved: an estimate made before job 4 started (which moves it to +900).
            "plan 3 +720 n0:4 n1:4\n");
  auto full = scenario();
  EXPECT_EQ(Render(full->Run(Depth(0))),
            "plan 2 +600 reserved n0:4 n1:2\n"
            "plan 3 +720 reserved n0:4 n1:4\n"
            "plan 4 +1320 reserved n0:2\n");
}

TEST(BackfillGolden, WindowLimitAndNeverEndingJobs) {
  Scenario s(1, 4);
  s.Running({4}, -1);    // no time limit: never frees
  s.Pending(2, 1, 60);   // nothing within the window
  SchedulerParams p;
  EXPECT_EQ(Render(s.Run(p)), "");
  Scenario t(1, 4);
  t.Running({4}, 2 * 86400);  // beyond the one-day window
  t.Pending(2, 1, 60);
  EXPECT_EQ(Render(t.Run(p)), "");
  p.bf_window_min = 3 * 1440;
  EXPECT_EQ(Render(t.Run(p)), "plan 2 +172800 reserved n0:1\n");
}

TEST(BackfillGolden, ResolutionRoundsEndsUp) {
  Scenario s(1, 2);
  s.Running({2}, 61);  // ends at +61: planned free at +120 with a 60 s grid
  s.Pending(2, 2, 10);
  EXPECT_EQ(Render(s.Run(SchedulerParams{})), "plan 2 +120 reserved n0:2\n");
  SchedulerParams fine;
  fine.bf_resolution_s = 1;
  Scenario t(1, 2);
  t.Running({2}, 61);
  t.Pending(2, 2, 10);
  EXPECT_EQ(Render(t.Run(fine)), "plan 2 +61 reserved n0:2\n");
}

TEST(BackfillTest, MaxJobTestAndPerUserLimit) {
  Scenario s(1, 4);
  s.Running({4}, 600);
  for (JobId id = 1; id <= 5; ++id) s.Pending(id, 4, 60, id <= 3 ? 1 : 2);
  SchedulerParams p;
  p.bf_max_job_test = 2;
  BackfillResult r = s.Run(p);
  EXPECT_EQ(r.examined, 2u);
  EXPECT_EQ(r.planned.size(), 2u);
  p.bf_max_job_test = 100;
  p.bf_max_job_user = 1;
  r = s.Run(p);
  EXPECT_EQ(r.examined, 2u);  // one of user 1's, one of user 2's
  ASSERT_EQ(r.planned.size(), 2u);
  EXPECT_EQ(r.planned[0].job, 1u);
  EXPECT_EQ(r.planned[1].job, 4u);
}

TEST(BackfillTest, HeldAndDownPartitionJobsAreSkipped) {
  Scenario s(1, 4);
  s.Pending(1, 1, 60).hold = HoldKind::kUser;
  s.partitions.push_back(s.partitions[0]);
  s.partitions[1].state = PartitionStateKind::kDown;
  s.Pending(2, 1, 60);
  std::vector<uint16_t> down = {1};
  auto q = s.Queue();
  q[1].partitions = down;
  BackfillResult r = RunBackfill({kNow, q, s.partitions, &s.select, s.running, {}}, s.ledger);
  EXPECT_TRUE(r.starts.empty());
  EXPECT_TRUE(r.planned.empty());
  EXPECT_EQ(r.examined, 1u);
}

// --- the property: backfill never delays a reservation it made.

struct Interval {
  uint32_t node;
  int64_t start, end;  // seconds after now; end may be Timeline::kForever
  uint32_t cpus;
};

// Every instant, every node: what running jobs (to their real ends), jobs started now
// (for their whole limit) and reservations hold never exceeds the node.
bool NeverOverbooked(const std::vector<Interval>& all, const std::vector<uint32_t>& caps) {
  std::set<int64_t> times = {0};
  for (const auto& i : all) times.insert(i.start);
  for (int64_t t : times) {
    std::vector<uint64_t> used(caps.size(), 0);
    for (const auto& i : all)
      if (i.start <= t && t < i.end) used[i.node] += i.cpus;
    for (size_t n = 0; n < caps.size(); ++n)
      if (used[n] > caps[n]) return false;
  }
  return true;
}

RC_GTEST_PROP(BackfillProperty, NeverDelaysAReservation, ()) {
  const uint32_t nodes = *rc::gen::inRange<uint32_t>(1, 5);
  std::vector<uint32_t> caps;
  Scenario s(nodes, 1);
  for (uint32_t n = 0; n < nodes; ++n) {
    caps.push_back(*rc::gen::inRange<uint32_t>(1, 9));
    s.ledger.SetNode(n, {caps[n], 1, 1000}, true);
  }
  std::vector<Interval> all;
  const int njobs_running = *rc::gen::inRange(0, 6);
  for (int j = 0; j < njobs_running; ++j) {
    std::vector<uint32_t> per_node(nodes, 0);
    for (uint32_t n = 0; n < nodes; ++n) {
      uint32_t free = caps[n] - s.ledger.alloc_cpus(n);
      per_node[n] = *rc::gen::inRange<uint32_t>(0, free + 1);
    }
    int64_t end = *rc::gen::inRange<int64_t>(1, 5000);
    s.Running(per_node, end);
    for (uint32_t n = 0; n < nodes; ++n)
      if (per_node[n]) all.push_back({n, 0, end, per_node[n]});
  }
  const int npending = *rc::gen::inRange(1, 10);
  uint32_t total = 0;
  for (uint32_t c : caps) total += c;
  for (int j = 0; j < npending; ++j) {
    s.Pending(100 + j, *rc::gen::inRange<uint32_t>(1, total + 1),
              *rc::gen::inRange<int64_t>(1, 4000));
  }
  SchedulerParams params;
  params.bf_job_part_count_reserve = *rc::gen::element<uint32_t>(0, 1, 2);
  params.bf_resolution_s = *rc::gen::element<int64_t>(1, 60, 300);
  ResourceLedger before = s.ledger;
  BackfillResult r = s.Run(params);

  std::map<JobId, const Job*> by_id;
  for (const auto& j : s.jobs) by_id[j->id] = j.get();
  for (const auto& st : r.starts) {
    for (const auto& a : st.alloc.nodes)
      all.push_back({a.node_index, 0, by_id[st.job]->time_limit.seconds(),
                     static_cast<uint32_t>(a.cpus.size())});
  }
  for (const auto& p : r.planned) {
    RC_ASSERT(p.start > kNow);  // a job that fits now is started, not planned
    if (!p.reserved) continue;
    int64_t start = (p.start - kNow) / seconds(1);
    for (const auto& n : p.nodes)
      all.push_back({n.node, start, start + by_id[p.job]->time_limit.seconds(), n.cpus});
  }
  RC_ASSERT(NeverOverbooked(all, caps));

  // A reservation depends only on the jobs above it: the jobs below, started or planned,
  // never move it.
  for (size_t k = 0; k < r.planned.size(); ++k) {
    if (!r.planned[k].reserved) continue;
    size_t pos = 0;
    while (s.jobs[pos]->id != r.planned[k].job) ++pos;
    ResourceLedger fresh = before;
    auto q = s.Queue(pos + 1);
    BackfillResult alone =
        RunBackfill({kNow, q, s.partitions, &s.select, s.running, params}, fresh);
    bool found = false;
    for (const auto& p : alone.planned) {
      if (p.job != r.planned[k].job) continue;
      found = true;
      RC_ASSERT(p.start == r.planned[k].start);
    }
    RC_ASSERT(found);
  }
}

}  // namespace
}  // namespace drover::sched
