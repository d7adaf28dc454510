#include "auth/step_credential.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "testing/munge_daemon.h"

namespace drover::auth {
namespace {

using drover::testing::MungeDaemon;
using ::testing::HasSubstr;

constexpr int64_t kIssue = 1'700'000'000;

TimePoint At(int64_t unix_seconds) { return TimePoint(Seconds(unix_seconds)); }

v1::StepCredentialPayload Grant() {
  v1::StepCredentialPayload payload;
  payload.mutable_step_id()->set_job_id(42);
  payload.mutable_step_id()->set_step_id(1);
  payload.mutable_user()->set_uid(1000);
  payload.mutable_user()->set_name("alice");
  payload.mutable_group()->set_gid(1000);
  payload.mutable_job()->set_job_id(42);
  payload.mutable_job()->set_node_list("n[1-2]");
  payload.set_issue_time(kIssue);
  payload.set_expire_time(kIssue + 120);
  payload.set_step_time_limit_s(-1);
  payload.set_cluster("local");
  return payload;
}

class StepCredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto daemon = MungeDaemon::Start();
    ASSERT_TRUE(daemon.has_value()) << daemon.error().ToString();
    daemon_ = std::move(daemon).value();
    munge_ = Munge(daemon_->socket_path());
  }

  std::unique_ptr<MungeDaemon> daemon_;
  Munge munge_;
};

TEST_F(StepCredentialTest, SignedGrantVerifies) {
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_TRUE(credential.has_value()) << credential.error().ToString();
  auto payload = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue + 5));
  ASSERT_TRUE(payload.has_value()) << payload.error().ToString();
  EXPECT_EQ(payload->SerializeAsString(), Grant().SerializeAsString());
}

TEST_F(StepCredentialTest, MungeTtlFollowsThePayload) {
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_TRUE(credential.has_value());
  auto decoded = munge_.Decode(*credential);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->ttl, Seconds(120));
}

// srun sends one credential to every node; node daemons on one host share a munged.
TEST_F(StepCredentialTest, VerifiesMoreThanOnce) {
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_TRUE(credential.has_value());
  ASSERT_TRUE(VerifyStepCredential(munge_, *credential, getuid(), At(kIssue)).has_value());
  auto again = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue));
  EXPECT_TRUE(again.has_value()) << again.error().ToString();
}

TEST_F(StepCredentialTest, WrongSignerIsRefused) {
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_TRUE(credential.has_value());
  const uid_t slurm_user = getuid() + 1;
  auto payload = VerifyStepCredential(munge_, *credential, slurm_user, At(kIssue));
  ASSERT_FALSE(payload.has_value());
  EXPECT_EQ(payload.error().code(), ErrorCode::kInvalidJobCredential);
  EXPECT_THAT(payload.error().message(), HasSubstr("not SlurmUser"));
}

TEST_F(StepCredentialTest, ExpiredByNowIsRefused) {
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_TRUE(credential.has_value());
  // The last second of validity is still good.
  EXPECT_TRUE(VerifyStepCredential(munge_, *credential, getuid(), At(kIssue + 120)).has_value());
  auto payload = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue + 121));
  ASSERT_FALSE(payload.has_value());
  EXPECT_EQ(payload.error().code(), ErrorCode::kAuthExpired);
  EXPECT_EQ(payload.error().context(), "StepId=42.1");
}

TEST_F(StepCredentialTest, PayloadWithoutExpiryIsRefused) {
  v1::StepCredentialPayload grant = Grant();
  grant.clear_expire_time();
  auto credential = SignStepCredential(munge_, grant);
  ASSERT_TRUE(credential.has_value());
  auto payload = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue));
  ASSERT_FALSE(payload.has_value());
  EXPECT_EQ(payload.error().code(), ErrorCode::kInvalidJobCredential);
}

TEST_F(StepCredentialTest, NotAStepPayloadIsRefused) {
  auto credential = munge_.Encode("\xff\xff\xff not protobuf");
  ASSERT_TRUE(credential.has_value());
  auto payload = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue));
  ASSERT_FALSE(payload.has_value());
  EXPECT_EQ(payload.error().code(), ErrorCode::kInvalidJobCredential);
}

TEST_F(StepCredentialTest, ForeignKeyIsRefused) {
  auto other = MungeDaemon::Start();
  ASSERT_TRUE(other.has_value()) << other.error().ToString();
  auto credential = SignStepCredential(Munge((*other)->socket_path()), Grant());
  ASSERT_TRUE(credential.has_value());
  auto payload = VerifyStepCredential(munge_, *credential, getuid(), At(kIssue));
  ASSERT_FALSE(payload.has_value());
  EXPECT_EQ(payload.error().code(), ErrorCode::kAuthCredInvalid);
}

TEST_F(StepCredentialTest, SigningWithMungedDownIsUnavailable) {
  daemon_->Stop();
  auto credential = SignStepCredential(munge_, Grant());
  ASSERT_FALSE(credential.has_value());
  EXPECT_EQ(credential.error().code(), ErrorCode::kAuthUnavailable);
  EXPECT_EQ(credential.error().context(), "StepId=42.1");
}

}  // namespace
}  // namespace drover::auth
