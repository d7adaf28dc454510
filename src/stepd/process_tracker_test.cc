#include "stepd/process_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stepd/cgroup_fs.h"
#include "stepd/stepd_test_util.h"

namespace drover::stepd {
namespace {

using ::testing::Contains;
using testing::MakeTracker;
using testing::WaitUntil;

// A child that joins the tracker the way StepRunner's does, then sleeps.
pid_t ForkSleeper(ProcessTracker& tracker) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (tracker.EnterFromChild() != 0) ::_exit(99);
    ::execl("/bin/sleep", "sleep", "100", static_cast<char*>(nullptr));
    ::_exit(98);
  }
  return pid;
}

class TrackerTest : public ::testing::TestWithParam<TrackerKind> {
 protected:
  void SetUp() override {
    auto tracker = MakeTracker(GetParam());
    if (!tracker) {
      GTEST_SKIP() << "not usable here: " << tracker.error().ToString();
    }
    tracker_ = std::move(tracker).value();
  }
  void TearDown() override {
    if (tracker_) {
      EXPECT_TRUE(tracker_->Destroy().has_value());
    }
    for (pid_t pid : children_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  pid_t Spawn() {
    pid_t pid = ForkSleeper(*tracker_);
    children_.push_back(pid);
    EXPECT_TRUE(tracker_->Add(pid).has_value());
    return pid;
  }
  int Reap(pid_t pid) {
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    std::erase(children_, pid);
    return status;
  }

  std::unique_ptr<ProcessTracker> tracker_;
  std::vector<pid_t> children_;
};

TEST_P(TrackerTest, KindIsWhatWasAskedFor) { EXPECT_EQ(tracker_->kind(), GetParam()); }

TEST_P(TrackerTest, TracksSignalsAndEmpties) {
  EXPECT_TRUE(tracker_->Empty());
  pid_t pid = Spawn();
  ASSERT_TRUE(WaitUntil([&] {
    auto pids = tracker_->Pids();
    return pids && std::find(pids->begin(), pids->end(), pid) != pids->end();
  }));
  EXPECT_FALSE(tracker_->Empty());
  ASSERT_TRUE(tracker_->Signal(SIGTERM).has_value());
  int status = Reap(pid);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return tracker_->Empty(); }));
}

TEST_P(TrackerTest, DestroyKillsWhatIsLeft) {
  pid_t a = Spawn();
  pid_t b = Spawn();
  ASSERT_TRUE(WaitUntil([&] {
    auto pids = tracker_->Pids();
    return pids && pids->size() == 2;
  }));
  // Destroy waits for the processes to be gone; our own children stay zombies until
  // reaped, which every back end treats as gone.
  EXPECT_TRUE(tracker_->Destroy().has_value());
  EXPECT_TRUE(WIFSIGNALED(Reap(a)));
  EXPECT_TRUE(WIFSIGNALED(Reap(b)));
  EXPECT_TRUE(tracker_->Empty());
  EXPECT_TRUE(tracker_->Destroy().has_value());  // idempotent
}

TEST_P(TrackerTest, SignalOnEmptyStepSucceeds) {
  EXPECT_TRUE(tracker_->Signal(SIGTERM).has_value());
}

INSTANTIATE_TEST_SUITE_P(Kinds, TrackerTest,
                         ::testing::Values(TrackerKind::kCgroupV1, TrackerKind::kCgroupV2,
                                           TrackerKind::kProcessGroup),
                         [](const auto& info) { return testing::KindParamName(info.param); });

// A supervisor killed between freezing its step and thawing it leaves the processes
// behind, frozen; KillLeftoverContainers finds the cgroups by name, thaws and kills.
class LeftoverTest : public ::testing::TestWithParam<TrackerKind> {};

TEST_P(LeftoverTest, KillsWhatADeadSupervisorLeftFrozen) {
  // The same check TrackerTest makes: without a writable hierarchy of this kind there is
  // nothing a supervisor could leave behind.
  if (auto probe = MakeTracker(GetParam()); !probe) {
    GTEST_SKIP() << "not usable here: " << probe.error().ToString();
  } else {
    ASSERT_TRUE((*probe)->Destroy().has_value());
  }
  const std::string prefix = "drvleft_" + std::to_string(::getpid()) + "_";
  const std::string name = prefix + "batch";
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t supervisor = ::fork();
  if (supervisor == 0) {
    ::close(report[0]);
    auto tracker = MakeTracker(GetParam(), {.name = name});
    if (!tracker) ::_exit(77);
    pid_t sleeper = ForkSleeper(**tracker);
    (void)(*tracker)->Add(sleeper);
    // Freeze it as Signal() does, then die without thawing or destroying anything.
    std::string freeze_file;
    if (GetParam() == TrackerKind::kCgroupV1) {
      freeze_file = *FindCgroupV1Mount("freezer") + *OwnCgroupPath("freezer") + "/" + name +
                    "/freezer.state";
      (void)WriteSmallFile(freeze_file, "FROZEN");
    } else {
      std::string own = *OwnCgroupPath("");
      (void)WriteSmallFile(*FindCgroupV2Mount() + (own == "/" ? "" : own) + "/" + name +
                               "/cgroup.freeze",
                           "1");
    }
    (void)!::write(report[1], &sleeper, sizeof sleeper);
    ::_exit(0);
  }
  ::close(report[1]);
  pid_t sleeper = 0;
  ssize_t got = ::read(report[0], &sleeper, sizeof sleeper);
  ::close(report[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(supervisor, &status, 0), supervisor);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the supervisor could not make its tracker (status " << status << ")";
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof sleeper));
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, sleeper, 0));
  ASSERT_GE(pidfd, 0);
  EXPECT_TRUE(ProcessAlive(sleeper));

  auto killed = KillLeftoverContainers(prefix, std::chrono::seconds(5));
  ASSERT_TRUE(killed.has_value()) << killed.error().ToString();
  EXPECT_GE(*killed, 1u);
  struct pollfd p = {pidfd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 10000), 1) << "the frozen sleeper outlived the cleanup";
  ::close(pidfd);
  // Nothing is left to find.
  auto again = KillLeftoverContainers(prefix, std::chrono::seconds(1));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, LeftoverTest,
                         ::testing::Values(TrackerKind::kCgroupV1, TrackerKind::kCgroupV2),
                         [](const auto& info) { return testing::KindParamName(info.param); });

TEST(CgroupFsTest, ParsesPidListsAndKeyedFiles) {
  EXPECT_EQ(ParsePidList("12\n345\n"), (std::vector<pid_t>{12, 345}));
  EXPECT_TRUE(ParsePidList("").empty());
  EXPECT_EQ(KeyedValue("oom 1\noom_kill 3\n", "oom_kill"), 3);
  EXPECT_EQ(KeyedValue("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", "oom_kill"), 0);
  EXPECT_EQ(KeyedValue("populated 1\nfrozen 0\n", "frozen"), 0);
}

TEST(CgroupFsTest, ListsOurselves) {
  auto procs = ListProcesses();
  bool found = false;
  for (const auto& p : procs) {
    if (p.pid == ::getpid()) {
      found = true;
      EXPECT_EQ(p.ppid, ::getppid());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(ProcessAlive(::getpid()));
}

// The factory's choice on this machine, printed so a reader of the test log sees which
// back end the runner tests exercised by default.
TEST(TrackerFactoryTest, PicksBestUsable) {
  TrackerOptions options;
  options.name = testing::UniqueName("best");
  auto tracker = CreateBestTracker(options);
  ASSERT_TRUE(tracker.has_value()) << tracker.error().ToString();
  std::cout << "[ INFO     ] best tracker here: " << TrackerKindName((*tracker)->kind()) << "\n";
  auto v2_full = CreateCgroupV2Tracker(testing::NamedOptions("v2full"), true);
  if (v2_full) {
    EXPECT_EQ((*tracker)->kind(), TrackerKind::kCgroupV2);
  } else {
    std::cout << "[ INFO     ] " << v2_full.error().message() << "\n";
    if (FindCgroupV1Mount("freezer").has_value()) {
      EXPECT_EQ((*tracker)->kind(), TrackerKind::kCgroupV1);
    }
  }
  EXPECT_TRUE((*tracker)->Destroy().has_value());
}

TEST(TrackerFactoryTest, LimitsNeedACgroup) {
  TrackerOptions options;
  options.name = testing::UniqueName("limit");
  options.memory_limit_bytes = 64ull << 20;
  auto tracker = CreateBestTracker(options);
  if (!tracker) {
    GTEST_SKIP() << "no cgroup with a memory controller here: " << tracker.error().ToString();
  }
  EXPECT_NE((*tracker)->kind(), TrackerKind::kProcessGroup);
}

// v2 with the memory controller delegated: production's usual set-up. This machine's
// cgroup2 mount has no controllers, so this part is skipped here (and says why).
TEST(CgroupV2ControllersTest, MemoryLimitNeedsDelegatedController) {
  TrackerOptions options;
  options.name = testing::UniqueName("v2mem");
  options.memory_limit_bytes = 64ull << 20;
  auto tracker = CreateCgroupV2Tracker(options, /*require_controllers=*/true);
  if (!tracker) {
    GTEST_SKIP() << tracker.error().ToString();
  }
  EXPECT_EQ((*tracker)->kind(), TrackerKind::kCgroupV2);
  EXPECT_FALSE((*tracker)->OomKilled());
  EXPECT_TRUE((*tracker)->Destroy().has_value());
}

TEST(TrackerValidationTest, RejectsNamesWithSlashes) {
  TrackerOptions slash;
  slash.name = "a/b";
  EXPECT_FALSE(CreateCgroupV1Tracker(slash).has_value());
  EXPECT_FALSE(CreateCgroupV2Tracker(TrackerOptions{}, false).has_value());
}

}  // namespace
}  // namespace drover::stepd
