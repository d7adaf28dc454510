// ReportToController: how a drover-stepd tells the controller a job or step ended
// (NodeRegistry.JobComplete, NodeRegistry.StepComplete), retried with backoff until the
// controller acknowledges it (it may be restarting) or refuses it for good.
//
// The call goes over the wire protocol (src/wire), not the gRPC library: a supervisor
// starts with every job and step, and loading gRPC's 50-odd shared libraries and starting
// its threads cost more than the whole life of a short step.
//
// Thread-safety: a free function; blocks the calling thread.
#pragma once

#include <string>
#include <string_view>

#include "auth/munge.h"

namespace drover::noded {

// Calls `method` ("/drover.v1.NodeRegistry/StepComplete") with `body` (a serialized
// request) on `controller` until it answers. `what` names the report in log lines
// ("JobId=42 JobComplete"). False when the controller refused it for good.
bool ReportToController(const std::string& controller, const auth::Munge& munge,
                        std::string_view method, const std::string& body, std::string_view what);

}  // namespace drover::noded
