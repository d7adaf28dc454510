// SqliteDb and SqliteStatement: a thin RAII layer over the SQLite C API. Every SQLite
// failure becomes a drover Error with code kIo, SQLite's own message, and the file name as
// context. Kept free of store logic so the accounting store can share it.
//
// Thread-safety: none. A connection is opened with SQLITE_OPEN_NOMUTEX; its owner
// serialises every use of it and of its statements.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace drover::storage {

class SqliteDb;

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  ~SqliteStatement();

  // Indexes start at 1. A blob is not copied: it must outlive the next Step(). Fails for
  // a blob over SQLite's size limit (SQLITE_TOOBIG).
  void BindInt64(int index, int64_t value);
  [[nodiscard]] Status BindBlob(int index, std::string_view value);
  // true: a row is ready to read; false: the statement is done.
  Result<bool> Step();
  // Steps to the end, for statements that return no rows.
  Status Run();
  int64_t ColumnInt64(int index) const;
  std::string ColumnBlob(int index) const;
  // Resets for the next execution and clears the bindings.
  void Reset();

 private:
  friend class SqliteDb;
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  const SqliteDb* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  // Opens (creating when absent) the database at `path`, read-write.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  // The single integer a query such as "PRAGMA user_version" returns.
  Result<int64_t> QueryInt64(std::string_view sql);
  // The single text a query such as "PRAGMA journal_mode=WAL" returns.
  Result<std::string> QueryText(std::string_view sql);
  // Rolls back the open transaction, if any; for error paths (its own error is dropped:
  // the caller is already returning the one that matters).
  void RollbackIfOpen();

  // kIo, "what: SQLite's message", the path as context.
  Error ErrorFor(int rc, std::string_view what) const;
  const std::string& path() const { return path_; }

 private:
  SqliteDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  const std::string path_;
  sqlite3* const db_;
};

}  // namespace drover::storage
