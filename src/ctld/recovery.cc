// Recovery: snapshots of the engine's durable state, replay of the log tail, and what
// happens to nodes and running jobs after a restart.
//
// Rules (as Slurm's, decided here):
//  - Pending jobs are queued again exactly as acknowledged (priority, holds, times).
//  - Running jobs keep their allocation and stay RUNNING; each waits for its node daemon
//    to register. A registering node that does not report the job loses it: the job is
//    requeued if it may be (--requeue / JobRequeue=1), else it ends NODE_FAIL.
//  - Every node must register again; until then it is not schedulable. A node silent for
//    SlurmdTimeout after the restart goes DOWN "Not responding", and its jobs are
//    requeued or failed by the same rule.
//  - Admin state (DRAIN, DOWN with a reason) survives; NOT_RESPONDING does not.
//  - COMPLETING jobs keep waiting for the nodes that have not confirmed; each is asked
//    again when it registers, and one that never does goes DOWN and stops the wait.
//  - Jobs purged by MinJobAge stay forgotten (the purge is in the log).
#include <algorithm>

#include "ctld/engine.h"

namespace drover::ctld {
namespace {
constexpr std::string_view kMagic = "DRVS4";
constexpr std::string_view kMagicV3 = "DRVS3";  // jobs without the array block
constexpr std::string_view kMagicV2 = "DRVS2";  // jobs without the spec block
constexpr std::string_view kMagicV1 = "DRVS1";  // jobs without their completion fields
}  // namespace

std::string Engine::EncodeSnapshot() const {
  ByteWriter w;
  w.out().append(kMagic);
  w.U(next_job_id_);
  w.U(next_submit_seq_);
  w.U(jobs_.size());
  for (const auto& [c, chunk] : chunks_)
    for (const auto& job : chunk) EncodeJob(*job, /*with_spec=*/true, w);
  w.U(nodes_.size());
  for (const auto& n : nodes_) EncodeNode(ToRecord(*n), w);
  std::vector<std::pair<JobId, uint32_t>> counters;
  for (const auto& [id, steps] : steps_) {
    if (steps.next_id > 0 && jobs_.contains(id)) counters.emplace_back(id, steps.next_id);
  }
  std::sort(counters.begin(), counters.end());
  w.U(counters.size());
  for (const auto& [id, next] : counters) {
    w.U(id);
    w.U(next);
  }
  return w.Take();
}

Status Engine::LoadSnapshot(std::string_view snapshot) {
  JobFormat format;
  if (snapshot.substr(0, kMagic.size()) == kMagic) {
    format = JobFormat::kV4;
  } else if (snapshot.substr(0, kMagicV3.size()) == kMagicV3) {
    format = JobFormat::kV3;
  } else if (snapshot.substr(0, kMagicV2.size()) == kMagicV2) {
    format = JobFormat::kV2;
  } else if (snapshot.substr(0, kMagicV1.size()) == kMagicV1) {
    format = JobFormat::kV1;
  } else {
    return Error(ErrorCode::kIo, "not a controller snapshot");
  }
  ByteReader r(snapshot.substr(kMagic.size()));
  next_job_id_ = static_cast<JobId>(r.U());
  next_submit_seq_ = r.U();
  uint64_t njobs = r.U();
  for (uint64_t i = 0; i < njobs && r.ok(); ++i) {
    ASSIGN_OR_RETURN(auto job, DecodeJob(r, nullptr, nullptr, format));
    Install(std::move(job), false);
  }
  uint64_t nnodes = r.U();
  for (uint64_t i = 0; i < nnodes && r.ok(); ++i) {
    NodeRecord rec = DecodeNode(r);
    if (r.ok()) ApplyNodeRecord(rec);
  }
  // Step counters; snapshots written before steps existed end here.
  if (r.ok() && !r.done()) {
    uint64_t ncounters = r.U();
    for (uint64_t i = 0; i < ncounters && r.ok(); ++i) {
      auto id = static_cast<JobId>(r.U());
      auto next = static_cast<uint32_t>(r.U());
      if (r.ok()) steps_[id].next_id = next;
    }
  }
  return r.Check("snapshot");
}

Status Engine::ReplayRecord(std::string_view payload) {
  ASSIGN_OR_RETURN(Record rec, DecodeRecord(payload));
  if (auto* jr = std::get_if<JobRecord>(&rec)) {
    if (!jr->with_spec) {
      const Job* cur = FindJob(jr->job->id);
      // An array task logged when it split off shares its master's spec.
      if (!cur && jr->job->array_job_id != 0) cur = FindJob(jr->job->array_job_id);
      if (!cur)
        return Error(ErrorCode::kIo, "log updates an unknown job",
                     "job " + std::to_string(jr->job->id));
      auto job = std::const_pointer_cast<Job>(jr->job);
      job->spec = cur->spec;
    }
    Install(std::move(jr->job), jr->submitted);
  } else if (auto* purge = std::get_if<PurgeRecord>(&rec)) {
    Forget(purge->id);
  } else if (auto* counter = std::get_if<StepCounterRecord>(&rec)) {
    JobSteps& steps = steps_[counter->job];
    steps.next_id = std::max(steps.next_id, counter->next_step_id);
  } else {
    ApplyNodeRecord(std::get<NodeRecord>(rec));
  }
  return Ok();
}

void Engine::FinishRecovery(TimePoint now) {
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    auto node = std::make_shared<Node>(*nodes_[i]);
    if (node->base == NodeBaseState::kIdle) node->base = NodeBaseState::kUnknown;
    node->not_responding = false;
    node->last_heartbeat = now;  // SlurmdTimeout counts from the restart
    AmendNode(i, std::move(node));
  }
  dep_dirty_.clear();
  dep_timers_.clear();
  RecoverDependencies(now);
  sched_dirty_ = true;
}

}  // namespace drover::ctld
