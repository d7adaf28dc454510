#include "cli/drover/local_cluster_process.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace drover::cli::drover {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class LocalClusterProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover-lc-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (pid_t pid : started_) StopProcess(pid, "", milliseconds(100), seconds(2));
    std::filesystem::remove_all(dir_);
  }
  // A stand-in daemon: `sleep` in its own session, as SpawnDetached starts the real ones.
  pid_t StartSleep() {
    auto pid = SpawnDetached({"/bin/sleep", "600"}, {"PATH=/bin"}, dir_ + "/sleep.out");
    EXPECT_TRUE(pid.has_value()) << pid.error().ToString();
    started_.push_back(*pid);
    return *pid;
  }
  std::string dir_;
  std::vector<pid_t> started_;
};

TEST_F(LocalClusterProcess, PidFileRoundTrips) {
  std::string path = dir_ + "/x.pid";
  EXPECT_FALSE(ReadPidFile(path).has_value());
  ASSERT_TRUE(WritePidFile(path, 4242).has_value());
  EXPECT_EQ(ReadPidFile(path), 4242);
  std::ofstream(path) << "  77\n";
  EXPECT_EQ(ReadPidFile(path), 77);
  std::ofstream(path) << "junk\n";
  EXPECT_FALSE(ReadPidFile(path).has_value());
  std::ofstream(path) << "1\n";  // never init
  EXPECT_FALSE(ReadPidFile(path).has_value());
}

TEST_F(LocalClusterProcess, RunningChecksTheProgramSoAReusedPidIsNotOurs) {
  pid_t pid = StartSleep();
  EXPECT_TRUE(ProcessRunning(pid, "/bin/sleep"));
  EXPECT_TRUE(ProcessRunning(pid, "/elsewhere/sleep"));  // by base name
  EXPECT_TRUE(ProcessRunning(pid, ""));
  EXPECT_FALSE(ProcessRunning(pid, "/b/bin/droverd"));
  EXPECT_EQ(getsid(pid), pid);  // its own session, away from the terminal
  ASSERT_TRUE(WritePidFile(dir_ + "/s.pid", pid).has_value());
  EXPECT_EQ(RunningFromPidFile(dir_ + "/s.pid", "/bin/sleep"), pid);
  EXPECT_FALSE(RunningFromPidFile(dir_ + "/s.pid", "/x/munged").has_value());
  EXPECT_FALSE(RunningFromPidFile(dir_ + "/missing.pid", "/bin/sleep").has_value());
}

TEST_F(LocalClusterProcess, OnlyTheKilledStandInNeedsARestart) {
  pid_t a = StartSleep();
  pid_t b = StartSleep();
  ASSERT_TRUE(WritePidFile(dir_ + "/a.pid", a).has_value());
  ASSERT_TRUE(WritePidFile(dir_ + "/b.pid", b).has_value());
  kill(b, SIGKILL);
  // A killed child stays a zombie until reaped: it counts as not running either way.
  for (int i = 0; i < 200 && ProcessRunning(b, "/bin/sleep"); ++i) usleep(10000);
  EXPECT_TRUE(RunningFromPidFile(dir_ + "/a.pid", "/bin/sleep").has_value());
  EXPECT_FALSE(RunningFromPidFile(dir_ + "/b.pid", "/bin/sleep").has_value());
  EXPECT_EQ(ChildEnded(b), "killed by signal 9");
}

TEST_F(LocalClusterProcess, StopEndsTheProcess) {
  pid_t pid = StartSleep();
  EXPECT_TRUE(StopProcess(pid, "/bin/sleep", seconds(5), seconds(5)));
  EXPECT_FALSE(ProcessRunning(pid, "/bin/sleep"));
  EXPECT_TRUE(StopProcess(pid, "/bin/sleep", seconds(1), seconds(1)));  // already gone
}

TEST_F(LocalClusterProcess, StopEscalatesToSigkill) {
  // A stand-in that ignores SIGTERM.
  auto pid = SpawnDetached({"/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done"},
                           {"PATH=/bin"}, dir_ + "/stubborn.out");
  ASSERT_TRUE(pid.has_value());
  started_.push_back(*pid);
  usleep(200000);  // let the shell install its trap
  EXPECT_TRUE(StopProcess(*pid, "", milliseconds(300), seconds(5)));
  EXPECT_FALSE(ProcessRunning(*pid, ""));
}

TEST_F(LocalClusterProcess, SpawnReportsAMissingProgram) {
  auto pid = SpawnDetached({dir_ + "/no-such-daemon"}, {}, dir_ + "/x.out");
  ASSERT_FALSE(pid.has_value());
  EXPECT_NE(pid.error().message().find("No such file"), std::string::npos) << pid.error().message();
}

TEST_F(LocalClusterProcess, SpawnedOutputGoesToTheConsoleFile) {
  auto pid =
      SpawnDetached({"/bin/sh", "-c", "echo out; echo err >&2"}, {"PATH=/bin"}, dir_ + "/console");
  ASSERT_TRUE(pid.has_value());
  for (int i = 0; i < 500 && !ChildEnded(*pid); ++i) usleep(10000);
  std::ifstream in(dir_ + "/console");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "out\nerr\n");
  EXPECT_NE(TailFile(dir_ + "/console", 1).find("err"), std::string::npos);
}

TEST_F(LocalClusterProcess, RunCommandCapturesAndTimesOut) {
  auto ran = RunCommand({"/bin/sh", "-c", "echo \"$X\"; exit 3"}, {"X=hello"}, seconds(10));
  ASSERT_TRUE(ran.has_value());
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_EQ(ran->out, "hello\n");
  auto slow = RunCommand({"/bin/sleep", "30"}, {}, milliseconds(200));
  ASSERT_TRUE(slow.has_value());
  EXPECT_EQ(slow->exit_code, -1);
}

TEST_F(LocalClusterProcess, SocketProbes) {
  EXPECT_FALSE(UnixSocketAccepts(dir_ + "/none.sock"));
  EXPECT_FALSE(TcpPortAccepts(1));  // nothing listens on tcpmux here
}

}  // namespace
}  // namespace drover::cli::drover
