// The SQLite AccountingStore: the embedded default.
//
// One connection in WAL mode with synchronous=NORMAL: a crash loses at most the last
// commits, and those are written again, because the controller re-sends every job it
// still holds when it starts (its own state store is what makes a job durable; this file
// is a view of it). Unlike the state store, the file is not locked exclusively, so an
// operator can read it with the sqlite3 shell while the controller runs.
//
// mu_ serialises every use of the connection: the writer's transactions and the queries
// of RPC threads. Strings are stored as BLOBs (the layer in storage/sqlite_db.h binds and
// reads bytes), so comparisons in SQL are byte comparisons.
#include <fmt/core.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "acct/accounting_store.h"
#include "base/hostlist.h"
#include "storage/sqlite_db.h"

namespace drover::acct {
namespace {

using storage::SqliteDb;
using storage::SqliteStatement;

constexpr int64_t kApplicationId = 0x44525652;  // "DRVR", as every Drover SQLite file
constexpr std::string_view kKind = "drover-accounting";

// Migration i takes the schema from version i to i+1 (PRAGMA user_version). Never edit a
// released one: add the next.
constexpr std::string_view kMigrations[] = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('kind', 'drover-accounting');
CREATE TABLE job (
  job_id INTEGER NOT NULL,
  submit_time INTEGER NOT NULL,
  array_job_id INTEGER NOT NULL,
  array_task_id INTEGER NOT NULL,   -- -1: not an array task
  name BLOB NOT NULL,
  uid INTEGER NOT NULL,
  user BLOB NOT NULL,
  gid INTEGER NOT NULL,
  account BLOB NOT NULL,
  partition BLOB NOT NULL,
  qos BLOB NOT NULL,
  cluster BLOB NOT NULL,
  state BLOB NOT NULL,              -- JobStateName
  cancelled_by INTEGER NOT NULL,    -- -1: none
  exit_status INTEGER NOT NULL,
  exit_signal INTEGER NOT NULL,
  eligible_time INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,        -- 0: not ended
  time_limit_s INTEGER NOT NULL,    -- -1: UNLIMITED
  alloc_cpus INTEGER NOT NULL,
  alloc_nodes INTEGER NOT NULL,
  batch_cpus INTEGER NOT NULL,
  alloc_mem_mb INTEGER NOT NULL,
  node_list BLOB NOT NULL,
  batch_host BLOB NOT NULL,
  work_dir BLOB NOT NULL,
  reason BLOB NOT NULL,
  restarts INTEGER NOT NULL,
  PRIMARY KEY (job_id, submit_time)
);
CREATE INDEX job_by_submit ON job (submit_time);
CREATE INDEX job_by_end ON job (end_time);
CREATE INDEX job_by_uid ON job (uid, submit_time);
)sql",
    R"sql(
ALTER TABLE job ADD COLUMN batch INTEGER NOT NULL DEFAULT 1;
CREATE TABLE step (
  job_id INTEGER NOT NULL,
  submit_time INTEGER NOT NULL,     -- the job's
  step_id INTEGER NOT NULL,
  name BLOB NOT NULL,
  state BLOB NOT NULL,              -- JobStateName
  exit_status INTEGER NOT NULL,
  exit_signal INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  num_nodes INTEGER NOT NULL,
  num_cpus INTEGER NOT NULL,
  num_tasks INTEGER NOT NULL,
  node_list BLOB NOT NULL,
  PRIMARY KEY (job_id, submit_time, step_id)
) WITHOUT ROWID;
)sql",
};

constexpr std::string_view kColumns =
    "job_id, submit_time, array_job_id, array_task_id, name, uid, user, gid, account, "
    "partition, qos, cluster, state, cancelled_by, exit_status, exit_signal, eligible_time, "
    "start_time, end_time, time_limit_s, alloc_cpus, alloc_nodes, batch_cpus, alloc_mem_mb, "
    "node_list, batch_host, work_dir, reason, restarts, batch";
constexpr int kColumnCount = 30;
constexpr std::string_view kStepColumns =
    "job_id, submit_time, step_id, name, state, exit_status, exit_signal, start_time, "
    "end_time, num_nodes, num_cpus, num_tasks, node_list";
constexpr int kStepColumnCount = 13;

class SqliteAccountingStore final : public AccountingStore {
 public:
  explicit SqliteAccountingStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status Prepare() {
    std::string marks = "?";
    for (int i = 1; i < kColumnCount; ++i) marks += ", ?";
    ASSIGN_OR_RETURN(upsert_, db_->Prepare(fmt::format("INSERT OR REPLACE INTO job ({}) VALUES ({})",
                                                       kColumns, marks)));
    std::string step_marks = "?";
    for (int i = 1; i < kStepColumnCount; ++i) step_marks += ", ?";
    ASSIGN_OR_RETURN(upsert_step_,
                     db_->Prepare(fmt::format("INSERT OR REPLACE INTO step ({}) VALUES ({})",
                                              kStepColumns, step_marks)));
    return Ok();
  }

  Status PutSteps(std::span<const StepRecord> steps) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    for (const StepRecord& r : steps) {
      if (Status s = BindStep(r); !s) return AbortSteps(s);
      if (Status s = upsert_step_.Run(); !s) return AbortSteps(s);
      upsert_step_.Reset();
    }
    if (Status s = db_->Exec("COMMIT"); !s) return AbortSteps(s);
    return Ok();
  }

  Status Put(std::span<const JobRecord> records) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    for (const JobRecord& r : records) {
      if (Status s = Bind(r); !s) return Abort(s);
      if (Status s = upsert_.Run(); !s) return Abort(s);
      upsert_.Reset();
    }
    if (Status s = db_->Exec("COMMIT"); !s) return Abort(s);
    return Ok();
  }

  Result<std::vector<JobRecord>> Query(const JobQuery& q) override;

 private:
  Status Abort(const Status& s) {
    upsert_.Reset();
    db_->RollbackIfOpen();
    return s;
  }
  Status AbortSteps(const Status& s) {
    upsert_step_.Reset();
    db_->RollbackIfOpen();
    return s;
  }
  Status Bind(const JobRecord& r);
  Status BindStep(const StepRecord& r);
  // Attaches the steps of `jobs` (sorted by job id, submit time) from the step table.
  Status AttachSteps(std::vector<JobRecord>& jobs);

  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // guarded by mu_ (and the statements)
  SqliteStatement upsert_;
  SqliteStatement upsert_step_;
};

Status SqliteAccountingStore::Bind(const JobRecord& r) {
  SqliteStatement& s = upsert_;
  int i = 0;
  auto integer = [&](int64_t v) { s.BindInt64(++i, v); };
  auto text = [&](std::string_view v) { return s.BindBlob(++i, v); };
  integer(r.job_id);
  integer(r.submit_time);
  integer(r.array_job_id);
  integer(r.array_task_id ? static_cast<int64_t>(*r.array_task_id) : -1);
  RETURN_IF_ERROR(text(r.name));
  integer(r.uid);
  RETURN_IF_ERROR(text(r.user));
  integer(r.gid);
  RETURN_IF_ERROR(text(r.account));
  RETURN_IF_ERROR(text(r.partition));
  RETURN_IF_ERROR(text(r.qos));
  RETURN_IF_ERROR(text(r.cluster));
  RETURN_IF_ERROR(text(JobStateName(r.state)));
  integer(r.cancelled_by ? static_cast<int64_t>(*r.cancelled_by) : -1);
  integer(r.exit_code.exit_status);
  integer(r.exit_code.signal);
  integer(r.eligible_time);
  integer(r.start_time);
  integer(r.end_time);
  integer(r.time_limit_s);
  integer(r.alloc_cpus);
  integer(r.alloc_nodes);
  integer(r.batch_cpus);
  integer(static_cast<int64_t>(r.alloc_mem_mb));
  RETURN_IF_ERROR(text(r.node_list));
  RETURN_IF_ERROR(text(r.batch_host));
  RETURN_IF_ERROR(text(r.work_dir));
  RETURN_IF_ERROR(text(r.reason));
  integer(r.restarts);
  integer(r.batch ? 1 : 0);
  return Ok();
}

Status SqliteAccountingStore::BindStep(const StepRecord& r) {
  SqliteStatement& s = upsert_step_;
  int i = 0;
  auto integer = [&](int64_t v) { s.BindInt64(++i, v); };
  auto text = [&](std::string_view v) { return s.BindBlob(++i, v); };
  integer(r.job_id);
  integer(r.submit_time);
  integer(r.step_id);
  RETURN_IF_ERROR(text(r.name));
  RETURN_IF_ERROR(text(JobStateName(r.state)));
  integer(r.exit_code.exit_status);
  integer(r.exit_code.signal);
  integer(r.start_time);
  integer(r.end_time);
  integer(r.num_nodes);
  integer(r.num_cpus);
  integer(r.num_tasks);
  RETURN_IF_ERROR(text(r.node_list));
  return Ok();
}

Status SqliteAccountingStore::AttachSteps(std::vector<JobRecord>& jobs) {
  if (jobs.empty()) return Ok();
  // One range scan over the jobs' ids; most jobs have no steps.
  ASSIGN_OR_RETURN(SqliteStatement stmt,
                   db_->Prepare(fmt::format("SELECT {} FROM step WHERE job_id BETWEEN ? AND ? "
                                            "ORDER BY job_id, submit_time, step_id",
                                            kStepColumns)));
  stmt.BindInt64(1, jobs.front().job_id);
  stmt.BindInt64(2, jobs.back().job_id);
  size_t j = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    StepRecord r;
    int i = 0;
    auto integer = [&] { return stmt.ColumnInt64(i++); };
    auto text = [&] { return stmt.ColumnBlob(i++); };
    r.job_id = static_cast<uint32_t>(integer());
    r.submit_time = integer();
    r.step_id = static_cast<uint32_t>(integer());
    r.name = text();
    r.state = ParseJobState(text()).value_or(JobState::kCompleted);
    r.exit_code.exit_status = static_cast<int>(integer());
    r.exit_code.signal = static_cast<int>(integer());
    r.start_time = integer();
    r.end_time = integer();
    r.num_nodes = static_cast<uint32_t>(integer());
    r.num_cpus = static_cast<uint32_t>(integer());
    r.num_tasks = static_cast<uint32_t>(integer());
    r.node_list = text();
    auto key = std::pair(r.job_id, r.submit_time);
    while (j < jobs.size() && std::pair(jobs[j].job_id, jobs[j].submit_time) < key) ++j;
    if (j == jobs.size()) break;
    if (std::pair(jobs[j].job_id, jobs[j].submit_time) == key) {
      jobs[j].steps.push_back(std::move(r));
    }
  }
  return Ok();
}

JobRecord ReadRow(const SqliteStatement& s) {
  JobRecord r;
  int i = 0;
  auto integer = [&] { return s.ColumnInt64(i++); };
  auto text = [&] { return s.ColumnBlob(i++); };
  r.job_id = static_cast<uint32_t>(integer());
  r.submit_time = integer();
  r.array_job_id = static_cast<uint32_t>(integer());
  if (int64_t t = integer(); t >= 0) r.array_task_id = static_cast<uint32_t>(t);
  r.name = text();
  r.uid = static_cast<uint32_t>(integer());
  r.user = text();
  r.gid = static_cast<uint32_t>(integer());
  r.account = text();
  r.partition = text();
  r.qos = text();
  r.cluster = text();
  r.state = ParseJobState(text()).value_or(JobState::kPending);
  if (int64_t by = integer(); by >= 0) r.cancelled_by = static_cast<uint32_t>(by);
  r.exit_code.exit_status = static_cast<int>(integer());
  r.exit_code.signal = static_cast<int>(integer());
  r.eligible_time = integer();
  r.start_time = integer();
  r.end_time = integer();
  r.time_limit_s = integer();
  r.alloc_cpus = static_cast<uint32_t>(integer());
  r.alloc_nodes = static_cast<uint32_t>(integer());
  r.batch_cpus = static_cast<uint32_t>(integer());
  r.alloc_mem_mb = static_cast<uint64_t>(integer());
  r.node_list = text();
  r.batch_host = text();
  r.work_dir = text();
  r.reason = text();
  r.restarts = static_cast<uint32_t>(integer());
  r.batch = integer() != 0;
  return r;
}

// True when `node_list` (a hostlist) names any of `wanted`.
bool RanOnAny(const std::string& node_list, const std::set<std::string>& wanted) {
  if (node_list.empty()) return false;
  Result<Hostlist> hosts = Hostlist::Parse(node_list);
  if (!hosts) return false;
  Result<std::vector<std::string>> names = hosts->Expand();
  if (!names) return false;
  return std::any_of(names->begin(), names->end(),
                     [&](const std::string& n) { return wanted.count(n) > 0; });
}

Result<std::vector<JobRecord>> SqliteAccountingStore::Query(const JobQuery& q) {
  // The WHERE clause, then its parameters in the same order.
  std::string where = "1";
  std::vector<int64_t> ints;
  std::vector<std::string> texts;
  enum class Kind { kInt, kText };
  std::vector<Kind> order;
  auto in_ints = [&](std::string_view column, const auto& values) {
    if (values.empty()) return;
    where += fmt::format(" AND {} IN (", column);
    for (size_t i = 0; i < values.size(); ++i) {
      where += i ? ",?" : "?";
      ints.push_back(static_cast<int64_t>(values[i]));
      order.push_back(Kind::kInt);
    }
    where += ")";
  };
  auto in_texts = [&](std::string_view column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    where += fmt::format(" AND {} IN (", column);
    for (size_t i = 0; i < values.size(); ++i) {
      where += i ? ",?" : "?";
      texts.push_back(values[i]);
      order.push_back(Kind::kText);
    }
    where += ")";
  };
  if (!q.job_ids.empty()) {
    // A job id names the job, or every task of the array job with that id.
    where += " AND (job_id IN (";
    for (size_t i = 0; i < q.job_ids.size(); ++i) {
      where += i ? ",?" : "?";
      ints.push_back(q.job_ids[i]);
      order.push_back(Kind::kInt);
    }
    where += ") OR array_job_id IN (";
    for (size_t i = 0; i < q.job_ids.size(); ++i) {
      where += i ? ",?" : "?";
      ints.push_back(q.job_ids[i]);
      order.push_back(Kind::kInt);
    }
    where += "))";
  }
  in_ints("uid", q.uids);
  in_texts("account", q.accounts);
  in_texts("partition", q.partitions);
  in_texts("name", q.names);
  std::vector<std::string> states;
  for (JobState s : q.states) states.emplace_back(JobStateName(s));
  in_texts("state", states);
  if (q.window_end > 0) {
    where += " AND submit_time <= ?";
    ints.push_back(q.window_end);
    order.push_back(Kind::kInt);
  }
  if (q.window_start > 0) {
    where += " AND (end_time = 0 OR end_time >= ?)";
    ints.push_back(q.window_start);
    order.push_back(Kind::kInt);
  }
  std::string sql =
      fmt::format("SELECT {} FROM job WHERE {} ORDER BY job_id, submit_time", kColumns, where);

  std::set<std::string> wanted_nodes(q.node_names.begin(), q.node_names.end());
  std::vector<JobRecord> out;
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(SqliteStatement stmt, db_->Prepare(sql));
  size_t next_int = 0, next_text = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == Kind::kInt) {
      stmt.BindInt64(static_cast<int>(i + 1), ints[next_int++]);
    } else {
      RETURN_IF_ERROR(stmt.BindBlob(static_cast<int>(i + 1), texts[next_text++]));
    }
  }
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    JobRecord r = ReadRow(stmt);
    if (!wanted_nodes.empty() && !RanOnAny(r.node_list, wanted_nodes)) continue;
    out.push_back(std::move(r));
  }
  RETURN_IF_ERROR(AttachSteps(out));
  return out;
}

Status CheckAndMigrate(SqliteDb& db) {
  auto app_id = db.QueryInt64("PRAGMA application_id");
  if (!app_id) {
    return Error(ErrorCode::kIo,
                 fmt::format("cannot open accounting store: {}", app_id.error().message()),
                 db.path());
  }
  ASSIGN_OR_RETURN(int64_t version, db.QueryInt64("PRAGMA user_version"));
  ASSIGN_OR_RETURN(int64_t tables, db.QueryInt64("SELECT count(*) FROM sqlite_schema"));
  const bool fresh = *app_id == 0 && version == 0 && tables == 0;
  const int64_t known = static_cast<int64_t>(std::size(kMigrations));
  if (!fresh) {
    auto kind = db.QueryText("SELECT value FROM meta WHERE key = 'kind'");
    if (*app_id != kApplicationId || !kind || *kind != kKind) {
      return Error(ErrorCode::kIo, "not a Drover accounting store", db.path());
    }
  }
  if (version > known) {
    return Error(ErrorCode::kIo,
                 fmt::format("accounting store schema version {} is newer than this Drover "
                             "knows ({}); upgrade Drover",
                             version, known),
                 db.path());
  }
  ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
    return Error(ErrorCode::kIo, fmt::format("cannot enable WAL mode (got '{}')", mode), db.path());
  }
  for (int64_t v = version; v < known; ++v) {
    Status migrated = db.Exec("BEGIN IMMEDIATE");
    if (migrated) migrated = db.Exec(kMigrations[v]);
    if (migrated) {
      migrated = db.Exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}",
                                     kApplicationId, v + 1));
    }
    if (migrated) migrated = db.Exec("COMMIT");
    if (!migrated) {
      db.RollbackIfOpen();
      return Error(ErrorCode::kIo,
                   fmt::format("migrating accounting store to schema version {}: {}", v + 1,
                               migrated.error().message()),
                   db.path());
    }
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<AccountingStore>> OpenSqliteAccountingStore(
    const std::string& path, const AccountingStoreOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  RETURN_IF_ERROR(db->Exec("PRAGMA busy_timeout=5000"));
  RETURN_IF_ERROR(CheckAndMigrate(*db));
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  if (options.max_page_count_for_testing != 0) {
    RETURN_IF_ERROR(
        db->Exec(fmt::format("PRAGMA max_page_count={}", options.max_page_count_for_testing)));
  }
  auto store = std::make_unique<SqliteAccountingStore>(std::move(db));
  RETURN_IF_ERROR(store->Prepare());
  return std::unique_ptr<AccountingStore>(std::move(store));
}

}  // namespace drover::acct
