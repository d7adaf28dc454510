// ListPriorities (sprio): each pending job's priority/multifactor breakdown.
//
// Served from the published snapshot, like every list: the policy is rebuilt from the
// snapshot's slurm.conf (priority_config.h), which is all the engine's policy is built
// from, so the numbers are the engine's and no query waits for the engine thread. The
// factors are evaluated at the time of the request (age grows between the engine's
// PriorityCalcPeriod recalculations; sprio shows the current value).
#include <algorithm>

#include "ctld/priority_config.h"
#include "ctld/service/controller_service.h"
#include "ctld/service/job_filter.h"
#include "ctld/service/names.h"
#include "rpc/convert_job.h"
#include "rpc/status.h"
#include "sched/policy/priority_multifactor.h"

namespace drover::ctld::service {
namespace {

constexpr int kJobsPerChunk = 2000;  // ~100 bytes a job: a chunk stays well under 1 MiB
constexpr std::string_view kMultifactor = "priority/multifactor";

void SetTerms(const sched::PriorityFactors& f, v1::PriorityFactors* weighted,
              v1::PriorityFactors* normalized) {
  weighted->set_age(f.age.weighted);
  weighted->set_assoc(f.assoc.weighted);
  weighted->set_fairshare(f.fair_share.weighted);
  weighted->set_job_size(f.job_size.weighted);
  weighted->set_partition(f.partition.weighted);
  weighted->set_qos(f.qos.weighted);
  weighted->set_site(static_cast<double>(f.site));
  weighted->set_nice(static_cast<int32_t>(f.nice));
  normalized->set_age(f.age.factor);
  normalized->set_assoc(f.assoc.factor);
  normalized->set_fairshare(f.fair_share.factor);
  normalized->set_job_size(f.job_size.factor);
  normalized->set_partition(f.partition.factor);
  normalized->set_qos(f.qos.factor);
  normalized->set_site(static_cast<double>(f.site));
  normalized->set_nice(static_cast<int32_t>(f.nice));
  for (const auto& [key, term] : f.tres) {
    v1::TresFactor* w = weighted->add_tres();
    w->set_tres(key.ToString());
    w->set_value(term.weighted);
    v1::TresFactor* n = normalized->add_tres();
    n->set_tres(key.ToString());
    n->set_value(term.factor);
  }
}

void SetWeights(const sched::MultifactorSettings& s, v1::PriorityWeights* w) {
  w->set_age(s.weight_age);
  w->set_assoc(s.weight_assoc);
  w->set_fairshare(s.weight_fair_share);
  w->set_job_size(s.weight_job_size);
  w->set_partition(s.weight_partition);
  w->set_qos(s.weight_qos);
  for (const sched::TresWeight& t : s.weight_tres) {
    v1::TresFactor* f = w->add_tres();
    f->set_tres(t.key.ToString());
    f->set_value(t.weight);
  }
}

}  // namespace

grpc::Status ControllerService::ListPriorities(
    grpc::ServerContext* context, const v1::ListPrioritiesRequest* req,
    grpc::ServerWriter<v1::ListPrioritiesResponse>* writer) {
  Identity who;
  if (grpc::Status s = Authenticate(*context, options_, &who); !s.ok()) return s;
  Result<JobMatcher> matcher = JobMatcher::Create(req->filter(), /*active_by_default=*/true);
  if (!matcher) return rpc::ToGrpcStatus(matcher.error());
  std::shared_ptr<const ClusterSnapshot> snap = options_.controller->Snapshot();

  v1::ListPrioritiesResponse chunk;
  chunk.set_snapshot_time(rpc::ToEpochSeconds(snap->published));
  const config::SlurmConfig* config = snap->config.get();
  if (config) chunk.set_priority_type(config->priority_type);
  if (!config || config->priority_type != kMultifactor) {
    writer->Write(chunk);
    return grpc::Status::OK;
  }
  Result<sched::MultifactorSettings> settings = MultifactorFromConfig(*config, nullptr);
  if (!settings) return rpc::ToGrpcStatus(settings.error());
  const bool all_zero = settings->AllWeightsZero();
  SetWeights(*settings, chunk.mutable_weights());
  const sched::MultifactorPriority policy(std::move(*settings), PriorityClusterFromConfig(*config));

  const TimePoint now = options_.clock->Now();
  rpc::NameLookup names = SystemNames();
  bool broken = false;
  snap->ForEachJob([&](const Job& job) {
    // Held jobs have no priority to explain (0), as in Slurm.
    if (broken || !IsPending(job.state) || job.hold != HoldKind::kNone) return;
    if (!matcher->Matches(job)) return;
    sched::PriorityFactors f = policy.Factors(job, snap->FindPartition(job.partition), now);
    v1::JobPriority* p = chunk.add_jobs();
    p->set_job_id(job.id);
    p->mutable_user()->set_uid(job.spec->uid);
    std::string user = names.user(job.spec->uid);
    p->mutable_user()->set_name(user.empty() ? job.spec->user_name : std::move(user));
    p->set_account(job.spec->account);
    p->set_partition(job.partition);
    p->set_qos(job.spec->qos);
    // With every weight 0 the priority is the FIFO number the engine assigned.
    p->set_priority(all_zero ? job.priority : f.priority);
    SetTerms(f, p->mutable_weighted(), p->mutable_normalized());
    if (chunk.jobs_size() >= kJobsPerChunk) {
      broken = !writer->Write(chunk);
      chunk.clear_jobs();
      chunk.clear_weights();
    }
  });
  if (broken) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  // Always a last message: an empty listing still carries the weights (sprio -w).
  writer->Write(chunk);
  return grpc::Status::OK;
}

}  // namespace drover::ctld::service
