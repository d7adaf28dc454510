// MemoryStateStore: a StateStore kept in memory, with the SQLite store's semantics
// (sequence numbers, group commit, callbacks in order, snapshots dropping old records), for
// tests and the simulator.
//
// What a store has "made durable" lives in a MemoryStateDisk that outlives the store, so a
// test can close a store and open another on the same disk to see what recovery sees, or
// crash one (CrashForTesting) to drop what was queued but not yet committed.
//
// Thread-safety: as StateStore. A disk is open in at most one store at a time, as an
// SQLite file is open in at most one process.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "storage/group_commit.h"
#include "storage/state_store.h"

namespace drover::storage {

// The durable contents of a memory store. Only MemoryStateStore touches the fields.
class MemoryStateDisk {
 public:
  MemoryStateDisk() = default;
  MemoryStateDisk(const MemoryStateDisk&) = delete;
  MemoryStateDisk& operator=(const MemoryStateDisk&) = delete;

 private:
  friend class MemoryStateStore;

  std::mutex mu_;
  bool open_ = false;                    // guarded by mu_
  uint64_t last_seq_ = 0;                // guarded by mu_
  std::map<uint64_t, std::string> log_;  // guarded by mu_
  std::optional<std::string> snapshot_;  // guarded by mu_
  uint64_t snapshot_seq_ = 0;            // guarded by mu_
};

struct MemoryOptions {
  size_t max_batch = 4096;  // as SqliteOptions::max_batch
};

class MemoryStateStore final : public StateStore {
 public:
  // Refuses (kIo) a disk another store has open.
  static Result<std::unique_ptr<MemoryStateStore>> Open(std::shared_ptr<MemoryStateDisk> disk,
                                                        const MemoryOptions& options = {});
  ~MemoryStateStore() override;

  void Append(std::vector<std::string> payloads, AppendDone done) override;
  Result<uint64_t> AppendSync(std::vector<std::string> payloads) override;
  Status WriteSnapshot(uint64_t seq, std::string snapshot) override;
  Result<Recovered> Recover() override;
  StateStoreStats Stats() const override;

  // While held, appends queue up and nothing is committed (see GroupCommitter).
  void HoldWritesForTesting(bool hold);
  // Dies like a killed process: queued appends are not committed (their `done` gets
  // kCancelled), later calls fail, and the disk is free for another store to open.
  void CrashForTesting();
  // Every later commit fails with `error`, as if fsync had failed.
  void FailCommitsForTesting(Error error);

 private:
  MemoryStateStore(std::shared_ptr<MemoryStateDisk> disk, const MemoryOptions& options);
  Result<uint64_t> Commit(std::vector<std::string>& records);  // writer thread
  void Close();

  const std::shared_ptr<MemoryStateDisk> disk_;

  std::mutex mu_;
  bool crashed_ = false;               // guarded by mu_
  bool closed_ = false;                // guarded by mu_
  std::optional<Error> fail_commits_;  // guarded by mu_

  GroupCommitter committer_;  // last: its thread uses the members above
};

}  // namespace drover::storage
