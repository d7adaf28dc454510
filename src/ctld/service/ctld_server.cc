#include "ctld/service/ctld_server.h"

#include <fmt/format.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <chrono>

namespace drover::ctld::service {

CtldServer::CtldServer(ServiceOptions options)
    : controller_service_(options), registry_service_(options), accounting_service_(options) {}

CtldServer::~CtldServer() { Shutdown(); }

Result<std::unique_ptr<CtldServer>> CtldServer::Start(const std::string& listen_address,
                                                      ServiceOptions options) {
  std::unique_ptr<CtldServer> s(new CtldServer(std::move(options)));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen_address, grpc::InsecureServerCredentials(), &s->port_);
  builder.RegisterService(&s->controller_service_);
  builder.RegisterService(&s->registry_service_);
  builder.RegisterService(&s->accounting_service_);
  // Scripts and environments travel in SubmitBatchJob: allow up to 64 MiB.
  builder.SetMaxReceiveMessageSize(64 << 20);
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    return Error(ErrorCode::kUnavailable, "cannot listen on " + listen_address);
  }
  return s;
}

void CtldServer::Shutdown() {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  server_.reset();
}

std::string ListenAddress(const config::SlurmConfig& config) {
  std::string host = "0.0.0.0";
  if (!config.slurmctld_addr.empty()) {
    host = config.slurmctld_addr;
  } else if (!config.slurmctld_hosts.empty() && !config.slurmctld_hosts.front().addr.empty()) {
    host = config.slurmctld_hosts.front().addr;
  }
  uint16_t port = config.slurmctld_port != 0 ? config.slurmctld_port : 6817;
  return fmt::format("{}:{}", host, port);
}

}  // namespace drover::ctld::service
