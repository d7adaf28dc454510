// JobFilter (controller.proto) applied to a published snapshot: which jobs a list or an
// action (scancel -u, scontrol hold JobName=) is about. Criteria combine with AND, the
// values of one criterion with OR; an empty criterion does not restrict.
//
// Thread-safety: a JobMatcher is immutable after Create; share freely.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/hostlist.h"
#include "base/result.h"
#include "core/job.h"
#include "ctld/cluster_snapshot.h"
#include "drover/v1/controller.pb.h"

namespace drover::ctld::service {

class JobMatcher {
 public:
  // `active_by_default`: with no states and no all_states, only jobs not yet finished
  // match (squeue's default; scancel/scontrol by filter act on live jobs too).
  // Errors: kInvalidHostlist for a bad node_names entry, kInvalidArgument for a bad state.
  static Result<JobMatcher> Create(const v1::JobFilter& filter, bool active_by_default);

  bool Matches(const Job& job) const;
  // True when the filter restricts anything beyond the default state rule.
  bool restricts() const { return restricts_; }

 private:
  std::set<JobId> ids_;
  std::set<std::string> user_names_, accounts_, partitions_, names_, qos_;
  std::set<uint32_t> uids_;
  std::set<JobState> states_;
  bool active_only_ = false;
  std::vector<Hostlist> nodes_;
  bool restricts_ = false;
};

// The jobs a multi-job action applies to, in id order: the named ids (kept even when the
// snapshot does not have them, so the action reports kInvalidJobId for each) filtered by
// `filter` when it restricts; or every live job the filter matches.
// An id with array tasks (42_[1-3]) names the tasks split off from the array; with
// `expand_arrays` (scancel), an array job id also names every live record of the array.
// Errors: kInvalidArgument when neither ids nor a restricting filter is given.
Result<std::vector<JobId>> SelectJobs(const ClusterSnapshot& snapshot,
                                      const google::protobuf::RepeatedPtrField<v1::JobRef>& jobs,
                                      const v1::JobFilter& filter, bool expand_arrays = false);

}  // namespace drover::ctld::service
