#include "auth/munge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "testing/munge_daemon.h"

namespace drover::auth {
namespace {

using drover::testing::MungeDaemon;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::unique_ptr<MungeDaemon> StartDaemon() {
  auto daemon = MungeDaemon::Start();
  if (!daemon) ADD_FAILURE() << daemon.error().ToString();
  return daemon ? std::move(daemon).value() : nullptr;
}

class MungeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = StartDaemon();
    ASSERT_NE(daemon_, nullptr);
    munge_ = Munge(daemon_->socket_path());
  }

  std::unique_ptr<MungeDaemon> daemon_;
  Munge munge_;
};

TEST_F(MungeTest, RoundTripGivesThisProcessesUidGidAndPayload) {
  const std::string payload("step\0grant\xff", 11);
  const TimePoint before = std::chrono::system_clock::now();
  auto credential = munge_.Encode(payload);
  ASSERT_TRUE(credential.has_value()) << credential.error().ToString();
  EXPECT_THAT(*credential, StartsWith("MUNGE:"));

  auto decoded = munge_.Decode(*credential);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  EXPECT_EQ(decoded->uid, getuid());
  EXPECT_EQ(decoded->gid, getgid());
  EXPECT_EQ(decoded->payload, payload);
  EXPECT_FALSE(decoded->replayed);
  EXPECT_GE(decoded->encode_time, before - std::chrono::seconds(1));
  EXPECT_LE(decoded->encode_time, std::chrono::system_clock::now());
  EXPECT_EQ(decoded->ttl, Seconds(300));  // munged's default
}

TEST_F(MungeTest, EmptyPayloadAndExplicitTtl) {
  auto credential = munge_.Encode({}, EncodeOptions{.ttl = Seconds(60)});
  ASSERT_TRUE(credential.has_value()) << credential.error().ToString();
  auto decoded = munge_.Decode(*credential);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  EXPECT_EQ(decoded->payload, "");
  EXPECT_EQ(decoded->ttl, Seconds(60));
}

TEST_F(MungeTest, ReplayIsRefused) {
  auto credential = munge_.Encode("x");
  ASSERT_TRUE(credential.has_value());
  ASSERT_TRUE(munge_.Decode(*credential).has_value());
  auto again = munge_.Decode(*credential);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kAuthReplayed);
  EXPECT_EQ(again.error().message(), "Munge decode failed: Replayed credential");
}

TEST_F(MungeTest, ReplayAllowedOnRequestStillGivesTheContent) {
  auto credential = munge_.Encode("grant");
  ASSERT_TRUE(credential.has_value());
  ASSERT_TRUE(munge_.Decode(*credential).has_value());
  auto again = munge_.Decode(*credential, DecodeOptions{.allow_replay = true});
  ASSERT_TRUE(again.has_value()) << again.error().ToString();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->uid, getuid());
  EXPECT_EQ(again->payload, "grant");
}

// The one test that waits: munged reads its own clock and its smallest TTL is one second,
// and there is no way to hand it a clock (MUNGE's own test suite uses faketime or sleeps).
// munged refuses a credential once its time() is past encode second + TTL, so a credential
// with TTL 1 is expired two whole seconds after the second it was encoded in, give or take
// the lag of time()'s coarse clock behind system_clock (at most a scheduler tick): 1-2.1 s.
TEST_F(MungeTest, ExpiredIsRefused) {
  auto credential = munge_.Encode("x", EncodeOptions{.ttl = Seconds(1)});
  ASSERT_TRUE(credential.has_value());
  const auto expired_after =
      std::chrono::floor<Seconds>(std::chrono::system_clock::now().time_since_epoch()) +
      Seconds(2) + std::chrono::milliseconds(100);
  while (std::chrono::system_clock::now().time_since_epoch() < expired_after) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto decoded = munge_.Decode(*credential);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthExpired);
  EXPECT_EQ(decoded.error().message(), "Munge decode failed: Expired credential");
}

TEST_F(MungeTest, ForeignKeyIsRefused) {
  auto other = StartDaemon();  // another cluster: a key of its own
  ASSERT_NE(other, nullptr);
  auto credential = Munge(other->socket_path()).Encode("x");
  ASSERT_TRUE(credential.has_value());
  auto decoded = munge_.Decode(*credential);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthCredInvalid);
  EXPECT_THAT(decoded.error().message(), StartsWith("Munge decode failed: "));
}

TEST_F(MungeTest, SameKeyOnAnotherHostDecodesWithItsOwnReplayCache) {
  auto other = MungeDaemon::StartWithKeyOf(*daemon_);
  ASSERT_TRUE(other.has_value()) << other.error().ToString();
  Munge there((*other)->socket_path());
  auto credential = munge_.Encode("x");
  ASSERT_TRUE(credential.has_value());
  auto decoded = there.Decode(*credential);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  EXPECT_EQ(decoded->uid, getuid());
  EXPECT_TRUE(munge_.Decode(*credential).has_value());
  EXPECT_EQ(there.Decode(*credential).error().code(), ErrorCode::kAuthReplayed);
}

TEST_F(MungeTest, GarbageIsRefused) {
  for (const char* text : {"", "hello", "MUNGE:AAAA:", "MUNGE:not base64 at all!:"}) {
    SCOPED_TRACE(text);
    auto decoded = munge_.Decode(text);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthCredInvalid) << decoded.error().ToString();
  }
}

TEST_F(MungeTest, TamperedCredentialIsRefused) {
  auto credential = munge_.Encode("payload");
  ASSERT_TRUE(credential.has_value());
  std::string tampered = *credential;
  char& c = tampered[tampered.size() / 2];
  c = (c == 'A') ? 'B' : 'A';
  auto decoded = munge_.Decode(tampered);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthCredInvalid) << decoded.error().ToString();
}

TEST_F(MungeTest, UidRestriction) {
  auto mine = munge_.Encode("x", EncodeOptions{.restrict_uid = getuid()});
  ASSERT_TRUE(mine.has_value());
  EXPECT_TRUE(munge_.Decode(*mine).has_value());

  // Not even root decodes a credential restricted to another uid.
  auto theirs = munge_.Encode("x", EncodeOptions{.restrict_uid = getuid() == 0 ? 65534 : 0});
  ASSERT_TRUE(theirs.has_value());
  auto decoded = munge_.Decode(*theirs);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthCredInvalid);
  EXPECT_THAT(decoded.error().message(), HasSubstr("Unauthorized credential"));
}

TEST_F(MungeTest, DaemonDownIsUnavailable) {
  auto credential = munge_.Encode("x");
  ASSERT_TRUE(credential.has_value());
  daemon_->Stop();

  auto encoded = munge_.Encode("x");
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code(), ErrorCode::kAuthUnavailable);
  EXPECT_THAT(encoded.error().message(), StartsWith("Munge encode failed: "));

  auto decoded = munge_.Decode(*credential);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kAuthUnavailable);
}

TEST(MungeNoDaemonTest, MissingSocketIsUnavailable) {
  auto encoded = Munge("/nonexistent-drover-dir/munge.sock").Encode();
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code(), ErrorCode::kAuthUnavailable);
  EXPECT_THAT(encoded.error().message(), HasSubstr("/nonexistent-drover-dir/munge.sock"));
}

}  // namespace
}  // namespace drover::auth
