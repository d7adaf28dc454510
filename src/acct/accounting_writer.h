// AccountingWriter: takes versions of jobs from the controller's engine thread and writes
// their accounting records to an AccountingStore in batches on its own thread, so the
// engine never waits for the accounting database.
//
// Jobs queue by (job id, submit time): a newer version replaces a queued older one, so
// the queue holds at most one entry per job however long the store is unavailable. A
// batch that fails stays queued (merged under anything newer that arrived meanwhile) and
// is retried with a growing delay; nothing is dropped. What is queued is lost only with
// the process, and the controller re-posts every job it recovers when it starts, so a
// crash loses nothing either.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "acct/accounting_store.h"
#include "base/log.h"
#include "core/job.h"

namespace drover::acct {

struct AccountingWriterOptions {
  std::string cluster;     // ClusterName, written in every record
  size_t max_batch = 4096;  // records per transaction
  std::chrono::milliseconds min_retry{100};
  std::chrono::milliseconds max_retry{5000};
};

struct AccountingWriterStats {
  uint64_t written = 0;   // records written
  uint64_t batches = 0;   // transactions that succeeded
  uint64_t failures = 0;  // transactions that failed (and were retried)
  size_t queued = 0;      // jobs (and steps) waiting now
};

class AccountingWriter {
 public:
  // `store` is not owned and outlives the writer.
  AccountingWriter(AccountingStore* store, AccountingWriterOptions options);
  // Tries once more to write what is queued, then stops.
  ~AccountingWriter();
  AccountingWriter(const AccountingWriter&) = delete;
  AccountingWriter& operator=(const AccountingWriter&) = delete;

  // Queues the records of `jobs`. Never blocks on the store.
  void Post(std::vector<std::shared_ptr<const Job>> jobs);
  // Queues records of ended steps, written after the jobs queued with them.
  void PostSteps(std::vector<StepRecord> steps);
  // Waits until everything posted so far is written, or `timeout` passes; false then.
  bool Flush(std::chrono::milliseconds timeout);
  AccountingWriterStats Stats() const;

 private:
  using Key = std::pair<JobId, int64_t>;  // id, submit time
  void Run();

  // Constant after construction.
  AccountingStore* const store_;
  const AccountingWriterOptions options_;
  log::Logger log_{"acct"};

  mutable std::mutex mu_;
  std::condition_variable cv_;       // work arrived, or stop
  std::condition_variable idle_cv_;  // a batch finished
  std::map<Key, std::shared_ptr<const Job>> queue_;  // guarded by mu_
  std::vector<StepRecord> step_queue_;               // guarded by mu_
  size_t in_flight_ = 0;                             // guarded by mu_
  uint64_t posted_ = 0, done_ = 0;                   // guarded by mu_: Post calls; written
  bool stop_ = false;                                // guarded by mu_
  AccountingWriterStats stats_;                      // guarded by mu_

  std::thread thread_;  // last: it uses the members above
};

}  // namespace drover::acct
