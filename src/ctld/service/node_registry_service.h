// NodeRegistryService: the drover.v1.NodeRegistry service node daemons call: Register,
// Heartbeat, JobComplete, StepComplete, EpilogComplete (a node confirms an ended job's
// processes are gone there). Only root and SlurmUser may call it (droverd runs as root);
// the MUNGE credential says who is calling.
//
// Thread-safety: as ControllerService.
#pragma once

#include "ctld/service/service_options.h"
#include "drover/v1/node.grpc.pb.h"

namespace drover::ctld::service {

class NodeRegistryService final : public v1::NodeRegistry::Service {
 public:
  explicit NodeRegistryService(ServiceOptions options) : options_(std::move(options)) {}

  grpc::Status Register(grpc::ServerContext* context, const v1::RegisterNodeRequest* req,
                        v1::RegisterNodeResponse* resp) override;
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest* req,
                         v1::HeartbeatResponse* resp) override;
  grpc::Status JobComplete(grpc::ServerContext* context, const v1::JobCompleteRequest* req,
                           v1::JobCompleteResponse* resp) override;
  grpc::Status StepComplete(grpc::ServerContext* context, const v1::StepCompleteRequest* req,
                            v1::StepCompleteResponse* resp) override;
  grpc::Status EpilogComplete(grpc::ServerContext* context, const v1::EpilogCompleteRequest* req,
                              v1::EpilogCompleteResponse* resp) override;

 private:
  // Authenticates and refuses callers other than root and SlurmUser (kAccessDenied).
  grpc::Status AuthenticateNode(grpc::ServerContext* context) const;

  const ServiceOptions options_;
};

}  // namespace drover::ctld::service
