// JobSink: where the controller hands the versions of jobs that each durable batch
// changed (submitted, started, ended, requeued, held, ...), for job accounting. The
// controller calls it on its engine thread once the batch is in the state store, and once
// at start-up with every job it recovered (so whatever a sink had not yet written when
// the process died is handed to it again; a sink must treat a repeat as a replace).
//
// Implementations queue and return: they must never block the engine thread (the
// accounting one is acct::AccountingWriter, behind ctld/service/accounting_service.h).
//
// Thread-safety: called from the engine thread only.
#pragma once

#include <memory>
#include <vector>

#include "core/job.h"
#include "ctld/steps.h"

namespace drover::ctld {

class JobSink {
 public:
  virtual ~JobSink() = default;
  virtual void JobsChanged(std::vector<std::shared_ptr<const Job>> jobs) = 0;
  // Steps that ended (each once), after the jobs changed in the same batch.
  virtual void StepsEnded(std::vector<std::shared_ptr<const Step>> steps) = 0;
};

}  // namespace drover::ctld
