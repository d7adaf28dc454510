// AccountingService: the drover.v1.Accounting service of droverctld; this version serves
// ListJobRecords (sacct) from the accounting store. The other Accounting RPCs answer
// UNIMPLEMENTED (gRPC's default for a method not overridden).
//
// Who sees what: root and SlurmUser see every record; other users see every record they
// ask for (sacct -a, -u) unless PrivateData=jobs, which limits them to their own, as
// Slurm does. The caller is the call's MUNGE credential, never a request field.
//
// AccountingJobSink feeds the store: the controller's JobSink (ctld/job_sink.h) over an
// acct::AccountingWriter, so the engine thread only queues.
//
// Thread-safety: handlers run on gRPC's threads concurrently; no mutable state here.
#pragma once

#include "acct/accounting_store.h"
#include "acct/accounting_writer.h"
#include "ctld/job_sink.h"
#include "ctld/service/service_options.h"
#include "drover/v1/accounting.grpc.pb.h"
#include "rpc/convert_job.h"

namespace drover::ctld::service {

class AccountingService final : public v1::Accounting::Service {
 public:
  explicit AccountingService(ServiceOptions options) : options_(std::move(options)) {}

  grpc::Status ListJobRecords(grpc::ServerContext* context, const v1::ListJobRecordsRequest* req,
                              grpc::ServerWriter<v1::ListJobRecordsResponse>* writer) override;

 private:
  const ServiceOptions options_;
};

class AccountingJobSink final : public JobSink {
 public:
  explicit AccountingJobSink(acct::AccountingWriter* writer) : writer_(writer) {}
  void JobsChanged(std::vector<std::shared_ptr<const Job>> jobs) override {
    writer_->Post(std::move(jobs));
  }
  void StepsEnded(std::vector<std::shared_ptr<const Step>> steps) override;

 private:
  acct::AccountingWriter* const writer_;  // not owned
};

// The record as the wire carries it, with its batch step unless `allocations_only`.
v1::JobRecord JobRecordToProto(const acct::JobRecord& r, bool allocations_only,
                              const rpc::NameLookup& names);

}  // namespace drover::ctld::service
