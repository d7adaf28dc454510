#include "storage/memory_state_store.h"

#include <fmt/core.h>

#include <utility>

namespace drover::storage {
namespace {

Error Crashed() { return Error(ErrorCode::kCancelled, "state store crashed"); }

}  // namespace

Result<std::unique_ptr<MemoryStateStore>> MemoryStateStore::Open(
    std::shared_ptr<MemoryStateDisk> disk, const MemoryOptions& options) {
  DROVER_CHECK(disk != nullptr);
  {
    std::lock_guard lock(disk->mu_);
    if (disk->open_) {
      return Error(ErrorCode::kIo, "state store is in use by another process", "memory");
    }
    disk->open_ = true;
  }
  return std::unique_ptr<MemoryStateStore>(new MemoryStateStore(std::move(disk), options));
}

MemoryStateStore::MemoryStateStore(std::shared_ptr<MemoryStateDisk> disk,
                                   const MemoryOptions& options)
    : disk_(std::move(disk)),
      committer_(options.max_batch,
                 [this](std::vector<std::string>& records) { return Commit(records); }) {}

MemoryStateStore::~MemoryStateStore() {
  committer_.Drain();
  Close();
}

void MemoryStateStore::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;  // a crashed store's disk may already be open in another store
    closed_ = true;
  }
  std::lock_guard lock(disk_->mu_);
  disk_->open_ = false;
}

void MemoryStateStore::Append(std::vector<std::string> payloads, AppendDone done) {
  committer_.Append(std::move(payloads), std::move(done));
}

Result<uint64_t> MemoryStateStore::AppendSync(std::vector<std::string> payloads) {
  return committer_.AppendSync(std::move(payloads));
}

Result<uint64_t> MemoryStateStore::Commit(std::vector<std::string>& records) {
  {
    std::lock_guard lock(mu_);
    if (crashed_) return Crashed();
    if (fail_commits_) return *fail_commits_;
  }
  std::lock_guard lock(disk_->mu_);
  for (std::string& record : records) disk_->log_.emplace(++disk_->last_seq_, std::move(record));
  return disk_->last_seq_;
}

Status MemoryStateStore::WriteSnapshot(uint64_t seq, std::string snapshot) {
  {
    std::lock_guard lock(mu_);
    if (crashed_) return Crashed();
    if (fail_commits_) return *fail_commits_;
  }
  std::lock_guard lock(disk_->mu_);
  if (seq > disk_->last_seq_) {
    return Error(
        ErrorCode::kInvalidArgument,
        fmt::format("snapshot at seq {} is past the last record {}", seq, disk_->last_seq_));
  }
  if (disk_->snapshot_ && seq < disk_->snapshot_seq_) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("snapshot at seq {} is older than the stored one at {}", seq,
                             disk_->snapshot_seq_));
  }
  disk_->snapshot_ = std::move(snapshot);
  disk_->snapshot_seq_ = seq;
  disk_->log_.erase(disk_->log_.begin(), disk_->log_.upper_bound(seq));
  return Ok();
}

Result<Recovered> MemoryStateStore::Recover() {
  {
    std::lock_guard lock(mu_);
    if (crashed_) return Crashed();
  }
  std::lock_guard lock(disk_->mu_);
  Recovered recovered;
  recovered.snapshot = disk_->snapshot_;
  recovered.snapshot_seq = disk_->snapshot_seq_;
  recovered.tail.reserve(disk_->log_.size());
  for (const auto& [seq, payload] : disk_->log_) recovered.tail.push_back({seq, payload});
  return recovered;
}

StateStoreStats MemoryStateStore::Stats() const {
  StateStoreStats stats;
  {
    std::lock_guard lock(disk_->mu_);
    stats.last_seq = disk_->last_seq_;
  }
  stats.records = committer_.records();
  stats.batches = committer_.batches();
  return stats;
}

void MemoryStateStore::HoldWritesForTesting(bool hold) { committer_.HoldForTesting(hold); }

void MemoryStateStore::CrashForTesting() {
  {
    std::lock_guard lock(mu_);
    crashed_ = true;
  }
  committer_.Abandon();
  Close();
}

void MemoryStateStore::FailCommitsForTesting(Error error) {
  std::lock_guard lock(mu_);
  fail_commits_ = std::move(error);
}

std::unique_ptr<StateStore> NewMemoryStateStore() {
  return std::move(MemoryStateStore::Open(std::make_shared<MemoryStateDisk>())).value();
}

}  // namespace drover::storage
