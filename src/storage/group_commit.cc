#include "storage/group_commit.h"

#include <future>
#include <utility>

namespace drover::storage {

GroupCommitter::GroupCommitter(size_t max_batch, CommitFn commit)
    : max_batch_(max_batch), commit_(std::move(commit)), thread_([this] { Run(); }) {
  DROVER_CHECK(max_batch >= 1);
}

GroupCommitter::~GroupCommitter() { Drain(); }

void GroupCommitter::Append(std::vector<std::string> payloads, StateStore::AppendDone done) {
  DROVER_CHECK(done != nullptr);
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(payloads), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Error(ErrorCode::kCancelled, "state store is closed"));
}

Result<uint64_t> GroupCommitter::AppendSync(std::vector<std::string> payloads) {
  std::promise<Result<uint64_t>> promise;
  auto future = promise.get_future();
  Append(std::move(payloads),
         [&promise](Result<uint64_t> last_seq) { promise.set_value(std::move(last_seq)); });
  return future.get();
}

void GroupCommitter::Drain() { Stop(/*abandon=*/false); }
void GroupCommitter::Abandon() { Stop(/*abandon=*/true); }

void GroupCommitter::Stop(bool abandon) {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    abandon_ = abandon_ || abandon;
    held_ = false;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void GroupCommitter::HoldForTesting(bool hold) {
  std::lock_guard lock(mu_);
  held_ = hold;
  cv_.notify_one();
}

void GroupCommitter::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return abandon_ || stopping_ || (!held_ && !queue_.empty()); });
      if (abandon_) {
        std::deque<Pending> dropped = std::move(queue_);
        queue_.clear();
        lock.unlock();
        for (Pending& p : dropped) p.done(Error(ErrorCode::kCancelled, "state store crashed"));
        return;
      }
      if (queue_.empty()) return;  // stopping, and everything is written
      size_t records = 0;
      while (!queue_.empty() &&
             (batch.empty() || records + queue_.front().payloads.size() <= max_batch_)) {
        records += queue_.front().payloads.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Commit(batch);
    batch.clear();
  }
}

void GroupCommitter::Commit(std::vector<Pending>& batch) {
  records_buffer_.clear();
  for (Pending& p : batch) {
    for (std::string& payload : p.payloads) records_buffer_.push_back(std::move(payload));
  }
  const size_t n = records_buffer_.size();
  Result<uint64_t> last = failed_ ? Result<uint64_t>(*failed_) : commit_(records_buffer_);
  records_buffer_.clear();
  if (!last.has_value()) {
    if (!failed_) failed_ = last.error();
    for (Pending& p : batch) p.done(last.error());
    return;
  }
  if (n > 0) {
    records_.fetch_add(n, std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
  }
  uint64_t seq = *last - n;
  for (Pending& p : batch) {
    seq += p.payloads.size();
    p.done(seq);
  }
}

}  // namespace drover::storage
