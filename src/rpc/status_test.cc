#include "rpc/status.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "drover/v1/controller.grpc.pb.h"

namespace drover::rpc {
namespace {

std::vector<ErrorCode> AllCodes() {
  return {
#define DROVER_ALL_CODES(name, number, slurm, text) ErrorCode::name,
      DROVER_ERROR_CODES(DROVER_ALL_CODES)
#undef DROVER_ALL_CODES
  };
}

// "InvalidPartitionName" -> "INVALID_PARTITION_NAME". Written independently of the
// constexpr check in status.cc on purpose.
std::string UpperSnake(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z' && !out.empty()) out += '_';
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return out;
}

TEST(StatusTest, EveryCodeRoundTripsThroughGrpcStatus) {
  for (ErrorCode code : AllCodes()) {
    SCOPED_TRACE(std::string(ErrorName(code)));
    Error error(code, "message for " + std::string(ErrorName(code)), "job 42");
    grpc::Status status = ToGrpcStatus(error);
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.error_code(), GrpcCodeFor(code));
    EXPECT_EQ(status.error_message(), "job 42: message for " + std::string(ErrorName(code)));
    EXPECT_EQ(FromGrpcStatus(status), error);

    Error plain(code);  // the table's text, no context
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(plain)), plain);
    EXPECT_EQ(FromProto(ToProto(plain)), plain);
  }
}

// The proto enum, read through its descriptor, against the table: same names
// (ERROR_CODE_ + UPPER_SNAKE of ErrorName()), same numbers, nothing missing either way.
TEST(StatusTest, ProtoEnumMatchesTheTableBothWays) {
  const google::protobuf::EnumDescriptor* descriptor = v1::ErrorCode_descriptor();
  std::vector<ErrorCode> codes = AllCodes();
  EXPECT_EQ(descriptor->value_count(), static_cast<int>(codes.size()));
  for (ErrorCode code : codes) {
    const google::protobuf::EnumValueDescriptor* value =
        descriptor->FindValueByNumber(static_cast<int>(code));
    ASSERT_NE(value, nullptr) << ErrorName(code) << " has no drover.v1.ErrorCode value";
    EXPECT_EQ(value->name(), "ERROR_CODE_" + UpperSnake(ErrorName(code)));
    EXPECT_EQ(ToProto(code), value->number());
    EXPECT_EQ(FromProto(static_cast<v1::ErrorCode>(value->number())), code);
  }
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    ASSERT_TRUE(IsKnownErrorCode(value->number()))
        << "drover.v1." << value->name() << " = " << value->number() << " is not in the table";
    EXPECT_EQ(value->name(),
              "ERROR_CODE_" + UpperSnake(ErrorName(static_cast<ErrorCode>(value->number()))));
  }
}

TEST(StatusTest, GrpcCodesForGenericClientsAndRetryPolicies) {
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kInvalidPartitionName), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kInvalidJobId), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kAccessDenied), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kAuthExpired), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kAccountingPolicy), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kJobNotPending), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kUnavailable), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kTimeout), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kNotSupported), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kCancelled), grpc::StatusCode::CANCELLED);
  // An Error carrying kOk is a bug; it must not read as success on the other side.
  EXPECT_EQ(GrpcCodeFor(ErrorCode::kOk), grpc::StatusCode::UNKNOWN);
  EXPECT_FALSE(ToGrpcStatus(Error(ErrorCode::kOk)).ok());
}

TEST(StatusTest, StatusesWithoutDroverDetailsMapByGrpcCode) {
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect")),
            Error(ErrorCode::kUnavailable, "failed to connect"));
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded")),
            Error(ErrorCode::kTimeout, "Deadline Exceeded"));
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "")),
            Error(ErrorCode::kNotSupported));
  // Codes with no Drover counterpart: kUnknown, keeping gRPC's message.
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::DATA_LOSS, "bits fell out")),
            Error(ErrorCode::kUnknown, "bits fell out"));
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too large")),
            Error(ErrorCode::kUnknown, "too large"));
}

TEST(StatusTest, UnreadableOrForeignDetailsFallBackToTheGrpcCode) {
  grpc::Status garbage(grpc::StatusCode::UNAVAILABLE, "down", "\xff\xff not a proto");
  EXPECT_EQ(FromGrpcStatus(garbage), Error(ErrorCode::kUnavailable, "down"));

  v1::RpcStatus foreign;  // a google.rpc.Status whose details are not an ErrorDetail
  foreign.set_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
  foreign.add_details()->PackFrom(v1::IdRange());
  EXPECT_EQ(FromGrpcStatus(
                grpc::Status(grpc::StatusCode::NOT_FOUND, "nope", foreign.SerializeAsString())),
            Error(ErrorCode::kNotFound, "nope"));
}

TEST(StatusTest, CodeUnknownToThisBuildBecomesUnknown) {
  v1::ErrorDetail detail;
  detail.set_code(static_cast<v1::ErrorCode>(424242));
  detail.set_message("Some future error");
  v1::RpcStatus rpc_status;
  rpc_status.add_details()->PackFrom(detail);
  grpc::Status status(grpc::StatusCode::FAILED_PRECONDITION, "Some future error",
                      rpc_status.SerializeAsString());
  EXPECT_EQ(FromGrpcStatus(status), Error(ErrorCode::kUnknown, "Some future error"));
  EXPECT_EQ(FromProto(static_cast<v1::ErrorCode>(424242)), ErrorCode::kUnknown);
  EXPECT_EQ(ToProto(static_cast<ErrorCode>(424242)), v1::ERROR_CODE_UNKNOWN);
}

TEST(StatusTest, DetailsAreAGoogleRpcStatusWithAnErrorDetail) {
  grpc::Status status = ToGrpcStatus(Error(ErrorCode::kInvalidJobId, "Invalid job id specified"));
  v1::RpcStatus rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(status.error_details()));
  EXPECT_EQ(rpc_status.code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(rpc_status.message(), "Invalid job id specified");
  ASSERT_EQ(rpc_status.details_size(), 1);
  EXPECT_EQ(rpc_status.details(0).type_url(), "type.googleapis.com/drover.v1.ErrorDetail");
  v1::ErrorDetail detail;
  ASSERT_TRUE(rpc_status.details(0).UnpackTo(&detail));
  EXPECT_EQ(detail.code(), v1::ERROR_CODE_INVALID_JOB_ID);
  EXPECT_EQ(detail.code(), 2017);
}

TEST(StatusTest, OkStatusesAndResultVoid) {
  EXPECT_TRUE(ToGrpcStatus(Ok()).ok());
  EXPECT_TRUE(ToStatus(grpc::Status::OK).has_value());
  Status failed = ToStatus(ToGrpcStatus(Status(Error(ErrorCode::kJobHeld))));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error(), Error(ErrorCode::kJobHeld));
  EXPECT_EQ(FromGrpcStatus(grpc::Status::OK).code(), ErrorCode::kInternal);
}

// A Controller whose Ping fails with a fixed error.
class FailingController final : public v1::Controller::Service {
 public:
  explicit FailingController(Error error) : error_(std::move(error)) {}
  grpc::Status Ping(grpc::ServerContext*, const v1::PingRequest*, v1::PingResponse*) override {
    return ToGrpcStatus(error_);
  }

 private:
  const Error error_;
};

// Through HTTP/2 on loopback: the ErrorDetail survives in the trailer.
TEST(StatusTest, ErrorSurvivesARealCall) {
  Error error(ErrorCode::kInvalidPartitionName, "Invalid partition name specified",
              "partition gpu");
  FailingController service(error);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(port, 0);

  auto stub = v1::Controller::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::PingResponse response;
  grpc::Status status = stub->Ping(&context, v1::PingRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FromGrpcStatus(status), error);
  server->Shutdown();
}

TEST(StatusTest, NoServerIsUnavailable) {
  auto stub = v1::Controller::NewStub(grpc::CreateChannel("unix:/nonexistent-drover-dir/ctld.sock",
                                                          grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::PingResponse response;
  grpc::Status status = stub->Ping(&context, v1::PingRequest(), &response);
  EXPECT_EQ(FromGrpcStatus(status).code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace drover::rpc
