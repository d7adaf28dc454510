// ClusterSnapshot: an immutable view of the controller's state that queries (squeue,
// sinfo, scontrol show) read without ever waiting for the engine.
//
// The engine publishes a new snapshot after each durable batch. Records are shared, not
// copied: jobs sit in chunks of kChunk ids, and a publish rebuilds only the chunks whose
// jobs changed (copying at most kChunk pointers each) plus the list of chunk pointers, so
// publishing costs O(jobs / kChunk + changed chunks x kChunk), not O(jobs).
//
// Thread-safety: immutable; share freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "config/slurm_conf.h"
#include "core/job.h"
#include "core/node.h"
#include "core/partition.h"
#include "ctld/steps.h"

namespace drover::ctld {

using JobChunk = std::vector<std::shared_ptr<const Job>>;  // sorted by id

struct ClusterSnapshot {
  static constexpr uint32_t kChunk = 256;

  uint64_t log_seq = 0;  // the last durable record the state includes
  TimePoint published{};
  std::shared_ptr<const config::SlurmConfig> config;
  std::shared_ptr<const std::vector<std::shared_ptr<const JobChunk>>> job_chunks;
  size_t job_count = 0;
  std::vector<std::shared_ptr<const Node>> nodes;  // in slurm.conf order
  std::shared_ptr<const std::vector<Partition>> partitions;
  // Running steps, by job and step id.
  std::shared_ptr<const std::vector<std::shared_ptr<const Step>>> steps;

  std::shared_ptr<const Job> FindJob(JobId id) const;
  std::shared_ptr<const Node> FindNode(std::string_view name) const;
  const Partition* FindPartition(std::string_view name) const;
  // Calls fn(const Job&) for every job in id order.
  template <typename Fn>
  void ForEachJob(Fn&& fn) const {
    if (!job_chunks) return;
    for (const auto& chunk : *job_chunks)
      for (const auto& job : *chunk) fn(*job);
  }
};

}  // namespace drover::ctld
