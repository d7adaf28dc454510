#include "acct/accounting_writer.h"

#include <algorithm>

namespace drover::acct {
namespace {

int64_t SubmitEpoch(const Job& job) {
  return std::chrono::duration_cast<std::chrono::seconds>(job.submit_time.time_since_epoch())
      .count();
}

}  // namespace

AccountingWriter::AccountingWriter(AccountingStore* store, AccountingWriterOptions options)
    : store_(store), options_(std::move(options)) {
  DROVER_CHECK(options_.max_batch >= 1);
  thread_ = std::thread([this] { Run(); });
}

AccountingWriter::~AccountingWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void AccountingWriter::Post(std::vector<std::shared_ptr<const Job>> jobs) {
  if (jobs.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (auto& job : jobs) {
      Key key{job->id, SubmitEpoch(*job)};
      queue_[key] = std::move(job);
    }
  }
  cv_.notify_one();
}

void AccountingWriter::PostSteps(std::vector<StepRecord> steps) {
  if (steps.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (StepRecord& s : steps) step_queue_.push_back(std::move(s));
  }
  cv_.notify_one();
}

bool AccountingWriter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [&] {
    return queue_.empty() && step_queue_.empty() && in_flight_ == 0;
  });
}

AccountingWriterStats AccountingWriter::Stats() const {
  std::lock_guard lock(mu_);
  AccountingWriterStats s = stats_;
  s.queued = queue_.size() + step_queue_.size() + in_flight_;
  return s;
}

void AccountingWriter::Run() {
  std::chrono::milliseconds retry{0};
  std::unique_lock lock(mu_);
  while (true) {
    if (retry.count() > 0) {
      // After a failure: wait out the delay (a stop cuts it short: one last try below).
      cv_.wait_for(lock, retry, [&] { return stop_; });
    } else {
      cv_.wait(lock, [&] { return stop_ || !queue_.empty() || !step_queue_.empty(); });
    }
    if (queue_.empty() && step_queue_.empty()) {
      if (stop_) return;
      continue;
    }
    // Take up to max_batch jobs; convert and write them without the lock.
    std::vector<std::pair<Key, std::shared_ptr<const Job>>> batch;
    batch.reserve(std::min(queue_.size(), options_.max_batch));
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      auto node = queue_.extract(queue_.begin());
      batch.emplace_back(node.key(), std::move(node.mapped()));
    }
    std::vector<StepRecord> steps = std::move(step_queue_);
    step_queue_.clear();
    in_flight_ = batch.size() + steps.size();
    const bool last_try = stop_;
    lock.unlock();

    std::vector<JobRecord> records;
    records.reserve(batch.size());
    for (const auto& [key, job] : batch) records.push_back(JobRecordFromJob(*job, options_.cluster));
    Status written = records.empty() ? Status(Ok()) : store_->Put(records);
    // Steps only after their batch of jobs is in: a failed batch keeps both queued.
    if (written && !steps.empty()) {
      written = store_->PutSteps(steps);
      if (!written) records.clear();  // the jobs are in; only the steps are retried
    }

    lock.lock();
    in_flight_ = 0;
    if (written) {
      stats_.written += records.size() + steps.size();
      ++stats_.batches;
      retry = std::chrono::milliseconds{0};
    } else {
      ++stats_.failures;
      // Keep them, under any newer version posted meanwhile.
      for (auto& [key, job] : batch) {
        if (!records.empty()) queue_.emplace(key, std::move(job));
      }
      step_queue_.insert(step_queue_.begin(), std::make_move_iterator(steps.begin()),
                         std::make_move_iterator(steps.end()));
      retry = std::clamp(retry * 2, options_.min_retry, options_.max_retry);
      log_.Error("accounting store write failed ({} records kept queued, retry in {} ms): {}",
                 queue_.size(), retry.count(), written.error().ToString());
    }
    idle_cv_.notify_all();
    if (last_try && (!written || (queue_.empty() && step_queue_.empty()))) return;
  }
}

}  // namespace drover::acct
