#include "ctld/cluster_snapshot.h"

#include <algorithm>

namespace drover::ctld {

std::shared_ptr<const Job> ClusterSnapshot::FindJob(JobId id) const {
  if (!job_chunks) return nullptr;
  // Chunks are in id order; find the one whose range may hold `id`.
  auto it = std::upper_bound(job_chunks->begin(), job_chunks->end(), id,
                             [](JobId v, const auto& chunk) { return v < chunk->front()->id; });
  if (it == job_chunks->begin()) return nullptr;
  const JobChunk& chunk = **(it - 1);
  auto jt = std::lower_bound(chunk.begin(), chunk.end(), id,
                             [](const auto& job, JobId v) { return job->id < v; });
  if (jt == chunk.end() || (*jt)->id != id) return nullptr;
  return *jt;
}

std::shared_ptr<const Node> ClusterSnapshot::FindNode(std::string_view name) const {
  for (const auto& n : nodes)
    if (n->name == name) return n;
  return nullptr;
}

const Partition* ClusterSnapshot::FindPartition(std::string_view name) const {
  if (!partitions) return nullptr;
  for (const auto& p : *partitions)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace drover::ctld
