// StateStore: the controller's write-ahead log and snapshots.
//
// The engine turns every mutation into a command, appends it here, and answers the
// client only after the append is durable (fsync'd). Appends from many commands are
// batched into one transaction and one fsync (group commit), so durability stays cheap
// under load. Now and then the engine writes a snapshot of its whole state at a log
// sequence number; recovery loads the newest snapshot and replays the records after it.
//
// Payloads are opaque bytes (serialised commands and snapshots); the store never parses
// them. Sequence numbers start at 1, increase by one per record, and never repeat, across
// restarts too.
//
// Implementations: SQLite (sqlite_state_store.cc, the embedded default) and memory
// (memory_state_store.h, for tests). Both run one writer thread that takes every queued
// append (up to max_batch records) into one durable unit; see group_commit.h.
// Thread-safety: every method may be called from any thread; `done` callbacks run on the
// store's own writer thread, in append order, and must not block (nor call AppendSync).
// Destroying a store waits for every queued append to be written and its `done` to run.
// After a failed commit the store refuses every later append with that error: what is on
// disk is uncertain (a failed fsync may have dropped pages), so the owner must restart and
// recover.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace drover::storage {

struct LogRecord {
  uint64_t seq = 0;
  std::string payload;
};

struct Recovered {
  std::optional<std::string> snapshot;  // the newest snapshot, if any
  uint64_t snapshot_seq = 0;            // the last record the snapshot includes
  std::vector<LogRecord> tail;          // records after snapshot_seq, in order
};

struct StateStoreStats {
  uint64_t last_seq = 0;  // the last durable sequence number
  uint64_t records = 0;   // records committed by this store object
  uint64_t batches = 0;   // transactions those records took (records/batches: group size)
};

class StateStore {
 public:
  using AppendDone = std::function<void(Result<uint64_t> last_seq)>;

  virtual ~StateStore() = default;

  // Queues `payloads` for the next group commit; `done` gets the sequence number of the
  // last of them once they are on disk, or the error that kept them off it. The payloads
  // of one call are committed together (never split across transactions). An empty
  // `payloads` is a barrier: `done` gets the last sequence number so far once every
  // earlier append is on disk.
  virtual void Append(std::vector<std::string> payloads, AppendDone done) = 0;
  // Append and wait. REQUIRES: not called from a `done` callback (it would wait forever).
  virtual Result<uint64_t> AppendSync(std::vector<std::string> payloads) = 0;
  // Stores a snapshot of the state after record `seq`; records up to `seq` may then be
  // dropped. REQUIRES: seq was returned by an append.
  virtual Status WriteSnapshot(uint64_t seq, std::string snapshot) = 0;
  // The newest snapshot and the records after it.
  virtual Result<Recovered> Recover() = 0;
  // Counters for diagnostics (sdiag) and benchmarks.
  virtual StateStoreStats Stats() const = 0;
};

struct SqliteOptions {
  // The most records one transaction takes; more wait for the next.
  size_t max_batch = 4096;
  // synchronous=FULL: an acknowledged append survives a power cut, not just a crash.
  // NORMAL (false) in WAL mode survives a process crash but may lose the last commits to a
  // power cut.
  bool full_sync = true;
  // Runs PRAGMA quick_check when opening, so a damaged file is refused at start-up rather
  // than failing in the middle of recovery. Costs a read of the whole file.
  bool check_on_open = true;
  // When non-zero, caps the file at this many pages (PRAGMA max_page_count), so a test can
  // make a commit fail with SQLITE_FULL as a full disk would.
  uint32_t max_page_count_for_testing = 0;
};

// Opens (creating when absent) the store at `path`. Refuses, with a kIo error naming the
// file, a file that is not an SQLite database, an SQLite database that is not a Drover
// state store, a store written by a newer schema, a damaged store, and a store another
// process has open (the connection holds an exclusive lock for its lifetime).
Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path,
                                                         const SqliteOptions& options = {});
// A store kept in memory (see memory_state_store.h for reopening and crash simulation).
std::unique_ptr<StateStore> NewMemoryStateStore();

}  // namespace drover::storage
