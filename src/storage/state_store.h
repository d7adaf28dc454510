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
// Implementations: SQLite (sqlite/, the embedded default), memory (memory/, for tests).
// Thread-safety: every method may be called from any thread; `done` callbacks run on the
// store's own writer thread, in append order, and must not block.
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

class StateStore {
 public:
  using AppendDone = std::function<void(Result<uint64_t> last_seq)>;

  virtual ~StateStore() = default;

  // Queues `payloads` for the next group commit; `done` gets the sequence number of the
  // last of them once they are on disk, or the error that kept them off it.
  virtual void Append(std::vector<std::string> payloads, AppendDone done) = 0;
  // Append and wait.
  virtual Result<uint64_t> AppendSync(std::vector<std::string> payloads) = 0;
  // Stores a snapshot of the state after record `seq`; records up to `seq` may then be
  // dropped. REQUIRES: seq was returned by an append.
  virtual Status WriteSnapshot(uint64_t seq, std::string snapshot) = 0;
  // The newest snapshot and the records after it.
  virtual Result<Recovered> Recover() = 0;
};

struct SqliteOptions {
  // The most records one transaction takes; more wait for the next.
  size_t max_batch = 4096;
  // synchronous=FULL: an acknowledged append survives a power cut, not just a crash.
  bool full_sync = true;
};

// Opens (creating when absent) the store at `path`.
Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path,
                                                         const SqliteOptions& options = {});
std::unique_ptr<StateStore> NewMemoryStateStore();

}  // namespace drover::storage
