#include <gtest/gtest.h>

#include <fstream>

#include "acct/accounting_store.h"
#include "storage/storage_test_util.h"

namespace drover::acct {
namespace {

using storage::TempDir;

JobRecord Rec(uint32_t id, JobState state, int64_t submit, int64_t end = 0) {
  JobRecord r;
  r.job_id = id;
  r.name = "job" + std::to_string(id);
  r.uid = 1000 + id % 2;
  r.user = r.uid == 1000 ? "alice" : "bob";
  r.account = id % 2 ? "physics" : "chem";
  r.partition = "debug";
  r.state = state;
  r.submit_time = submit;
  r.start_time = end ? submit + 1 : 0;
  r.end_time = end;
  r.alloc_cpus = 2;
  r.alloc_nodes = 1;
  r.node_list = id % 2 ? "node[1-2]" : "node3";
  r.exit_code = {id % 3 == 0 ? 1 : 0, 0};
  return r;
}

std::vector<uint32_t> Ids(const std::vector<JobRecord>& rs) {
  std::vector<uint32_t> ids;
  for (const auto& r : rs) ids.push_back(r.job_id);
  return ids;
}

TEST(SqliteAccountingStore, PutReplacesAndRoundTrips) {
  TempDir dir;
  auto store = OpenSqliteAccountingStore(dir.File("acct.db"));
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  JobRecord a = Rec(1, JobState::kRunning, 100);
  a.cancelled_by = 5;
  a.array_task_id = 3;
  a.array_job_id = 1;
  ASSERT_TRUE((*store)->Put(std::vector<JobRecord>{a}));
  JobRecord b = a;
  b.state = JobState::kCompleted;
  b.end_time = 200;
  ASSERT_TRUE((*store)->Put(std::vector<JobRecord>{b}));
  auto all = (*store)->Query({});
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front(), b);
}

TEST(SqliteAccountingStore, Filters) {
  TempDir dir;
  auto store = *OpenSqliteAccountingStore(dir.File("acct.db"));
  std::vector<JobRecord> rs = {Rec(1, JobState::kCompleted, 100, 150),
                               Rec(2, JobState::kFailed, 200, 250),
                               Rec(3, JobState::kRunning, 300), Rec(4, JobState::kPending, 400)};
  ASSERT_TRUE(store->Put(rs));
  auto q = [&](auto set) {
    JobQuery query;
    set(query);
    return Ids(*store->Query(query));
  };
  EXPECT_EQ(q([](JobQuery& x) { x.job_ids = {2, 4}; }), (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(q([](JobQuery& x) { x.uids = {1001}; }), (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(q([](JobQuery& x) { x.accounts = {"chem"}; }), (std::vector<uint32_t>{2, 4}));
  EXPECT_EQ(q([](JobQuery& x) { x.names = {"job3"}; }), (std::vector<uint32_t>{3}));
  EXPECT_EQ(q([](JobQuery& x) { x.node_names = {"node2"}; }), (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(q([](JobQuery& x) { x.states = {JobState::kFailed, JobState::kPending}; }),
            (std::vector<uint32_t>{2, 4}));
  // Window: submitted by its end, not ended before its start.
  EXPECT_EQ(q([](JobQuery& x) { x.window_start = 160; x.window_end = 350; }), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(q([](JobQuery& x) { x.window_start = 1000; }), (std::vector<uint32_t>{3, 4}));
}

TEST(SqliteAccountingStore, ReopenKeepsRecords) {
  TempDir dir;
  {
    auto store = *OpenSqliteAccountingStore(dir.File("acct.db"));
    ASSERT_TRUE(store->Put(std::vector<JobRecord>{Rec(7, JobState::kCompleted, 1, 2)}));
  }
  auto store = *OpenSqliteAccountingStore(dir.File("acct.db"));
  EXPECT_EQ(Ids(*store->Query({})), (std::vector<uint32_t>{7}));
}

TEST(SqliteAccountingStore, RefusesOtherFiles) {
  TempDir dir;
  std::ofstream(dir.File("junk.db")) << "this is not a database at all, not even close....";
  auto junk = OpenSqliteAccountingStore(dir.File("junk.db"));
  ASSERT_FALSE(junk.has_value());
  EXPECT_EQ(junk.error().code(), ErrorCode::kIo);
}

TEST(SqliteAccountingStore, FullDiskFailsWholeBatch) {
  TempDir dir;
  auto store = *OpenSqliteAccountingStore(dir.File("acct.db"), {.max_page_count_for_testing = 8});
  std::vector<JobRecord> many;
  for (uint32_t i = 1; i <= 2000; ++i) many.push_back(Rec(i, JobState::kCompleted, i, i + 1));
  EXPECT_FALSE(store->Put(many));
  EXPECT_TRUE(store->Query({})->empty());
  EXPECT_TRUE(store->Put(std::vector<JobRecord>{Rec(1, JobState::kCompleted, 1, 2)}));
}

TEST(SqliteAccountingStore, StepsComeBackWithTheirJob) {
  TempDir dir;
  auto store = OpenSqliteAccountingStore(dir.File("acct.db"));
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  JobRecord alloc = Rec(2, JobState::kCompleted, 100, 150);
  alloc.batch = false;
  // Job 1 twice: its id was reused after MaxJobId wrapped (another submit time).
  ASSERT_TRUE((*store)->Put(std::vector<JobRecord>{Rec(1, JobState::kCompleted, 100, 120), alloc,
                                                    Rec(1, JobState::kRunning, 300)}));
  auto step = [](uint32_t job, int64_t submit, uint32_t id) {
    StepRecord s;
    s.job_id = job;
    s.submit_time = submit;
    s.step_id = id;
    s.name = "step" + std::to_string(id);
    s.state = id == 1 ? JobState::kFailed : JobState::kCompleted;
    s.exit_code = {static_cast<int>(id), 0};
    s.start_time = submit + 1;
    s.end_time = submit + 2;
    s.num_nodes = 1;
    s.num_cpus = 2;
    s.num_tasks = 2;
    s.node_list = "node1";
    return s;
  };
  ASSERT_TRUE((*store)->PutSteps(std::vector<StepRecord>{step(1, 100, 1), step(1, 100, 0),
                                                          step(2, 100, 0)}));
  ASSERT_TRUE((*store)->PutSteps(std::vector<StepRecord>{step(1, 100, 1)}));  // again: replaced
  auto all = (*store)->Query({});
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  ASSERT_EQ(all->size(), 3u);
  ASSERT_EQ((*all)[0].steps.size(), 2u);
  EXPECT_EQ((*all)[0].steps[0], step(1, 100, 0));
  EXPECT_EQ((*all)[0].steps[1], step(1, 100, 1));
  EXPECT_TRUE((*all)[1].steps.empty());  // job 1 of submit time 300
  ASSERT_EQ((*all)[2].steps.size(), 1u);
  EXPECT_FALSE((*all)[2].batch);
  EXPECT_TRUE((*all)[0].batch);
  auto only_two = (*store)->Query({.job_ids = {2}});
  ASSERT_TRUE(only_two.has_value());
  ASSERT_EQ(only_two->size(), 1u);
  EXPECT_EQ(only_two->front().steps.size(), 1u);
}

}  // namespace
}  // namespace drover::acct
