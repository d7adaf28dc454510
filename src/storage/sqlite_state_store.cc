// The SQLite StateStore: the embedded default.
//
// One connection, opened in WAL mode with locking_mode=EXCLUSIVE: the connection holds the
// file's lock for its lifetime, so a second controller on the same file is refused at open
// instead of interleaving its writes, and WAL needs no shared-memory index. Every use of
// the connection is serialised by db_mu_: the GroupCommitter's writer thread takes it for
// each batch, WriteSnapshot and Recover for theirs.
//
// A batch is one transaction: each record is a row of `log` with its seq as the rowid, and
// meta.last_seq is raised to the batch's last seq, so numbers never repeat even when a
// snapshot has emptied the log. COMMIT is the one fsync (synchronous=FULL) for the batch.
#include <fmt/core.h>
#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <utility>

#include "storage/group_commit.h"
#include "storage/sqlite_db.h"
#include "storage/state_store.h"
#include "storage/state_store_migrations.h"

namespace drover::storage {
namespace {

// PRAGMA application_id of every Drover SQLite file ("DRVR"); meta.kind tells which one.
constexpr int64_t kApplicationId = 0x44525652;
constexpr std::string_view kKind = "drover-state-store";

class SqliteStateStore final : public StateStore {
 public:
  static Result<std::unique_ptr<StateStore>> Open(const std::string& path,
                                                  const SqliteOptions& options);
  ~SqliteStateStore() override { committer_.Drain(); }

  void Append(std::vector<std::string> payloads, AppendDone done) override {
    committer_.Append(std::move(payloads), std::move(done));
  }
  Result<uint64_t> AppendSync(std::vector<std::string> payloads) override {
    return committer_.AppendSync(std::move(payloads));
  }
  Status WriteSnapshot(uint64_t seq, std::string snapshot) override;
  Result<Recovered> Recover() override;
  StateStoreStats Stats() const override {
    return {last_seq_published_.load(std::memory_order_acquire), committer_.records(),
            committer_.batches()};
  }

 private:
  SqliteStateStore(std::unique_ptr<SqliteDb> db, const SqliteOptions& options)
      : db_(std::move(db)),
        committer_(options.max_batch,
                   [this](std::vector<std::string>& records) { return Commit(records); }) {}

  // Writer thread: one transaction for `records`.
  Result<uint64_t> Commit(std::vector<std::string>& records);
  Status CommitLocked(std::vector<std::string>& records);
  Status PrepareStatements();
  Status LoadCounters();

  std::mutex db_mu_;
  std::unique_ptr<SqliteDb> db_;                 // guarded by db_mu_ (statements below too)
  SqliteStatement begin_;                        // BEGIN IMMEDIATE
  SqliteStatement commit_;                       // COMMIT
  SqliteStatement insert_record_;                // (seq, payload)
  SqliteStatement set_last_seq_;                 // (seq)
  uint64_t last_seq_ = 0;                        // guarded by db_mu_: the last committed seq
  uint64_t snapshot_seq_ = 0;                    // guarded by db_mu_
  bool has_snapshot_ = false;                    // guarded by db_mu_
  std::atomic<uint64_t> last_seq_published_{0};  // last_seq_, for Stats() without the lock

  GroupCommitter committer_;  // last: its thread uses the members above
};

// Refuses a file that is not (and cannot become) a Drover state store; runs the
// migrations it lacks. Takes the file's exclusive lock on the way.
Status CheckAndMigrate(SqliteDb& db) {
  // The first read: a file that is not SQLite fails here ("file is not a database"), one
  // that another process holds fails with "database is locked".
  auto app_id = db.QueryInt64("PRAGMA application_id");
  if (!app_id) {
    const std::string& why = app_id.error().message();
    const bool locked = why.find("locked") != std::string::npos;
    return Error(
        ErrorCode::kIo,
        fmt::format("cannot open state store: {} ({})", why,
                    locked ? "in use by another process" : "not an SQLite database, or damaged"),
        db.path());
  }
  ASSIGN_OR_RETURN(int64_t version, db.QueryInt64("PRAGMA user_version"));
  ASSIGN_OR_RETURN(int64_t tables, db.QueryInt64("SELECT count(*) FROM sqlite_schema"));
  const auto migrations = StateStoreMigrations();
  const bool fresh = *app_id == 0 && version == 0 && tables == 0;
  if (!fresh && *app_id != kApplicationId) {
    return Error(ErrorCode::kIo,
                 "not a Drover state store (an SQLite database of another application)", db.path());
  }
  if (version > static_cast<int64_t>(migrations.size())) {
    return Error(ErrorCode::kIo,
                 fmt::format("state store schema version {} is newer than this Drover knows "
                             "({}); upgrade Drover",
                             version, migrations.size()),
                 db.path());
  }
  // Switching to WAL rewrites the header, so only once the file is known to be ours.
  ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode=WAL"));
  if (mode != "wal") {
    return Error(ErrorCode::kIo, fmt::format("cannot enable WAL mode (got '{}')", mode), db.path());
  }
  if (!fresh) {
    auto kind = db.QueryText("SELECT value FROM meta WHERE key = 'kind'");
    if (!kind || *kind != kKind) {
      return Error(ErrorCode::kIo,
                   fmt::format("not a Drover state store (kind '{}')",
                               kind ? *kind : kind.error().message()),
                   db.path());
    }
  }
  for (int64_t v = version; v < static_cast<int64_t>(migrations.size()); ++v) {
    Status migrated = db.Exec("BEGIN IMMEDIATE");
    if (migrated) migrated = db.Exec(migrations[v]);
    if (migrated) {
      migrated = db.Exec(fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}",
                                     kApplicationId, v + 1));
    }
    if (migrated) migrated = db.Exec("COMMIT");
    if (!migrated) {
      db.RollbackIfOpen();
      return Error(ErrorCode::kIo,
                   fmt::format("migrating state store to schema version {}: {}", v + 1,
                               migrated.error().message()),
                   db.path());
    }
  }
  return Ok();
}

Status QuickCheck(SqliteDb& db) {
  ASSIGN_OR_RETURN(SqliteStatement check, db.Prepare("PRAGMA quick_check"));
  ASSIGN_OR_RETURN(bool row, check.Step());
  std::string result = row ? check.ColumnBlob(0) : "no result";
  if (result == "ok") return Ok();
  return Error(ErrorCode::kIo, fmt::format("state store is damaged: {}", result), db.path());
}

Result<std::unique_ptr<StateStore>> SqliteStateStore::Open(const std::string& path,
                                                           const SqliteOptions& options) {
  DROVER_CHECK(options.max_batch >= 1);
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path));
  // Before the first read, so that no shared-memory WAL index is ever made.
  RETURN_IF_ERROR(db->Exec("PRAGMA locking_mode=EXCLUSIVE"));
  RETURN_IF_ERROR(CheckAndMigrate(*db));
  RETURN_IF_ERROR(
      db->Exec(options.full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  // After a checkpoint, cut the WAL back rather than keep its high-water size.
  RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit=67108864"));
  if (options.check_on_open) RETURN_IF_ERROR(QuickCheck(*db));
  if (options.max_page_count_for_testing != 0) {
    RETURN_IF_ERROR(
        db->Exec(fmt::format("PRAGMA max_page_count={}", options.max_page_count_for_testing)));
  }

  std::unique_ptr<SqliteStateStore> store(new SqliteStateStore(std::move(db), options));
  {
    std::lock_guard lock(store->db_mu_);
    RETURN_IF_ERROR(store->PrepareStatements());
    RETURN_IF_ERROR(store->LoadCounters());
  }
  return std::unique_ptr<StateStore>(std::move(store));
}

Status SqliteStateStore::PrepareStatements() {
  ASSIGN_OR_RETURN(begin_, db_->Prepare("BEGIN IMMEDIATE"));
  ASSIGN_OR_RETURN(commit_, db_->Prepare("COMMIT"));
  ASSIGN_OR_RETURN(insert_record_, db_->Prepare("INSERT INTO log (seq, payload) VALUES (?, ?)"));
  ASSIGN_OR_RETURN(set_last_seq_, db_->Prepare("UPDATE meta SET value = ? WHERE key = 'last_seq'"));
  return Ok();
}

Status SqliteStateStore::LoadCounters() {
  ASSIGN_OR_RETURN(int64_t last, db_->QueryInt64("SELECT value FROM meta WHERE key = 'last_seq'"));
  ASSIGN_OR_RETURN(int64_t max_log, db_->QueryInt64("SELECT coalesce(max(seq), 0) FROM log"));
  ASSIGN_OR_RETURN(int64_t snapshots, db_->QueryInt64("SELECT count(*) FROM snapshot"));
  ASSIGN_OR_RETURN(int64_t snap_seq, db_->QueryInt64("SELECT coalesce(max(seq), 0) FROM snapshot"));
  if (last < 0 || max_log > last || snap_seq > last) {
    return Error(ErrorCode::kIo,
                 fmt::format("state store is inconsistent: last_seq {} but log reaches {} and "
                             "the snapshot {}",
                             last, max_log, snap_seq),
                 db_->path());
  }
  last_seq_ = static_cast<uint64_t>(last);
  snapshot_seq_ = static_cast<uint64_t>(snap_seq);
  has_snapshot_ = snapshots > 0;
  last_seq_published_.store(last_seq_, std::memory_order_release);
  return Ok();
}

Result<uint64_t> SqliteStateStore::Commit(std::vector<std::string>& records) {
  std::lock_guard lock(db_mu_);
  if (records.empty()) return last_seq_;
  Status status = CommitLocked(records);
  if (!status) {
    db_->RollbackIfOpen();
    return std::move(status).error();
  }
  last_seq_ += records.size();
  last_seq_published_.store(last_seq_, std::memory_order_release);
  return last_seq_;
}

Status SqliteStateStore::CommitLocked(std::vector<std::string>& records) {
  RETURN_IF_ERROR(begin_.Run());
  begin_.Reset();
  uint64_t seq = last_seq_;
  for (const std::string& record : records) {
    insert_record_.BindInt64(1, static_cast<int64_t>(++seq));
    Status inserted = insert_record_.BindBlob(2, record);
    if (inserted) inserted = insert_record_.Run();
    insert_record_.Reset();
    RETURN_IF_ERROR(inserted);
  }
  set_last_seq_.BindInt64(1, static_cast<int64_t>(seq));
  Status updated = set_last_seq_.Run();
  set_last_seq_.Reset();
  RETURN_IF_ERROR(updated);
  Status committed = commit_.Run();
  commit_.Reset();
  return committed;
}

Status SqliteStateStore::WriteSnapshot(uint64_t seq, std::string snapshot) {
  std::lock_guard lock(db_mu_);
  if (seq > last_seq_) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("snapshot at seq {} is past the last record {}", seq, last_seq_));
  }
  if (has_snapshot_ && seq < snapshot_seq_) {
    return Error(
        ErrorCode::kInvalidArgument,
        fmt::format("snapshot at seq {} is older than the stored one at {}", seq, snapshot_seq_));
  }
  auto write = [&]() -> Status {
    RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
    ASSIGN_OR_RETURN(
        SqliteStatement put,
        db_->Prepare("INSERT OR REPLACE INTO snapshot (id, seq, payload) VALUES (1, ?, ?)"));
    put.BindInt64(1, static_cast<int64_t>(seq));
    RETURN_IF_ERROR(put.BindBlob(2, snapshot));
    RETURN_IF_ERROR(put.Run());
    ASSIGN_OR_RETURN(SqliteStatement drop, db_->Prepare("DELETE FROM log WHERE seq <= ?"));
    drop.BindInt64(1, static_cast<int64_t>(seq));
    RETURN_IF_ERROR(drop.Run());
    return db_->Exec("COMMIT");
  };
  Status status = write();
  if (!status) {
    db_->RollbackIfOpen();
    return status;
  }
  snapshot_seq_ = seq;
  has_snapshot_ = true;
  return Ok();
}

Result<Recovered> SqliteStateStore::Recover() {
  std::lock_guard lock(db_mu_);
  auto read = [&]() -> Result<Recovered> {
    Recovered recovered;
    RETURN_IF_ERROR(db_->Exec("BEGIN"));
    ASSIGN_OR_RETURN(SqliteStatement snap, db_->Prepare("SELECT seq, payload FROM snapshot"));
    ASSIGN_OR_RETURN(bool has_snapshot, snap.Step());
    if (has_snapshot) {
      recovered.snapshot_seq = static_cast<uint64_t>(snap.ColumnInt64(0));
      recovered.snapshot = snap.ColumnBlob(1);
    }
    ASSIGN_OR_RETURN(SqliteStatement log,
                     db_->Prepare("SELECT seq, payload FROM log WHERE seq > ? ORDER BY seq"));
    log.BindInt64(1, static_cast<int64_t>(recovered.snapshot_seq));
    uint64_t expected = recovered.snapshot_seq + 1;
    for (;;) {
      ASSIGN_OR_RETURN(bool row, log.Step());
      if (!row) break;
      LogRecord record{static_cast<uint64_t>(log.ColumnInt64(0)), log.ColumnBlob(1)};
      // Records are written in whole batches with consecutive numbers; a gap means damage.
      if (record.seq != expected) {
        return Error(ErrorCode::kIo,
                     fmt::format("state store log is damaged: expected record {}, found {}",
                                 expected, record.seq),
                     db_->path());
      }
      ++expected;
      recovered.tail.push_back(std::move(record));
    }
    RETURN_IF_ERROR(db_->Exec("COMMIT"));
    return recovered;
  };
  auto recovered = read();
  if (!recovered) db_->RollbackIfOpen();
  return recovered;
}

}  // namespace

Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path,
                                                         const SqliteOptions& options) {
  return SqliteStateStore::Open(path, options);
}

}  // namespace drover::storage
