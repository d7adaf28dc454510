// priority/multifactor: a pending job's priority as the weighted sum of seed 001's
// formula:
//
//   site_factor + WeightAge * age + WeightAssoc * assoc + WeightFairshare * fair_share
//   + WeightJobSize * job_size + WeightPartition * partition + WeightQOS * qos
//   + sum over PriorityWeightTRES of weight * tres_factor  -  nice
//
// Each factor is 0..1 (NO_NORMAL_* flags give the raw value instead):
//  - age: time since the job became eligible (since submission with ACCRUE_ALWAYS) over
//    PriorityMaxAge, capped at 1.
//  - job_size: the job's CPUs over the cluster's; with PriorityFavorSmall, 1 minus that
//    (seed 001: 1 CPU of 4 gives 0.75, 4 of 4 gives 0). With SMALL_RELATIVE_TO_TIME the
//    share is first divided by the time limit in minutes, and small always wins.
//  - partition: the partition's PriorityJobFactor over the largest among partitions.
//  - TRES: the job's count of each weighted TRES over the partition's total.
//  - fair_share, assoc, qos, site_factor: supplied by an ExternalFactorSource (the
//    accounting work computes fair-share from usage; QOS and associations come later);
//    0 without one.
// The sum is truncated to an integer and kept within [1, UINT32_MAX] (0 means held).
//
// With every weight 0 the formula gives every job the same number, which says nothing;
// Drover then numbers jobs as priority/basic does (submission order, minus nice), so a
// default slurm.conf still shows FIFO order in squeue and sprio.
//
// Factors() returns the whole breakdown, which sprio shows.
// Thread-safety: immutable after construction; the source must outlive the policy.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/tres.h"
#include "sched/policies.h"
#include "sched/policy/multifactor_settings.h"

namespace drover::sched {

// The factors that come from accounting and QOS; raw priorities are normalised by the
// maxima given beside them unless NO_NORMAL_ASSOC / NO_NORMAL_QOS.
struct ExternalFactors {
  double fair_share = 0;  // 0..1
  uint32_t assoc_priority = 0, max_assoc_priority = 0;
  uint32_t qos_priority = 0, max_qos_priority = 0;
  int64_t site_factor = 0;
};

class ExternalFactorSource {
 public:
  virtual ~ExternalFactorSource() = default;
  virtual ExternalFactors For(const Job& job) const = 0;
};

// Denominators, fixed between reconfigures.
struct PriorityCluster {
  uint64_t total_cpus = 0;
  uint32_t max_partition_job_factor = 1;
  Tres cluster_tres;                                // cpu, mem, node, gres/*
  std::map<std::string, Tres, std::less<>> partition_tres;  // by partition name
  std::optional<uint64_t> def_mem_per_cpu_mb, def_mem_per_node_mb;
};

struct PriorityTerm {
  double factor = 0;    // normalised (or raw, with NO_NORMAL_*)
  double weighted = 0;  // weight * factor
};

struct PriorityFactors {
  int64_t site = 0;
  PriorityTerm age, assoc, fair_share, job_size, partition, qos;
  std::vector<std::pair<TresKey, PriorityTerm>> tres;  // in PriorityWeightTRES order
  int64_t nice = 0;
  double sum = 0;         // site + every weighted term - nice
  uint32_t priority = 1;  // sum truncated into [1, UINT32_MAX]
};

class MultifactorPriority final : public PriorityPolicy {
 public:
  MultifactorPriority(MultifactorSettings settings, PriorityCluster cluster,
                      const ExternalFactorSource* source = nullptr);

  std::string_view name() const override { return "priority/multifactor"; }
  uint32_t Priority(const Job& job, const Partition* partition, TimePoint now) const override;
  // The breakdown (the FIFO number is not a breakdown: with every weight 0 this still
  // returns the formula's terms, all 0, and priority 1).
  PriorityFactors Factors(const Job& job, const Partition* partition, TimePoint now) const;

  const MultifactorSettings& settings() const { return settings_; }

  // The job's request of `key` as the TRES factor counts it (cpu, mem, node, gres/...).
  uint64_t JobTres(const Job& job, const Partition* partition, const TresKey& key) const;

 private:
  double AgeFactor(const Job& job, TimePoint now) const;
  double JobSizeFactor(const Job& job, const Partition* partition) const;

  MultifactorSettings settings_;
  PriorityCluster cluster_;
  const ExternalFactorSource* source_;
};

// The CPUs a job asks for: tasks x cpus-per-task, at least one per node.
uint64_t JobCpus(const Job& job);

}  // namespace drover::sched
