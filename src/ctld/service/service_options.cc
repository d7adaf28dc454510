#include "ctld/service/service_options.h"

#include "base/log.h"
#include "rpc/auth_server.h"

namespace drover::ctld::service {

grpc::Status Authenticate(const grpc::ServerContextBase& context, const ServiceOptions& options,
                          Identity* who) {
  rpc::Identity id;
  grpc::Status s = rpc::AuthenticateCall(context, options.munge, &id);
  if (!s.ok()) return s;
  who->uid = id.uid;
  who->gid = id.gid;
  return grpc::Status::OK;
}

Result<std::shared_ptr<const config::SlurmConfig>> LoadControllerConfig(const std::string& path) {
  std::vector<config::ConfigWarning> warnings;
  ASSIGN_OR_RETURN(config::SlurmConfig conf, config::LoadSlurmConf(path, &warnings));
  log::Logger log("config");
  for (const config::ConfigWarning& w : warnings) log.Warn("{}", w.ToString());
  return std::make_shared<const config::SlurmConfig>(std::move(conf));
}

}  // namespace drover::ctld::service
