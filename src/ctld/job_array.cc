// Job arrays in the engine. A pending array is one record, its master (id == the array
// job id), whose `array_pending` holds every task not started yet; the scheduler treats it
// as one job. Each start decision on the master takes the lowest pending task: it splits
// off as a new record with a new job id (logged as a submission without its spec), and
// the master, one task fewer, stays pending; the last task is the master record itself.
// The %N throttle caps the tasks of an array holding resources at once.
#include <algorithm>

#include "ctld/engine.h"

namespace drover::ctld {
namespace {

bool CountsAgainstThrottle(const Job& job) {
  return job.array_task_id.has_value() && HoldsAllocation(job.state) &&
         job.state != JobState::kCompleting;
}

// The most start decisions one pass makes for one array: later tasks wait for the next
// pass, which a start always triggers.
constexpr uint32_t kMaxTaskStartsPerPass = 256;

}  // namespace

void Engine::IndexArray(const Job* old, const Job* job) {
  if (old && old->array_job_id != 0 && CountsAgainstThrottle(*old)) {
    auto it = array_running_.find(old->array_job_id);
    if (it != array_running_.end() && --it->second == 0) array_running_.erase(it);
  }
  if (job && job->array_job_id != 0) {
    if (!old) array_members_[job->array_job_id].insert(job->id);
    if (CountsAgainstThrottle(*job)) ++array_running_[job->array_job_id];
  }
  if (old && !job && old->array_job_id != 0) {
    auto it = array_members_.find(old->array_job_id);
    if (it != array_members_.end()) {
      it->second.erase(old->id);
      if (it->second.empty()) array_members_.erase(it);
    }
  }
}

uint32_t Engine::ArrayStartRoom(const Job& master) const {
  uint64_t room = std::min<uint64_t>(master.array_pending.count(), kMaxTaskStartsPerPass);
  if (uint32_t limit = master.spec->array_max_running; limit != 0) {
    auto it = array_running_.find(master.array_job_id);
    uint32_t running = it == array_running_.end() ? 0 : it->second;
    room = std::min<uint64_t>(room, limit > running ? limit - running : 0);
  }
  return static_cast<uint32_t>(room);
}

std::shared_ptr<Job> Engine::TakeTaskToStart(const Job& job) {
  auto next = std::make_shared<Job>(job);
  if (!job.is_array_master()) return next;
  const uint32_t task = next->array_pending.PopFront();
  next->array_task_id = task;
  if (next->array_pending.empty()) return next;  // the last task: the master itself
  Result<JobId> id = AllocateJobId();
  if (!id) {
    log_.Error("JobId={} cannot split off task {}: {}", job.id, task, id.error().ToString());
    return nullptr;
  }
  auto master = std::make_shared<Job>(job);
  master->array_pending = next->array_pending;
  // The task about to start may use up the throttle: say so at once.
  if (uint32_t limit = job.spec->array_max_running; limit != 0) {
    auto it = array_running_.find(job.array_job_id);
    if ((it == array_running_.end() ? 0 : it->second) + 1 >= limit) {
      master->reason = PendingReason::kJobArrayTaskLimit;
    }
  }
  next->array_pending = ArrayTaskSet();
  next->id = *id;
  Commit(std::move(master));
  // Logged before its start, so replay knows the task (and its spec) when it starts.
  CommitSplitTask(next);
  return std::make_shared<Job>(*next);
}

Status Engine::CancelArrayTasks(JobId array_id,
                                const std::vector<std::pair<uint32_t, uint32_t>>& tasks,
                                const Identity& who, TimePoint now) {
  auto in_ranges = [&tasks](uint32_t t) {
    return std::any_of(tasks.begin(), tasks.end(),
                       [t](const auto& r) { return t >= r.first && t <= r.second; });
  };
  bool found = false;
  std::optional<Status> first_error;
  // Tasks already split off (copy the ids: cancelling changes the index).
  std::vector<JobId> members;
  if (auto it = array_members_.find(array_id); it != array_members_.end()) {
    members.assign(it->second.begin(), it->second.end());
  }
  for (JobId id : members) {
    const Job* job = FindJob(id);
    if (!job || !job->array_task_id || !in_ranges(*job->array_task_id)) continue;
    found = true;
    Status s = Cancel(id, who, now);
    if (!s && !first_error) first_error = s;
  }
  // Tasks still pending in the master record.
  const Job* master = FindJob(array_id);
  if (master && master->is_array_master() && IsPending(master->state)) {
    ArrayTaskSet left = master->array_pending;
    uint32_t last_removed = 0;
    uint64_t removed = 0;
    for (const auto& [first, last] : tasks) {
      for (const auto& [a, b] : left.Runs()) {
        if (b >= first && a <= last) last_removed = std::max(last_removed, std::min(b, last));
      }
      removed += left.Remove(first, last);
    }
    if (removed > 0) {
      found = true;
      RETURN_IF_ERROR(CheckOwner(*master, who));
      if (left.empty()) {
        // Nothing left to run: the master ends as the last task cancelled.
        Job ended = *master;
        ended.array_pending = ArrayTaskSet();
        ended.array_task_id = last_removed;
        EndJob(ended, JobState::kCancelled, master->reason, {0, 15}, now);
      } else {
        auto next = std::make_shared<Job>(*master);
        next->array_pending = std::move(left);
        log_.Info("JobId={} array tasks cancelled: {} left pending", array_id,
                  next->array_pending.count());
        Commit(std::move(next));
      }
    }
  }
  if (!found) return Error(ErrorCode::kInvalidJobId);
  if (first_error) return *first_error;
  return Ok();
}

}  // namespace drover::ctld
