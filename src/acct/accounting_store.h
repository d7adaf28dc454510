// AccountingStore: where the controller keeps job accounting records and sacct reads
// them. One record per job, keyed by (job id, submit time): a later version of a job
// replaces the earlier one, and a job id reused after MaxJobId wrapped is a new record.
// Each ended srun step has a record of its own under its job's key.
//
// Implementations: SQLite (sqlite_accounting_store.cc, the embedded default, a file
// beside the controller's state store). Writes come from one thread (AccountingWriter);
// queries from any.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "acct/job_record.h"
#include "base/result.h"

namespace drover::acct {

// sacct's filters; an empty list matches everything.
struct JobQuery {
  std::vector<uint32_t> job_ids;  // -j (a job, or every task of an array job)
  std::vector<uint32_t> uids;     // -u; empty: every user
  std::vector<std::string> accounts, partitions, names, node_names;
  std::vector<JobState> states;  // -s: the job's state now
  // -S/-E: jobs that were submitted before `window_end` and had not ended by
  // `window_start` (still running or pending counts as not ended). 0: no bound.
  int64_t window_start = 0;
  int64_t window_end = 0;
};

class AccountingStore {
 public:
  virtual ~AccountingStore() = default;

  // Inserts or replaces `records` in one transaction: all or none.
  virtual Status Put(std::span<const JobRecord> records) = 0;
  // Inserts or replaces step records in one transaction (their jobs need not be stored
  // yet: the writer may write a step before its job's last version).
  virtual Status PutSteps(std::span<const StepRecord> steps) = 0;
  // Matching records, by job id then submit time, each with its steps.
  virtual Result<std::vector<JobRecord>> Query(const JobQuery& query) = 0;
};

struct AccountingStoreOptions {
  // When non-zero, caps the file at this many pages (PRAGMA max_page_count), so a test can
  // make a write fail with SQLITE_FULL as a full disk would.
  uint32_t max_page_count_for_testing = 0;
};

// Opens (creating when absent) the SQLite store at `path`. Refuses, with a kIo error
// naming the file, a file that is not a Drover accounting store or has a newer schema.
Result<std::unique_ptr<AccountingStore>> OpenSqliteAccountingStore(
    const std::string& path, const AccountingStoreOptions& options = {});

}  // namespace drover::acct
