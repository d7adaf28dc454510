// CtldServer: droverctld's gRPC endpoint: the Controller, NodeRegistry and Accounting
// services on one listening address, over a Controller the caller owns. droverctld_main and the service
// tests both start it; binding "127.0.0.1:0" picks a free port.
//
// Thread-safety: Start and Shutdown from the owner's thread; port() from any.
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "base/result.h"
#include "ctld/service/accounting_service.h"
#include "ctld/service/controller_service.h"
#include "ctld/service/node_registry_service.h"

namespace drover::ctld::service {

class CtldServer {
 public:
  // Binds `listen_address` ("0.0.0.0:6817", "127.0.0.1:0") and starts serving.
  // Errors: kUnavailable when the address cannot be bound.
  static Result<std::unique_ptr<CtldServer>> Start(const std::string& listen_address,
                                                   ServiceOptions options);
  ~CtldServer();  // Shutdown()

  int port() const { return port_; }
  // Stops accepting calls and waits (bounded) for the running ones. Idempotent.
  void Shutdown();

 private:
  explicit CtldServer(ServiceOptions options);

  ControllerService controller_service_;
  NodeRegistryService registry_service_;
  AccountingService accounting_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// The address droverctld listens on: SlurmctldHost's address (else 0.0.0.0, every
// interface) and SlurmctldPort (6817 when unset).
std::string ListenAddress(const config::SlurmConfig& config);

}  // namespace drover::ctld::service
