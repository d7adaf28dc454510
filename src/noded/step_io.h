// NodeDaemon::StepIoService: the StepIo handlers srun calls on every node of a step.
//
// LaunchTasks (callback API: a step's stream lives as long as its tasks, and must be
// finished by the server once `done` is out, whatever srun's side still has open):
//   1. the first request is `launch`; the caller is authenticated (MUNGE, call metadata)
//      and the step credential verified (encoded by SlurmUser, not expired); its step id
//      must be the request's, its layout must have this node, and the caller must be the
//      step's user or root. Refusals: "Invalid job credential" (kInvalidJobCredential),
//      "Access/permission denied" (kAccessDenied), a second launch of a step here
//      "Duplicate job id" (kDuplicateJobId);
//   2. the step's spool dir is written (step_spool.h) and a drover-stepd started for it,
//      detached like a batch job's; its launch failure ends the call with its error;
//   3. frames are relayed: srun's requests to stepd's `io` socket, stepd's replies to
//      srun, until `done`, after which the call ends OK.
// If srun goes away (the call is cancelled) the step is terminated (the control FIFO's
// "terminate": SIGCONT, SIGTERM, KillWait, SIGKILL), unless the daemon itself is
// stopping: a droverd restart leaves steps running.
//
// Threads: gRPC's callback threads run the reactions and never block; each call has one
// worker thread for the blocking part (MUNGE, spawning stepd, the socket). The two share
// the call's queues under its mutex.
#pragma once

#include "drover/v1/node.grpc.pb.h"
#include "noded/node_daemon.h"

namespace drover::noded {

class NodeDaemon::StepIoService final : public v1::StepIo::CallbackService {
 public:
  explicit StepIoService(NodeDaemon& daemon) : daemon_(daemon) {}

  grpc::ServerBidiReactor<v1::StepIoRequest, v1::StepIoResponse>* LaunchTasks(
      grpc::CallbackServerContext* context) override;

 private:
  class LaunchReactor;
  NodeDaemon& daemon_;
};

}  // namespace drover::noded
