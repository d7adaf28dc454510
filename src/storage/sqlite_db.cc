#include "storage/sqlite_db.h"

#include <fmt/core.h>
#include <sqlite3.h>

#include <utility>

namespace drover::storage {

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::BindInt64(int index, int64_t value) {
  // Binding fails only for a bad index: a programmer error.
  DROVER_CHECK(sqlite3_bind_int64(stmt_, index, value) == SQLITE_OK);
}

Status SqliteStatement::BindBlob(int index, std::string_view value) {
  // A zero-length blob with a non-null pointer stays a blob, not NULL.
  static constexpr char kEmpty = 0;
  const char* data = value.empty() ? &kEmpty : value.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_STATIC);
  if (rc == SQLITE_OK) return Ok();
  DROVER_CHECK(rc == SQLITE_TOOBIG);
  return db_->ErrorFor(rc, fmt::format("binding a {}-byte blob", value.size()));
}

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = db_->ErrorFor(rc, sqlite3_sql(stmt_));
  sqlite3_reset(stmt_);
  return error;
}

Status SqliteStatement::Run() {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Ok();
  }
}

int64_t SqliteStatement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStatement::ColumnBlob(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

void SqliteStatement::Reset() {
  // sqlite3_reset repeats the last step's error, which Step() has already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error(ErrorCode::kIo,
                fmt::format("cannot open: {}", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), path);
    sqlite3_close(db);
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(path, db));
}

SqliteDb::~SqliteDb() {
  // Statements are finalised by their owners first; close_v2 copes if one is not.
  sqlite3_close_v2(db_);
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok();
  Error error(ErrorCode::kIo,
              fmt::format("{}: {}", text.substr(0, 60), message ? message : sqlite3_errstr(rc)),
              path_);
  sqlite3_free(message);
  return error;
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorFor(rc, sql);
  return SqliteStatement(this, stmt);
}

Result<int64_t> SqliteDb::QueryInt64(std::string_view sql) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Error(ErrorCode::kIo, fmt::format("{}: returned no row", sql), path_);
  return stmt.ColumnInt64(0);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Error(ErrorCode::kIo, fmt::format("{}: returned no row", sql), path_);
  return stmt.ColumnBlob(0);
}

void SqliteDb::RollbackIfOpen() {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Error SqliteDb::ErrorFor(int rc, std::string_view what) const {
  const char* message = sqlite3_errmsg(db_);
  // errmsg describes the most recent call on the connection; fall back to the code's text
  // when that call is not the one that failed.
  if (sqlite3_extended_errcode(db_) != rc) message = sqlite3_errstr(rc);
  if (what.size() > 80) what = what.substr(0, 80);
  return Error(ErrorCode::kIo, fmt::format("{}: {}", what, message), path_);
}

}  // namespace drover::storage
