// NodeDaemon::ControlService: the NodeControl handlers. Internal to noded.
//
// Every call is authenticated (MUNGE); only root and SlurmUser may call. LaunchBatch
// writes the job's spool directory (spool.h) and starts drover-stepd, replying once stepd
// says the script is started; SignalJob, SuspendJob and TerminateJob write one request
// to the control FIFO of every stepd of the job, its batch script's and its srun steps'
// (TerminateJob's says why, for the banner stepd writes), and TerminateJob then has the
// daemon confirm the job's end here (EpilogComplete) once every such stepd is gone.
// Calls the handlers do not implement yet answer UNIMPLEMENTED.
//
// Thread-safety: handlers run on gRPC's threads; launches are serialised by the daemon's
// launch_mu_, everything else is a constant or the file system.
#pragma once

#include "drover/v1/node.grpc.pb.h"
#include "noded/node_daemon.h"

namespace drover::noded {

class NodeDaemon::ControlService final : public v1::NodeControl::Service {
 public:
  explicit ControlService(NodeDaemon& daemon) : daemon_(daemon) {}

  grpc::Status LaunchBatch(grpc::ServerContext* context, const v1::LaunchBatchRequest* request,
                           v1::LaunchBatchResponse* response) override;
  grpc::Status SignalJob(grpc::ServerContext* context, const v1::SignalJobRequest* request,
                         v1::SignalJobResponse* response) override;
  // scancel 42.1: the signal to one srun step's tasks.
  grpc::Status SignalStep(grpc::ServerContext* context, const v1::SignalStepRequest* request,
                          v1::SignalStepResponse* response) override;
  grpc::Status SuspendJob(grpc::ServerContext* context, const v1::SuspendJobRequest* request,
                          v1::SuspendJobResponse* response) override;
  grpc::Status TerminateJob(grpc::ServerContext* context, const v1::TerminateJobRequest* request,
                            v1::TerminateJobResponse* response) override;
  grpc::Status Ping(grpc::ServerContext* context, const v1::PingNodeRequest* request,
                    v1::PingNodeResponse* response) override;

 private:
  // OK when the caller is root or SlurmUser.
  grpc::Status Authorize(grpc::ServerContext& context) const;
  Status Launch(const v1::LaunchBatchRequest& request);

  NodeDaemon& daemon_;
};

}  // namespace drover::noded
