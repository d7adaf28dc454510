// The wire ControllerClient and ConnectController against a small fake Controller service
// served by the gRPC library on 127.0.0.1:0 (so the client is checked against the server
// the controller really runs), with a private munged checking that every call carries a
// credential.
#include "client/wire_controller_client.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "client/connect.h"
#include "drover/v1/controller.grpc.pb.h"
#include "rpc/auth_server.h"
#include "rpc/status.h"
#include "testing/munge_daemon.h"

namespace drover::client {
namespace {

using ::drover::testing::MungeDaemon;

// Answers ListJobs in two chunks, Ping with a hostname, CancelJobs with a Drover error;
// refuses calls without a valid MUNGE credential.
class FakeController final : public v1::Controller::Service {
 public:
  explicit FakeController(auth::Munge munge) : munge_(std::move(munge)) {}

  grpc::Status ListJobs(grpc::ServerContext* context, const v1::ListJobsRequest* request,
                        grpc::ServerWriter<v1::ListJobsResponse>* writer) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    last_user_filter_ =
        request->filter().user_names_size() > 0 ? request->filter().user_names(0) : std::string();
    if (last_user_filter_ == "big") {  // ~24 MB in 400 chunks: past every window
      for (uint32_t chunk = 0; chunk < 400; ++chunk) {
        v1::ListJobsResponse response;
        for (uint32_t i = 0; i < 60; ++i) {
          v1::JobInfo* job = response.add_jobs();
          job->set_job_id(chunk * 60 + i);
          job->set_admin_comment(std::string(1000, static_cast<char>('a' + chunk % 26)));
        }
        if (!writer->Write(response)) break;
      }
      return grpc::Status::OK;
    }
    for (uint32_t chunk = 0; chunk < 2; ++chunk) {
      v1::ListJobsResponse response;
      for (uint32_t i = 0; i < 2 + chunk; ++i) {
        response.add_jobs()->set_job_id(100 * (chunk + 1) + i);
      }
      writer->Write(response);
    }
    return grpc::Status::OK;
  }
  grpc::Status Ping(grpc::ServerContext* context, const v1::PingRequest*,
                    v1::PingResponse* response) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    response->set_hostname(hostname_);
    return grpc::Status::OK;
  }
  grpc::Status SubmitBatchJob(grpc::ServerContext* context,
                              const v1::SubmitBatchJobRequest* request,
                              v1::SubmitBatchJobResponse* response) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    // Answers with the script's size and a checksum, so the test sees all of it arrived.
    uint32_t sum = 0;
    for (char c : request->script()) sum = sum * 31 + static_cast<uint8_t>(c);
    response->set_job_id(static_cast<uint32_t>(request->script().size()));
    response->add_warnings(std::to_string(sum));
    return grpc::Status::OK;
  }
  grpc::Status CancelJobs(grpc::ServerContext* context, const v1::CancelJobsRequest*,
                          v1::JobActionResponse*) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    return rpc::ToGrpcStatus(Error(ErrorCode::kAccessDenied, "Access/permission denied", "job 42"));
  }

  std::string hostname_ = "vm";
  std::string last_user_filter_;
  std::atomic<int> authenticated_{0};

 private:
  grpc::Status Check(const grpc::ServerContext& context) {
    rpc::Identity identity;
    grpc::Status s = rpc::AuthenticateCall(context, munge_, &identity);
    if (s.ok()) ++authenticated_;
    return s;
  }
  const auth::Munge munge_;
};

// A TCP port on 127.0.0.1 that refuses connections (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class WireControllerClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto daemon = MungeDaemon::Start();
    ASSERT_TRUE(daemon) << daemon.error().ToString();
    daemon_ = std::move(daemon).value();
    service_ = std::make_unique<FakeController>(auth::Munge(daemon_->socket_path()));
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  ControllerEndpoints Endpoints(std::vector<std::string> targets) const {
    ControllerEndpoints e;
    e.targets = std::move(targets);
    e.munge_socket = daemon_->socket_path();
    e.timeout = std::chrono::seconds(5);
    return e;
  }
  std::string Live() const { return fmt::format("127.0.0.1:{}", port_); }
  std::string Dead() const { return fmt::format("127.0.0.1:{}", ClosedPort()); }

  std::unique_ptr<MungeDaemon> daemon_;
  std::unique_ptr<FakeController> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(WireControllerClientTest, ListJobsGathersTheStreamWithCredentials) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client) << client.error().ToString();
  v1::ListJobsRequest request;
  request.mutable_filter()->add_user_names("alice");
  auto jobs = (*client)->ListJobs(request);
  ASSERT_TRUE(jobs) << jobs.error().ToString();
  std::vector<uint32_t> ids;
  for (const v1::JobInfo& job : *jobs) ids.push_back(job.job_id());
  EXPECT_THAT(ids, ::testing::ElementsAre(100, 101, 200, 201, 202));
  EXPECT_EQ(service_->last_user_filter_, "alice");
  EXPECT_EQ(service_->authenticated_.load(), 1);
}

// A request far past the HTTP/2 default window (64 KB) and frame size (16 KB).
TEST_F(WireControllerClientTest, LargeRequestArrivesWhole) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  v1::SubmitBatchJobRequest request;
  std::string script;
  for (int i = 0; i < 3'000'000; ++i) script.push_back(static_cast<char>('a' + i % 23));
  request.set_script(script);
  uint32_t sum = 0;
  for (char c : script) sum = sum * 31 + static_cast<uint8_t>(c);
  auto reply = (*client)->SubmitBatchJob(request);
  ASSERT_TRUE(reply) << reply.error().ToString();
  EXPECT_EQ(reply->job_id(), script.size());
  ASSERT_EQ(reply->warnings_size(), 1);
  EXPECT_EQ(reply->warnings(0), std::to_string(sum));
}

// A streamed reply of ~24 MB: flow control keeps it moving and every chunk arrives.
TEST_F(WireControllerClientTest, LargeStreamArrivesWhole) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  v1::ListJobsRequest request;
  request.mutable_filter()->add_user_names("big");
  auto jobs = (*client)->ListJobs(request);
  ASSERT_TRUE(jobs) << jobs.error().ToString();
  ASSERT_EQ(jobs->size(), 400u * 60);
  for (size_t i = 0; i < jobs->size(); ++i) {
    ASSERT_EQ((*jobs)[i].job_id(), i);
    ASSERT_EQ((*jobs)[i].admin_comment(), std::string(1000, static_cast<char>('a' + (i / 60) % 26)));
  }
  // The connection is still good for another call.
  ASSERT_TRUE((*client)->Ping(v1::PingRequest()));
}

TEST_F(WireControllerClientTest, ErrorComesBackWithDroverCodeAndMessage) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  auto reply = (*client)->CancelJobs(v1::CancelJobsRequest());
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(reply.error().message(), "Access/permission denied");
  EXPECT_EQ(reply.error().context(), "job 42");
}

TEST_F(WireControllerClientTest, EveryCallGetsAFreshCredential) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*client)->Ping(v1::PingRequest()));
  EXPECT_EQ(service_->authenticated_.load(), 3);  // a replayed credential would be refused
}

TEST_F(WireControllerClientTest, UnreachableControllerIsUnavailableInSlurmWords) {
  auto client = ConnectController(Endpoints({Dead()}));
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(client.error().message(), "Unable to contact slurm controller (connect failure)");
}

TEST_F(WireControllerClientTest, CallToAControllerThatWentAwayIsUnavailable) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  server_->Shutdown(std::chrono::system_clock::now());
  server_.reset();
  auto ping = (*client)->Ping(v1::PingRequest());
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(ping.error().message(), "Unable to contact slurm controller (connect failure)");
}

TEST_F(WireControllerClientTest, BackupControllerIsTriedWhenThePrimaryIsDown) {
  auto client = ConnectController(Endpoints({Dead(), Live()}));
  ASSERT_TRUE(client) << client.error().ToString();
  auto ping = (*client)->Ping(v1::PingRequest());
  ASSERT_TRUE(ping) << ping.error().ToString();
  EXPECT_EQ(ping->hostname(), "vm");
}

TEST_F(WireControllerClientTest, MungedDownFailsTheCallLocally) {
  auto client = ConnectController(Endpoints({Live()}));
  ASSERT_TRUE(client);
  daemon_->Stop();
  auto ping = (*client)->Ping(v1::PingRequest());
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code(), ErrorCode::kAuthUnavailable);
}

// slurm.conf names a dead primary (127.0.0.2 has nothing on the port) and a live backup;
// AuthInfo names the private munged.
TEST_F(WireControllerClientTest, ConnectsThroughSlurmConfFromSlurmConfVariable) {
  std::string path = daemon_->dir() + "/slurm.conf";
  std::ofstream(path) << "ClusterName=test\n"
                      << "SlurmctldHost=primary(127.0.0.2)\n"
                      << "SlurmctldHost=backup(127.0.0.1)\n"
                      << "SlurmctldPort=" << port_ << "\n"
                      << "AuthType=auth/munge\n"
                      << "AuthInfo=socket=" << daemon_->socket_path() << "\n"
                      << "MessageTimeout=5\n";
  auto client = ConnectController(std::map<std::string, std::string>{{"SLURM_CONF", path}});
  ASSERT_TRUE(client) << client.error().ToString();
  auto ping = (*client)->Ping(v1::PingRequest());
  ASSERT_TRUE(ping) << ping.error().ToString();
}

TEST(ConnectTest, SlurmConfPathAndAuthInfo) {
  EXPECT_EQ(SlurmConfPath({}), "/etc/slurm/slurm.conf");
  EXPECT_EQ(SlurmConfPath({{"SLURM_CONF", "/x/slurm.conf"}}), "/x/slurm.conf");
  EXPECT_EQ(MungeSocketFromAuthInfo("socket=/run/m.sock"), "/run/m.sock");
  EXPECT_EQ(MungeSocketFromAuthInfo("cred_expire=30,socket=/a/b"), "/a/b");
  EXPECT_EQ(MungeSocketFromAuthInfo("cred_expire=30"), "");
  EXPECT_EQ(MungeSocketFromAuthInfo(""), "");
}

TEST(ConnectTest, MissingSlurmConfIsReported) {
  auto client = ConnectController(
      std::map<std::string, std::string>{{"SLURM_CONF", "/nonexistent/slurm.conf"}});
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace drover::client
