// What only the SQLite store does: refusing files that are not (intact) Drover state
// stores, and keeping every acknowledged append across a kill -9.
#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "storage/state_store.h"
#include "storage/storage_test_util.h"

namespace drover::storage {
namespace {

using ::testing::HasSubstr;

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Runs `sql` on `path` through SQLite directly, as another program would.
void RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << message;
  sqlite3_free(message);
  sqlite3_close(db);
}

Error OpenError(const std::string& path) {
  auto store = OpenSqliteStateStore(path);
  if (store.has_value()) {
    ADD_FAILURE() << path << " opened";
    return Error(ErrorCode::kOk);
  }
  return store.error();
}

TEST(SqliteStateStoreTest, CreatesTheFileAndItsSchema) {
  TempDir dir;
  {
    auto store = OpenSqliteStateStore(dir.File("state.db"));
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    EXPECT_EQ((*store)->AppendSync({"a"}).value(), 1u);
  }
  EXPECT_TRUE(std::filesystem::exists(dir.File("state.db")));
}

TEST(SqliteStateStoreTest, NormalSyncStoresTheSame) {
  TempDir dir;
  {
    auto store = OpenSqliteStateStore(dir.File("state.db"), {.full_sync = false});
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    EXPECT_EQ((*store)->AppendSync({"a", "b"}).value(), 2u);
  }
  auto store = OpenSqliteStateStore(dir.File("state.db"));
  ASSERT_TRUE(store.has_value());
  EXPECT_EQ((*store)->Recover()->tail.size(), 2u);
}

TEST(SqliteStateStoreTest, MissingDirectoryIsAnIoErrorNamingThePath) {
  TempDir dir;
  Error error = OpenError(dir.File("no/such/dir/state.db"));
  EXPECT_EQ(error.code(), ErrorCode::kIo);
  EXPECT_THAT(error.context(), HasSubstr("no/such/dir/state.db"));
  EXPECT_THAT(error.message(), HasSubstr("unable to open"));
}

TEST(SqliteStateStoreTest, RefusesAFileThatIsNotSqlite) {
  TempDir dir;
  std::string garbage(8192, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919 % 251);
  WriteFile(dir.File("state.db"), garbage);
  Error error = OpenError(dir.File("state.db"));
  EXPECT_EQ(error.code(), ErrorCode::kIo);
  EXPECT_THAT(error.message(), HasSubstr("file is not a database"));
  EXPECT_EQ(error.context(), dir.File("state.db"));
}

TEST(SqliteStateStoreTest, RefusesAnotherApplicationsDatabaseAndLeavesItAlone) {
  TempDir dir;
  RunSql(dir.File("other.db"), "CREATE TABLE jobs (id INTEGER); INSERT INTO jobs VALUES (1)");
  Error error = OpenError(dir.File("other.db"));
  EXPECT_EQ(error.code(), ErrorCode::kIo);
  EXPECT_THAT(error.message(), HasSubstr("not a Drover state store"));
  // Not switched to WAL, not migrated.
  EXPECT_FALSE(std::filesystem::exists(dir.File("other.db-wal")));
  RunSql(dir.File("other.db"), "SELECT id FROM jobs");
}

TEST(SqliteStateStoreTest, RefusesADroverFileOfAnotherKind) {
  TempDir dir;
  { ASSERT_TRUE(OpenSqliteStateStore(dir.File("state.db")).has_value()); }
  RunSql(dir.File("state.db"), "UPDATE meta SET value = 'drover-accounting' WHERE key = 'kind'");
  EXPECT_THAT(OpenError(dir.File("state.db")).message(), HasSubstr("not a Drover state store"));
}

TEST(SqliteStateStoreTest, RefusesANewerSchema) {
  TempDir dir;
  { ASSERT_TRUE(OpenSqliteStateStore(dir.File("state.db")).has_value()); }
  RunSql(dir.File("state.db"), "PRAGMA user_version = 999");
  Error error = OpenError(dir.File("state.db"));
  EXPECT_THAT(error.message(), HasSubstr("schema version 999 is newer"));
}

TEST(SqliteStateStoreTest, RefusesADamagedStore) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  {
    auto store = OpenSqliteStateStore(path);
    ASSERT_TRUE(store.has_value());
    for (int i = 0; i < 50; ++i) {
      ASSERT_TRUE((*store)->AppendSync({std::string(2000, static_cast<char>('a' + i % 26))}));
    }
  }
  const auto size = std::filesystem::file_size(path);
  ASSERT_GT(size, 8u * 4096u);
  // Scribble over the middle pages (b-tree pages of the log), as a bad disk would.
  {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(4096 * 2);
    std::string junk(4096 * 4, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Error error = OpenError(path);
  EXPECT_EQ(error.code(), ErrorCode::kIo);
  EXPECT_EQ(error.context(), path);
  EXPECT_FALSE(error.message().empty());
}

TEST(SqliteStateStoreTest, AFullDiskFailsTheBatchWithSqlitesMessageAndTheStoreStopsWriting) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  {
    auto store = OpenSqliteStateStore(path, {.max_page_count_for_testing = 16});
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    ASSERT_EQ((*store)->AppendSync({"kept"}).value(), 1u);
    auto full = (*store)->AppendSync({std::string(64 * 4096, 'x')});
    ASSERT_FALSE(full.has_value());
    EXPECT_EQ(full.error().code(), ErrorCode::kIo);
    EXPECT_THAT(full.error().message(), HasSubstr("full"));
    EXPECT_EQ(full.error().context(), path);
    // Whatever the disk did, later appends are refused until a restart.
    auto later = (*store)->AppendSync({"small"});
    ASSERT_FALSE(later.has_value());
    EXPECT_THAT(later.error().message(), HasSubstr("full"));
    EXPECT_EQ((*store)->Stats().last_seq, 1u);
  }
  auto store = OpenSqliteStateStore(path);
  ASSERT_TRUE(store.has_value()) << store.error().ToString();
  auto recovered = (*store)->Recover();
  ASSERT_TRUE(recovered.has_value());
  ASSERT_EQ(recovered->tail.size(), 1u);
  EXPECT_EQ(recovered->tail[0].payload, "kept");
  EXPECT_EQ((*store)->AppendSync({"next"}).value(), 2u);  // the failed batch took no number
}

// The child: opens the store, appends from several threads and writes each acknowledged
// (seq, thread, index) to `fd`. Never returns; killed by the parent.
[[noreturn]] void AppendUntilKilled(const std::string& path, int fd) {
  auto store = OpenSqliteStateStore(path);
  if (!store.has_value()) {
    std::string message = store.error().ToString();
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(2);
  }
  std::vector<std::thread> threads;
  for (uint64_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t i = 0;; ++i) {
        auto seq = (*store)->AppendSync({fmt::format("t{}-{}", t, i)});
        if (!seq.has_value()) _exit(3);
        uint64_t ack[3] = {*seq, t, i};  // 24 bytes < PIPE_BUF: one atomic write
        if (write(fd, ack, sizeof ack) != sizeof ack) _exit(4);
      }
    });
  }
  for (;;) pause();
}

TEST(SqliteStateStoreTest, KillNineLosesNoAcknowledgedAppend) {
  TempDir dir;
  const std::string path = dir.File("state.db");
  std::mt19937 random(std::random_device{}());
  std::map<uint64_t, std::string> acknowledged;
  // Each round kills a child at a random moment, then the next child continues the file.
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      AppendUntilKilled(path, fds[1]);
    }
    close(fds[1]);
    const size_t wanted = std::uniform_int_distribution<size_t>(1, 400)(random);
    size_t seen = 0;
    bool killed = false;
    uint64_t ack[3];
    // Everything the child wrote before dying was acknowledged: read to EOF.
    for (;;) {
      ssize_t n = read(fds[0], ack, sizeof ack);
      if (n == 0) break;
      if (n < 0 && errno == EINTR) continue;
      ASSERT_EQ(n, static_cast<ssize_t>(sizeof ack));
      auto [it, inserted] = acknowledged.emplace(ack[0], fmt::format("t{}-{}", ack[1], ack[2]));
      EXPECT_TRUE(inserted) << "seq " << ack[0] << " acknowledged twice";
      if (++seen == wanted && !killed) {
        ASSERT_EQ(kill(child, SIGKILL), 0);
        killed = true;
      }
    }
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child exited early with status " << status << " after " << seen << " acks";

    auto store = OpenSqliteStateStore(path);
    ASSERT_TRUE(store.has_value()) << store.error().ToString();
    auto recovered = (*store)->Recover();
    ASSERT_TRUE(recovered.has_value()) << recovered.error().ToString();
    std::map<uint64_t, std::string> on_disk;
    for (LogRecord& record : recovered->tail) on_disk.emplace(record.seq, record.payload);
    for (const auto& [seq, payload] : acknowledged) {
      auto it = on_disk.find(seq);
      ASSERT_NE(it, on_disk.end()) << "round " << round << ": acknowledged seq " << seq << " lost";
      EXPECT_EQ(it->second, payload);
    }
    // Records written but not yet acknowledged may be there too; numbering goes on after.
    EXPECT_EQ((*store)->AppendSync({}).value(), on_disk.empty() ? 0 : on_disk.rbegin()->first);
  }
}

}  // namespace
}  // namespace drover::storage
