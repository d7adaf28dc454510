#include "stepd/step_runner.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "stepd/cgroup_fs.h"
#include "stepd/stepd_test_util.h"

namespace drover::stepd {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;
using testing::MakeTracker;
using testing::ReadFile;
using ::testing::StartsWith;
using testing::TempDir;
using testing::WaitUntil;

constexpr milliseconds kShortLimit{1000};
constexpr milliseconds kShortKillWait{1000};

class StepRunnerTest : public ::testing::TestWithParam<TrackerKind> {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "these tests change user and need root";
    }
    user_ = testing::Nobody();
    dir_ = std::make_unique<TempDir>(user_.uid, user_.gid);
    auto probe = MakeTracker(GetParam());
    if (!probe) {
      GTEST_SKIP() << "not usable here: " << probe.error().ToString();
    }
  }

  LaunchSpec Spec(std::vector<std::string> argv) {
    LaunchSpec spec;
    spec.argv = std::move(argv);
    spec.cwd = dir_->path();
    spec.env = {"PATH=/usr/bin:/bin", "HOME=/nonexistent"};
    spec.uid = user_.uid;
    spec.gid = user_.gid;
    spec.user = user_.name;
    spec.stdout_path = *dir_ / "out.txt";
    spec.stderr_path = *dir_ / "err.txt";
    spec.time_limit = seconds(30);  // a safety net; no test should come near it
    spec.kill_wait = kShortKillWait;
    spec.unkillable_timeout = seconds(5);
    return spec;
  }

  StepResult Run(LaunchSpec spec, std::unique_ptr<ProcessTracker> tracker = nullptr) {
    if (!tracker) tracker = MakeTracker(GetParam()).value();
    auto runner = StepRunner::Start(std::move(spec), std::move(tracker));
    EXPECT_TRUE(runner.has_value()) << runner.error().ToString();
    if (!runner) return {};
    return (*runner)->Wait();
  }

  testing::TestUser user_;
  std::unique_ptr<TempDir> dir_;
};

TEST_P(StepRunnerTest, ExitCodeAndOutputFilesOwnedByUser) {
  auto result = Run(Spec({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}));
  EXPECT_EQ(result.state, JobState::kFailed);
  EXPECT_EQ(result.exit_code, (ExitCode{3, 0}));
  EXPECT_FALSE(result.unkillable);
  EXPECT_TRUE(result.launch_error.empty()) << result.launch_error;
  EXPECT_EQ(ReadFile(*dir_ / "out.txt"), "out\n");
  EXPECT_EQ(ReadFile(*dir_ / "err.txt"), "err\n");
  EXPECT_EQ(testing::OwnerOf(*dir_ / "out.txt"), user_.uid);
  EXPECT_EQ(testing::OwnerOf(*dir_ / "err.txt"), user_.uid);
}

TEST_P(StepRunnerTest, SuccessRunsInCwdAsUserWithEnv) {
  auto spec = Spec({"sh", "-c", "pwd; id -u; id -G; echo $FOO; echo $SLURM_TASK_PID $$"});
  spec.env.push_back("FOO=bar");
  spec.stderr_path.clear();  // stderr joins stdout
  spec.groups = std::vector<gid_t>{user_.gid, 4242};
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kCompleted);
  EXPECT_EQ(result.exit_code, (ExitCode{0, 0}));
  auto out = ReadFile(*dir_ / "out.txt");
  EXPECT_THAT(out, StartsWith(dir_->path() + "\n" + std::to_string(user_.uid) + "\n"));
  EXPECT_THAT(out, HasSubstr("4242"));
  EXPECT_THAT(out, HasSubstr("\nbar\n"));
  EXPECT_THAT(out, HasSubstr(fmt::format("{0} {0}\n", result.pid)));
}

TEST_P(StepRunnerTest, TimeLimitSendsTermAndEndsTimeout) {
  auto spec = Spec({"/bin/sleep", "100"});
  spec.time_limit = kShortLimit;
  spec.job_id = 42;
  spec.node_name = "n1";
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kTimeout);
  EXPECT_EQ(result.exit_code, (ExitCode{0, SIGTERM}));
  EXPECT_GE(result.elapsed, kShortLimit);
  // TERM was enough: the exit says SIGTERM, not SIGKILL (a wall-clock bound here failed
  // on a loaded machine without telling anything more).
  EXPECT_THAT(ReadFile(*dir_ / "err.txt"),
              ::testing::MatchesRegex("slurmstepd: error: \\*\\*\\* JOB 42 ON n1 CANCELLED AT "
                                      "[0-9T:-]+ DUE TO TIME LIMIT \\*\\*\\*\n"));
}

TEST_P(StepRunnerTest, TimeLimitEscalatesToKillAfterKillWait) {
  // Ignoring SIGTERM is inherited by sleep across exec.
  auto spec = Spec({"/bin/sh", "-c", "trap '' TERM; sleep 100; echo not reached"});
  spec.time_limit = kShortLimit;
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kTimeout);
  EXPECT_EQ(result.exit_code, (ExitCode{0, SIGKILL}));
  EXPECT_GE(result.elapsed, kShortLimit + kShortKillWait);
  EXPECT_LT(result.elapsed, kShortLimit + kShortKillWait + seconds(3));
  EXPECT_EQ(ReadFile(*dir_ / "out.txt"), "");
}

TEST_P(StepRunnerTest, CancelFromAnotherThread) {
  auto spec = Spec({"/bin/sleep", "100"});
  spec.job_id = 7;
  spec.node_name = "n2";
  auto runner = StepRunner::Start(spec, MakeTracker(GetParam()).value());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  std::thread canceller([&] { (*runner)->Cancel(); });
  auto result = (*runner)->Wait();
  canceller.join();
  EXPECT_EQ(result.state, JobState::kCancelled);
  EXPECT_EQ(result.exit_code, (ExitCode{0, SIGTERM}));
  EXPECT_LT(result.elapsed, seconds(5));
  EXPECT_THAT(ReadFile(*dir_ / "err.txt"), HasSubstr("*** JOB 7 ON n2 CANCELLED AT "));
  (*runner)->Cancel();  // after the end: a no-op
  EXPECT_FALSE((*runner)->Signal(SIGTERM).has_value());
}

TEST_P(StepRunnerTest, TerminateForTheTimeLimitSaysSoAndEndsTimeout) {
  // The controller ended the job for its time limit (its limit was shortened, so this
  // runner's own timer is far away).
  auto spec = Spec({"/bin/sleep", "100"});
  spec.job_id = 9;
  spec.node_name = "n3";
  auto runner = StepRunner::Start(spec, MakeTracker(GetParam()).value());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  (*runner)->Terminate(TerminateReason::kTimeLimit);
  (*runner)->Cancel();  // a later request does not change why
  auto result = (*runner)->Wait();
  EXPECT_EQ(result.state, JobState::kTimeout);
  EXPECT_EQ(result.exit_code, (ExitCode{0, SIGTERM}));
  EXPECT_THAT(ReadFile(*dir_ / "err.txt"),
              ::testing::MatchesRegex("slurmstepd: error: \\*\\*\\* JOB 9 ON n3 CANCELLED AT "
                                      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} "
                                      "DUE TO TIME LIMIT \\*\\*\\*\n"));
}

TEST_P(StepRunnerTest, TerminateForANodeFailureSaysSo) {
  auto spec = Spec({"/bin/sleep", "100"});
  spec.job_id = 10;
  spec.node_name = "n4";
  auto runner = StepRunner::Start(spec, MakeTracker(GetParam()).value());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  (*runner)->Terminate(TerminateReason::kNodeFail);
  auto result = (*runner)->Wait();
  EXPECT_EQ(result.state, JobState::kCancelled);
  EXPECT_THAT(ReadFile(*dir_ / "err.txt"), HasSubstr(" DUE TO NODE FAILURE ***\n"));
}

TEST_P(StepRunnerTest, SignalReachesTheTask) {
  // The task says when its trap is set, through a FIFO we can wait on.
  std::string fifo = *dir_ / "ready";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  ASSERT_EQ(::chown(fifo.c_str(), user_.uid, user_.gid), 0);
  auto spec = Spec({"/bin/sh", "-c",
                    "trap 'echo got usr1; exit 7' USR1; echo ready > " + fifo +
                        "; while :; do sleep 0.05; done"});
  auto runner = StepRunner::Start(spec, MakeTracker(GetParam()).value());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  std::string got;
  ASSERT_TRUE(WaitUntil([&] {
    char buf[16];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) got.append(buf, n);
    return got == "ready\n";
  }));
  ::close(fd);
  std::thread signaller([&] { EXPECT_TRUE((*runner)->Signal(SIGUSR1, false).has_value()); });
  signaller.join();
  auto result = (*runner)->Wait();
  EXPECT_EQ(result.state, JobState::kFailed);
  EXPECT_EQ(result.exit_code, (ExitCode{7, 0}));
  EXPECT_EQ(ReadFile(*dir_ / "out.txt"), "got usr1\n");
}

// The tracking test: a daemon that double-forks away (setsid + fork) from a task that
// then exits must still die with the step.
TEST_P(StepRunnerTest, DoubleForkedDaemonIsKilledAtStepEnd) {
  std::string pidfile = *dir_ / "daemon.pid";
  std::string script = "(setsid sh -c 'echo $$ > " + pidfile +
                       "; exec sleep 100' &) ; "
                       "while [ ! -s " +
                       pidfile + " ]; do sleep 0.01; done; exit 0";
  auto result = Run(Spec({"/bin/sh", "-c", script}));
  EXPECT_EQ(result.state, JobState::kCompleted);
  EXPECT_EQ(result.exit_code, (ExitCode{0, 0}));
  EXPECT_FALSE(result.unkillable);
  std::string text = ReadFile(pidfile);
  ASSERT_FALSE(text.empty());
  pid_t daemon = std::stoi(text);
  ASSERT_GT(daemon, 1);
  // Wait() returns only once the step is empty: the daemon is already gone (or a zombie
  // of ours to reap, when this test process is a subreaper).
  EXPECT_FALSE(ProcessAlive(daemon));
  testing::ReapIfChild(daemon);
  if (ProcessAlive(daemon)) ::kill(daemon, SIGKILL);  // never leave it behind
}

TEST_P(StepRunnerTest, UnreadableCwdFailsWithErrorInStderr) {
  std::string locked = *dir_ / "locked";
  ASSERT_EQ(::mkdir(locked.c_str(), 0700), 0);  // root's; nobody may not enter
  auto spec = Spec({"/bin/sh", "-c", "echo should not run"});
  spec.cwd = locked;
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kFailed);
  EXPECT_EQ(result.exit_code, (ExitCode{1, 0}));
  EXPECT_THAT(result.launch_error, HasSubstr("couldn't chdir to `" + locked + "'"));
  EXPECT_EQ(ReadFile(*dir_ / "err.txt"),
            "slurmstepd: error: couldn't chdir to `" + locked + "': Permission denied\n");
  EXPECT_EQ(ReadFile(*dir_ / "out.txt"), "");
}

TEST_P(StepRunnerTest, UnreadableCwdCanFallBackToTmp) {
  std::string locked = *dir_ / "locked";
  ASSERT_EQ(::mkdir(locked.c_str(), 0700), 0);
  auto spec = Spec({"/bin/sh", "-c", "pwd"});
  spec.cwd = locked;
  spec.bad_cwd = BadCwd::kUseTmp;
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kCompleted);
  EXPECT_EQ(ReadFile(*dir_ / "out.txt"), "/tmp\n");
  EXPECT_THAT(ReadFile(*dir_ / "err.txt"), HasSubstr("Permission denied: going to /tmp instead\n"));
}

TEST_P(StepRunnerTest, AppendAndTruncateModes) {
  std::string out = *dir_ / "out.txt";
  {
    std::ofstream f(out);
    f << "old\n";
  }
  ASSERT_EQ(::chown(out.c_str(), user_.uid, user_.gid), 0);
  auto spec = Spec({"/bin/sh", "-c", "echo new"});
  spec.open_mode = OpenMode::kAppend;
  EXPECT_EQ(Run(spec).state, JobState::kCompleted);
  EXPECT_EQ(ReadFile(out), "old\nnew\n");
  spec.open_mode = OpenMode::kTruncate;
  EXPECT_EQ(Run(spec).state, JobState::kCompleted);
  EXPECT_EQ(ReadFile(out), "new\n");
}

TEST_P(StepRunnerTest, RelativeOutputPathsAreUnderCwd) {
  auto spec = Spec({"/bin/sh", "-c", "echo hi"});
  spec.stdout_path = "rel.out";
  spec.stderr_path.clear();
  EXPECT_EQ(Run(spec).state, JobState::kCompleted);
  EXPECT_EQ(ReadFile(*dir_ / "rel.out"), "hi\n");
}

TEST_P(StepRunnerTest, OutputFileTheUserMayNotWriteFails) {
  auto spec = Spec({"/bin/sh", "-c", "echo hi"});
  spec.stdout_path = "/proc/version";  // exists, not writable by anyone
  spec.stderr_path.clear();
  auto result = Run(spec);
  EXPECT_EQ(result.state, JobState::kFailed);
  EXPECT_THAT(result.launch_error, HasSubstr("Could not open stdout file /proc/version"));
}

TEST_P(StepRunnerTest, MissingProgramFailsWithErrno) {
  auto result = Run(Spec({"/nonexistent/program"}));
  EXPECT_EQ(result.state, JobState::kFailed);
  EXPECT_EQ(result.exit_code, (ExitCode{ENOENT, 0}));
  EXPECT_EQ(ReadFile(*dir_ / "err.txt"),
            "slurmstepd: error: execve(): /nonexistent/program: No such file or directory\n");
}

INSTANTIATE_TEST_SUITE_P(Kinds, StepRunnerTest,
                         ::testing::Values(TrackerKind::kCgroupV1, TrackerKind::kCgroupV2,
                                           TrackerKind::kProcessGroup),
                         [](const auto& info) { return testing::KindParamName(info.param); });

// A tracker whose step never empties: what a process stuck in the kernel looks like.
class StuckTracker final : public ProcessTracker {
 public:
  TrackerKind kind() const override { return TrackerKind::kProcessGroup; }
  int EnterFromChild() noexcept override { return 0; }
  Status Add(pid_t pid) override {
    pid_ = pid;
    return Ok();
  }
  Status Signal(int sig) override {
    ::kill(pid_, sig);
    return Ok();
  }
  Result<std::vector<pid_t>> Pids() override { return std::vector<pid_t>{pid_}; }
  Status Destroy() override { return Ok(); }

 private:
  pid_t pid_ = -1;
};

TEST(StepRunnerUnkillableTest, ReportsUnkillableAfterTimeout) {
  TempDir dir;
  LaunchSpec spec;
  spec.argv = {"/bin/sleep", "100"};
  spec.cwd = dir.path();
  spec.uid = ::geteuid();
  spec.gid = ::getegid();
  spec.groups = std::vector<gid_t>{spec.gid};
  spec.time_limit = milliseconds(200);
  spec.kill_wait = milliseconds(100);
  spec.unkillable_timeout = milliseconds(300);
  auto runner = StepRunner::Start(spec, std::make_unique<StuckTracker>());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  auto result = (*runner)->Wait();
  EXPECT_TRUE(result.unkillable);
  EXPECT_EQ(result.state, JobState::kTimeout);
  // The task dies of SIGTERM at the limit; the leftovers it "keeps" get SIGKILL at once
  // (the task is gone, so is the step) and are given up on UnkillableStepTimeout later.
  EXPECT_GE(result.elapsed, milliseconds(500));
  EXPECT_LT(result.elapsed, seconds(5));
  EXPECT_EQ(kUnkillableReason, "Kill task failed");
}

TEST(StepRunnerStartTest, RejectsEmptyArgvAndMissingTracker) {
  LaunchSpec spec;
  spec.uid = ::geteuid();
  spec.gid = ::getegid();
  EXPECT_FALSE(StepRunner::Start(spec, std::make_unique<StuckTracker>()).has_value());
  spec.argv = {"/bin/true"};
  EXPECT_FALSE(StepRunner::Start(spec, nullptr).has_value());
}

TEST(StepRunnerStartTest, DestructorWithoutWaitKillsTheTask) {
  TempDir dir;
  LaunchSpec spec;
  spec.argv = {"/bin/sleep", "100"};
  spec.cwd = dir.path();
  spec.uid = ::geteuid();
  spec.gid = ::getegid();
  spec.groups = std::vector<gid_t>{spec.gid};
  auto tracker = CreateBestTracker(testing::NamedOptions("dtor"));
  ASSERT_TRUE(tracker.has_value()) << tracker.error().ToString();
  auto runner = StepRunner::Start(spec, std::move(tracker).value());
  ASSERT_TRUE(runner.has_value());
  pid_t pid = (*runner)->pid();
  runner->reset();
  EXPECT_FALSE(ProcessAlive(pid));
}

// OUT_OF_MEMORY needs a memory controller: v1 here, v2 where delegated.
TEST(StepRunnerOomTest, MemoryLimitKillIsOutOfMemory) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root";
  }
  TempDir dir;
  TrackerOptions options;
  options.name = testing::UniqueName("oom");
  options.memory_limit_bytes = 16ull << 20;
  auto tracker = CreateBestTracker(options);
  if (!tracker) {
    GTEST_SKIP() << "no memory controller: " << tracker.error().ToString();
  }
  LaunchSpec spec;
  // dd fills a 256 MiB buffer: far over the 16 MiB limit, so the kernel OOM-kills it.
  spec.argv = {"/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1"};
  spec.cwd = dir.path();
  spec.uid = ::geteuid();
  spec.gid = ::getegid();
  spec.groups = std::vector<gid_t>{spec.gid};
  spec.time_limit = seconds(30);
  auto runner = StepRunner::Start(spec, std::move(tracker).value());
  ASSERT_TRUE(runner.has_value()) << runner.error().ToString();
  auto result = (*runner)->Wait();
  EXPECT_EQ(result.state, JobState::kOutOfMemory);
  EXPECT_EQ(result.exit_code, (ExitCode{0, SIGKILL}));
}

}  // namespace
}  // namespace drover::stepd
