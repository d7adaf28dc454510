#include "ctld/service/job_filter.h"

#include "rpc/convert_enums.h"

namespace drover::ctld::service {
namespace {
bool IsActive(const Job& job) { return !IsFinished(job.state); }
}  // namespace


Result<JobMatcher> JobMatcher::Create(const v1::JobFilter& f, bool active_by_default) {
  JobMatcher m;
  for (const v1::JobRef& r : f.jobs()) m.ids_.insert(r.job_id());
  m.user_names_.insert(f.user_names().begin(), f.user_names().end());
  m.uids_.insert(f.uids().begin(), f.uids().end());
  m.accounts_.insert(f.accounts().begin(), f.accounts().end());
  m.partitions_.insert(f.partitions().begin(), f.partitions().end());
  m.names_.insert(f.names().begin(), f.names().end());
  m.qos_.insert(f.qos().begin(), f.qos().end());
  for (int s : f.states()) {
    ASSIGN_OR_RETURN(JobState state, rpc::FromProto(static_cast<v1::JobState>(s)));
    m.states_.insert(state);
  }
  for (const std::string& text : f.node_names()) {
    ASSIGN_OR_RETURN(Hostlist h, Hostlist::Parse(text));
    m.nodes_.push_back(std::move(h));
  }
  m.active_only_ = active_by_default && m.states_.empty() && !f.all_states();
  m.restricts_ = !m.ids_.empty() || !m.user_names_.empty() || !m.uids_.empty() ||
                 !m.accounts_.empty() || !m.partitions_.empty() || !m.names_.empty() ||
                 !m.qos_.empty() || !m.states_.empty() || !m.nodes_.empty() ||
                 f.reservations_size() > 0 || f.licenses_size() > 0 || f.wckeys_size() > 0;
  return m;
}

bool JobMatcher::Matches(const Job& job) const {
  const JobSpec& s = *job.spec;
  // An array job id names every record of the array.
  if (!ids_.empty() && !ids_.contains(job.id) &&
      !(job.array_job_id != 0 && ids_.contains(job.array_job_id))) {
    return false;
  }
  if (!user_names_.empty() || !uids_.empty()) {
    if (!user_names_.contains(s.user_name) && !uids_.contains(s.uid)) return false;
  }
  if (!accounts_.empty() && !accounts_.contains(s.account)) return false;
  if (!partitions_.empty()) {
    bool any = partitions_.contains(job.partition);
    for (const std::string& p : s.partitions) any = any || partitions_.contains(p);
    if (!any) return false;
  }
  if (!names_.empty() && !names_.contains(job.name)) return false;
  if (!qos_.empty() && !qos_.contains(s.qos)) return false;
  if (!states_.empty() && !states_.contains(job.state)) return false;
  if (active_only_ && IsFinished(job.state)) return false;
  if (!nodes_.empty()) {
    bool any = false;
    for (const NodeAllocation& a : job.alloc.nodes) {
      for (const Hostlist& h : nodes_) any = any || h.Contains(a.node);
    }
    if (!any) return false;
  }
  return true;
}

Result<std::vector<JobId>> SelectJobs(const ClusterSnapshot& snapshot,
                                      const google::protobuf::RepeatedPtrField<v1::JobRef>& jobs,
                                      const v1::JobFilter& filter, bool expand_arrays) {
  ASSIGN_OR_RETURN(JobMatcher matcher, JobMatcher::Create(filter, /*active_by_default=*/true));
  std::set<JobId> ids;
  if (!jobs.empty()) {
    auto add = [&](const Job* job, JobId id) {
      // Named jobs are acted on in any state; the filter narrows only when it says more.
      if (!job || !matcher.restricts() || matcher.Matches(*job)) ids.insert(id);
    };
    for (const v1::JobRef& r : jobs) {
      std::shared_ptr<const Job> job = snapshot.FindJob(r.job_id());
      const bool array = job && job->array_job_id == r.job_id();
      if (r.array_tasks_size() > 0) {
        // 42_[1-3]: the tasks split off from array 42 (the pending ones are in 42 itself).
        auto named = [&r](uint32_t t) {
          for (const v1::IdRange& range : r.array_tasks())
            if (t >= range.first() && t <= range.last()) return true;
          return false;
        };
        bool any = false;
        snapshot.ForEachJob([&](const Job& j) {
          if (j.array_job_id == r.job_id() && j.array_task_id && named(*j.array_task_id)) {
            add(&j, j.id);
            any = true;
          }
        });
        if (!any) ids.insert(r.job_id() == 0 ? 0 : r.job_id());
        continue;
      }
      add(job.get(), r.job_id());
      if (array && expand_arrays) {
        snapshot.ForEachJob([&](const Job& j) {
          if (j.array_job_id == r.job_id() && IsActive(j)) add(&j, j.id);
        });
      }
    }
    return std::vector<JobId>(ids.begin(), ids.end());
  }
  if (!matcher.restricts()) {
    return Error(ErrorCode::kInvalidArgument, "no job id or filter given");
  }
  snapshot.ForEachJob([&](const Job& job) {
    if (matcher.Matches(job)) ids.insert(job.id);
  });
  return std::vector<JobId>(ids.begin(), ids.end());
}

}  // namespace drover::ctld::service
