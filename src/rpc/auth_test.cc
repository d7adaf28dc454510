#include <fmt/format.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "drover/v1/controller.grpc.pb.h"
#include "rpc/auth_client.h"
#include "rpc/auth_metadata.h"
#include "rpc/auth_server.h"
#include "rpc/status.h"
#include "testing/munge_daemon.h"

namespace drover::rpc {
namespace {

using drover::testing::MungeDaemon;
using ::testing::HasSubstr;

// Ping answers with the caller's identity as MUNGE vouched for it.
class WhoAmIController final : public v1::Controller::Service {
 public:
  explicit WhoAmIController(auth::Munge munge) : munge_(std::move(munge)) {}

  grpc::Status Ping(grpc::ServerContext* context, const v1::PingRequest*,
                    v1::PingResponse* response) override {
    ++calls_;
    Identity caller;
    if (grpc::Status s = AuthenticateCall(*context, munge_, &caller); !s.ok()) return s;
    response->set_hostname(fmt::format("uid={} gid={}", caller.uid, caller.gid));
    return grpc::Status::OK;
  }

  int calls() const { return calls_; }

 private:
  const auth::Munge munge_;
  std::atomic<int> calls_{0};
};

std::unique_ptr<MungeDaemon> StartDaemon() {
  auto daemon = MungeDaemon::Start();
  if (!daemon) ADD_FAILURE() << daemon.error().ToString();
  return daemon ? std::move(daemon).value() : nullptr;
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = StartDaemon();
    ASSERT_NE(daemon_, nullptr);
    munge_ = auth::Munge(daemon_->socket_path());
    service_ = std::make_unique<WhoAmIController>(munge_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    target_ = fmt::format("127.0.0.1:{}", port);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
  }

  std::unique_ptr<v1::Controller::Stub> PlainStub() {
    return v1::Controller::NewStub(
        grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  }
  std::unique_ptr<v1::Controller::Stub> AuthenticatedStub(const auth::Munge& munge) {
    return v1::Controller::NewStub(CreateAuthenticatedChannel(target_, munge));
  }

  // The reply's hostname, or the Error the call failed with.
  static Result<std::string> Ping(v1::Controller::Stub& stub, grpc::ClientContext& context) {
    v1::PingResponse response;
    grpc::Status status = stub.Ping(&context, v1::PingRequest(), &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response.hostname();
  }
  static Result<std::string> Ping(v1::Controller::Stub& stub) {
    grpc::ClientContext context;
    return Ping(stub, context);
  }

  std::string Me() const { return fmt::format("uid={} gid={}", getuid(), getgid()); }

  std::unique_ptr<MungeDaemon> daemon_;
  auth::Munge munge_;
  std::unique_ptr<WhoAmIController> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
};

TEST_F(AuthTest, AuthenticatedChannelShowsTheCallersUid) {
  auto stub = AuthenticatedStub(munge_);
  auto reply = Ping(*stub);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(*reply, Me());
}

// Every call, a retry included, is a new ClientContext and so gets a new credential.
TEST_F(AuthTest, EveryCallGetsAFreshCredential) {
  auto stub = AuthenticatedStub(munge_);
  for (int i = 0; i < 20; ++i) {
    auto reply = Ping(*stub);
    ASSERT_TRUE(reply.has_value()) << "call " << i << ": " << reply.error().ToString();
  }
  EXPECT_EQ(service_->calls(), 20);
}

TEST_F(AuthTest, AttachByHand) {
  auto stub = PlainStub();
  grpc::ClientContext context;
  ASSERT_TRUE(AttachMungeCredential(context, munge_).has_value());
  auto reply = Ping(*stub, context);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(*reply, Me());
}

TEST_F(AuthTest, CallWithoutCredentialIsRefused) {
  auto stub = PlainStub();
  grpc::ClientContext context;
  v1::PingResponse response;
  grpc::Status status = stub->Ping(&context, v1::PingRequest(), &response);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error_code(), GrpcCodeFor(ErrorCode::kAuthCredInvalid));
  Error error = FromGrpcStatus(status);
  EXPECT_EQ(error.code(), ErrorCode::kAuthCredInvalid);
  EXPECT_THAT(error.message(), HasSubstr("Missing MUNGE credential"));
}

TEST_F(AuthTest, ReplayedCredentialIsRefused) {
  auto credential = munge_.Encode();
  ASSERT_TRUE(credential.has_value());
  auto stub = PlainStub();
  grpc::ClientContext first;
  first.AddMetadata(kMungeMetadataKey, *credential);
  auto reply = Ping(*stub, first);
  ASSERT_TRUE(reply.has_value()) << reply.error().ToString();
  EXPECT_EQ(*reply, Me());

  grpc::ClientContext second;
  second.AddMetadata(kMungeMetadataKey, *credential);
  auto replayed = Ping(*stub, second);
  ASSERT_FALSE(replayed.has_value());
  EXPECT_EQ(replayed.error().code(), ErrorCode::kAuthReplayed);
}

TEST_F(AuthTest, TwoCredentialsAreRefused) {
  auto stub = PlainStub();
  grpc::ClientContext context;
  ASSERT_TRUE(AttachMungeCredential(context, munge_).has_value());
  ASSERT_TRUE(AttachMungeCredential(context, munge_).has_value());
  auto reply = Ping(*stub, context);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code(), ErrorCode::kAuthCredInvalid);
}

TEST_F(AuthTest, ForeignKeyIsRefused) {
  auto other = StartDaemon();
  ASSERT_NE(other, nullptr);
  auto stub = AuthenticatedStub(auth::Munge(other->socket_path()));
  auto reply = Ping(*stub);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code(), ErrorCode::kAuthCredInvalid);
  EXPECT_THAT(reply.error().message(), HasSubstr("Munge decode failed"));
}

TEST_F(AuthTest, ClientMungedDownFailsTheCallLocally) {
  auto client_daemon = MungeDaemon::StartWithKeyOf(*daemon_);
  ASSERT_TRUE(client_daemon.has_value()) << client_daemon.error().ToString();
  auto stub = AuthenticatedStub(auth::Munge((*client_daemon)->socket_path()));
  ASSERT_TRUE(Ping(*stub).has_value());
  (*client_daemon)->Stop();

  auto reply = Ping(*stub);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code(), ErrorCode::kAuthUnavailable);
  EXPECT_THAT(reply.error().message(), HasSubstr("Munge encode failed"));
  EXPECT_EQ(service_->calls(), 1);  // the failed call never left the client

  // A server-streaming call fails the same way: no message, then the status.
  grpc::ClientContext context;
  auto reader = stub->ListJobs(&context, v1::ListJobsRequest());
  v1::ListJobsResponse response;
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_EQ(FromGrpcStatus(reader->Finish()).code(), ErrorCode::kAuthUnavailable);
}

TEST_F(AuthTest, ServerMungedDownIsUnavailable) {
  auto client_daemon = MungeDaemon::StartWithKeyOf(*daemon_);
  ASSERT_TRUE(client_daemon.has_value()) << client_daemon.error().ToString();
  auto stub = AuthenticatedStub(auth::Munge((*client_daemon)->socket_path()));
  daemon_->Stop();
  auto reply = Ping(*stub);
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().code(), ErrorCode::kAuthUnavailable);
}

}  // namespace
}  // namespace drover::rpc
