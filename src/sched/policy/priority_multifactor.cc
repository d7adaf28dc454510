#include "sched/policy/priority_multifactor.h"

#include <algorithm>
#include <cmath>

#include "core/gres.h"
#include "sched/policy/priority_basic.h"

namespace drover::sched {
namespace {

double Ratio(double num, double den) { return den > 0 ? num / den : 0; }

double Seconds(TimePoint::duration d) {
  return std::chrono::duration_cast<std::chrono::duration<double>>(d).count();
}

}  // namespace

uint64_t JobCpus(const Job& job) {
  uint32_t nodes = std::max<uint32_t>(job.min_nodes, 1);
  uint64_t cpus = uint64_t{EffectiveTasks(*job.spec, nodes)} *
                  std::max<uint32_t>(job.spec->cpus_per_task, 1);
  return std::max<uint64_t>(cpus, nodes);
}

MultifactorPriority::MultifactorPriority(MultifactorSettings settings, PriorityCluster cluster,
                                         const ExternalFactorSource* source)
    : settings_(std::move(settings)), cluster_(std::move(cluster)), source_(source) {
  if (cluster_.max_partition_job_factor == 0) cluster_.max_partition_job_factor = 1;
}

double MultifactorPriority::AgeFactor(const Job& job, TimePoint now) const {
  TimePoint from = job.submit_time;
  if (!(settings_.flags & priority_flag::kAccrueAlways)) {
    from = std::max(job.eligible_time, job.spec->begin_time.value_or(TimePoint{}));
  }
  if (from == TimePoint{} || now <= from) return 0;
  if (settings_.max_age.infinite()) return 0;
  if (settings_.max_age.seconds() <= 0) return 1;
  return std::min(1.0, Seconds(now - from) / static_cast<double>(settings_.max_age.seconds()));
}

double MultifactorPriority::JobSizeFactor(const Job& job, const Partition* partition) const {
  double share = Ratio(static_cast<double>(JobCpus(job)), static_cast<double>(cluster_.total_cpus));
  share = std::min(share, 1.0);
  if (settings_.flags & priority_flag::kSmallRelativeToTime) {
    Duration limit = job.time_limit;
    if (limit.infinite() && partition && !partition->max_time.infinite()) limit = partition->max_time;
    // An unlimited job counts as running a year: it is as large as a job can be in time.
    double minutes = limit.infinite() ? 365.0 * 1440 : std::max<double>(1, limit.minutes_ceil());
    return 1.0 - share / minutes;
  }
  return settings_.favor_small ? 1.0 - share : share;
}

uint64_t MultifactorPriority::JobTres(const Job& job, const Partition* partition,
                                      const TresKey& key) const {
  const JobSpec& spec = *job.spec;
  const uint64_t nodes = std::max<uint32_t>(job.min_nodes, 1);
  const uint64_t cpus = JobCpus(job);
  if (key.type == "cpu") return cpus;
  if (key.type == "node") return nodes;
  if (key.type == "mem") {
    if (spec.mem_per_node_mb) return *spec.mem_per_node_mb * nodes;
    if (spec.mem_per_cpu_mb) return *spec.mem_per_cpu_mb * cpus;
    if (partition && partition->def_mem_per_cpu_mb) return *partition->def_mem_per_cpu_mb * cpus;
    if (partition && partition->def_mem_per_node_mb) return *partition->def_mem_per_node_mb * nodes;
    if (cluster_.def_mem_per_cpu_mb) return *cluster_.def_mem_per_cpu_mb * cpus;
    if (cluster_.def_mem_per_node_mb) return *cluster_.def_mem_per_node_mb * nodes;
    return 0;
  }
  if (key.type == "gres" && !spec.gres.empty()) {
    auto gres = ParseGresRequest(spec.gres);
    if (!gres) return 0;
    Tres per_node;
    AddGresToTres(*gres, &per_node);
    return per_node.Get(key) * nodes;
  }
  return 0;
}

PriorityFactors MultifactorPriority::Factors(const Job& job, const Partition* partition,
                                             TimePoint now) const {
  const MultifactorSettings& s = settings_;
  const uint32_t flags = s.flags;
  PriorityFactors f;
  ExternalFactors ext = source_ ? source_->For(job) : ExternalFactors{};
  auto term = [](double factor, double weight) { return PriorityTerm{factor, factor * weight}; };

  f.site = ext.site_factor;
  f.age = term(AgeFactor(job, now), s.weight_age);
  f.assoc = term((flags & priority_flag::kNoNormalAssoc)
                     ? ext.assoc_priority
                     : Ratio(ext.assoc_priority, ext.max_assoc_priority),
                 s.weight_assoc);
  f.fair_share = term(std::clamp(ext.fair_share, 0.0, 1.0), s.weight_fair_share);
  f.job_size = term(JobSizeFactor(job, partition), s.weight_job_size);
  double part = 0;
  if (partition) {
    part = (flags & priority_flag::kNoNormalPart)
               ? partition->priority_job_factor
               : Ratio(partition->priority_job_factor, cluster_.max_partition_job_factor);
  }
  f.partition = term(part, s.weight_partition);
  f.qos = term((flags & priority_flag::kNoNormalQos) ? ext.qos_priority
                                                      : Ratio(ext.qos_priority, ext.max_qos_priority),
               s.weight_qos);
  const Tres* totals = &cluster_.cluster_tres;
  if (partition) {
    auto it = cluster_.partition_tres.find(partition->name);
    if (it != cluster_.partition_tres.end()) totals = &it->second;
  }
  double tres_sum = 0;
  for (const TresWeight& w : s.weight_tres) {
    double count = static_cast<double>(JobTres(job, partition, w.key));
    double factor = (flags & priority_flag::kNoNormalTres)
                        ? count
                        : std::min(1.0, Ratio(count, static_cast<double>(totals->Get(w.key))));
    f.tres.emplace_back(w.key, term(factor, w.weight));
    tres_sum += factor * w.weight;
  }
  f.nice = job.nice;
  f.sum = static_cast<double>(f.site) + f.age.weighted + f.assoc.weighted +
          f.fair_share.weighted + f.job_size.weighted + f.partition.weighted + f.qos.weighted +
          tres_sum - static_cast<double>(f.nice);
  double clamped = std::clamp(std::trunc(f.sum), 1.0, static_cast<double>(UINT32_MAX));
  f.priority = static_cast<uint32_t>(clamped);
  return f;
}

uint32_t MultifactorPriority::Priority(const Job& job, const Partition* partition,
                                       TimePoint now) const {
  if (settings_.AllWeightsZero() && source_ == nullptr) {
    return BasicPriority().Priority(job, partition, now);
  }
  return Factors(job, partition, now).priority;
}

}  // namespace drover::sched
