// GroupCommitter: the writer thread behind every StateStore implementation.
//
// Appends queue here from any thread. One writer thread takes every queued append (up to
// max_batch records; an append's records are never split), hands their records to the
// implementation's commit function as one batch (one transaction, one fsync), then runs
// each append's `done` in order with the sequence number of its last record. That is the
// group commit: under load, many appends share one fsync.
//
// After a failed commit every later batch fails with the same error without touching the
// disk: whether the failed batch's pages reached it is unknown, so the owner must restart.
//
// Thread-safety: Append/AppendSync/Stats from any thread; the commit function and the
// `done` callbacks run on the writer thread only. Owned by one store.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "storage/state_store.h"

namespace drover::storage {

class GroupCommitter {
 public:
  // Writes `records` (the payloads of one or more appends, in order) as one durable unit
  // and returns the sequence number of the last of them; numbers within a batch are
  // consecutive. With no records it writes nothing and returns the last number so far.
  using CommitFn = std::function<Result<uint64_t>(std::vector<std::string>& records)>;

  // REQUIRES: max_batch >= 1.
  GroupCommitter(size_t max_batch, CommitFn commit);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;
  // Drain().
  ~GroupCommitter();

  void Append(std::vector<std::string> payloads, StateStore::AppendDone done);
  Result<uint64_t> AppendSync(std::vector<std::string> payloads);

  // Writes everything queued, runs its callbacks and joins the writer thread. Appends
  // after this fail with kCancelled. Idempotent. REQUIRES: not called from a callback.
  void Drain();
  // Joins the writer thread without writing what is still queued: each queued append's
  // `done` gets kCancelled (a batch already being written finishes). Simulates a crash.
  void Abandon();
  // While held the writer takes nothing, so appends queue up; releasing lets it take them
  // all at once. Drain() releases the hold.
  void HoldForTesting(bool hold);

  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    std::vector<std::string> payloads;
    StateStore::AppendDone done;
  };

  void Run();
  void Stop(bool abandon);
  // Commits `batch` and runs its callbacks. Writer thread only.
  void Commit(std::vector<Pending>& batch);

  // Constant after construction.
  const size_t max_batch_;
  const CommitFn commit_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  bool abandon_ = false;       // guarded by mu_
  bool held_ = false;          // guarded by mu_

  // Writer thread only.
  std::optional<Error> failed_;
  std::vector<std::string> records_buffer_;

  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> batches_{0};

  std::thread thread_;  // last: starts after every member above exists
};

}  // namespace drover::storage
