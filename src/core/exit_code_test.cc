#include "core/exit_code.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <vector>

namespace drover {
namespace {

// Wait statuses composed by hand in the Linux layout (exit << 8 | signal | core 0x80).
TEST(ExitCodeTest, FromWaitStatus) {
  struct Case {
    int status;
    const char* printed;
  } cases[] = {
      {0, "0:0"},                      // exit 0
      {1 << 8, "1:0"},                 // exit 1
      {3 << 8, "3:0"},                 // sacct reference: fail_job "3:0"
      {255 << 8, "255:0"},             // exit -1
      {SIGKILL, "0:9"},                // scancel -s KILL
      {SIGTERM, "0:15"},               // scancel
      {SIGSEGV | 0x80, "0:11"},        // core dumped: bit dropped, as Slurm prints it
      {(SIGSTOP << 8) | 0x7f, "0:0"},  // stopped, not an end
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ExitCode::FromWaitStatus(c.status).ToString(), c.printed) << c.status;
  }
}

TEST(ExitCodeTest, AgreesWithTheCLibraryMacros) {
  for (int status : {0, 1 << 8, 42 << 8, SIGINT, SIGKILL, SIGABRT | 0x80}) {
    ExitCode code = ExitCode::FromWaitStatus(status);
    if (WIFEXITED(status)) {
      EXPECT_EQ(code.exit_status, WEXITSTATUS(status));
      EXPECT_EQ(code.signal, 0);
    } else {
      ASSERT_TRUE(WIFSIGNALED(status));
      EXPECT_EQ(code.exit_status, 0);
      EXPECT_EQ(code.signal, WTERMSIG(status));
    }
  }
}

TEST(ExitCodeTest, FromARealChild) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) _exit(7);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(ExitCode::FromWaitStatus(status), (ExitCode{7, 0}));
}

TEST(ExitCodeTest, ParsesWhatItPrints) {
  struct Case {
    const char* text;
    ExitCode code;
  } cases[] = {
      {"0:0", {0, 0}},     {"1:0", {1, 0}},     {"0:9", {0, 9}}, {"0:15", {0, 15}},
      {"255:0", {255, 0}}, {"0:127", {0, 127}}, {"2:1", {2, 1}},
  };
  for (const Case& c : cases) {
    auto parsed = ParseExitCode(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.code) << c.text;
    EXPECT_EQ(parsed->ToString(), c.text);
  }
}

TEST(ExitCodeTest, RejectsMalformed) {
  for (const char* bad : {"", "0", ":", "0:", ":0", "256:0", "0:128", "-1:0", "0:-1", "1:0:0",
                          " 0:0", "0:0 ", "+1:0", "0x1:0", "0001:0", "a:b"}) {
    auto r = ParseExitCode(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), std::string("Invalid exit code: ") + bad);
  }
}

TEST(ExitCodeTest, Succeeded) {
  EXPECT_TRUE(ExitCode{}.Succeeded());
  EXPECT_FALSE((ExitCode{1, 0}).Succeeded());
  EXPECT_FALSE((ExitCode{0, 9}).Succeeded());
}

TEST(ExitCodeTest, DerivedExitCodeIsTheHighestStep) {
  EXPECT_EQ(DerivedExitCode({}), ExitCode{});
  std::vector<ExitCode> steps = {{0, 0}, {0, 9}, {2, 0}, {1, 0}};
  EXPECT_EQ(DerivedExitCode(steps), (ExitCode{2, 0}));
  std::vector<ExitCode> signalled = {{0, 0}, {0, 15}, {0, 9}};
  EXPECT_EQ(DerivedExitCode(signalled), (ExitCode{0, 15}));
  // An exit status outranks a signal, as raw wait statuses compare in Slurm.
  std::vector<ExitCode> mixed = {{0, 64}, {1, 0}};
  EXPECT_EQ(DerivedExitCode(mixed), (ExitCode{1, 0}));
}

RC_GTEST_PROP(ExitCodeProp, PrintParseRoundTrip, ()) {
  ExitCode code{*rc::gen::inRange(0, 256), *rc::gen::inRange(0, 128)};
  auto parsed = ParseExitCode(code.ToString());
  RC_ASSERT(parsed.has_value());
  RC_ASSERT(*parsed == code);
}

RC_GTEST_PROP(ExitCodeProp, WaitStatusRoundTrip, ()) {
  // Every code a process can produce: an exit status, or a signal 1..126.
  bool by_signal = *rc::gen::arbitrary<bool>();
  ExitCode code =
      by_signal ? ExitCode{0, *rc::gen::inRange(1, 127)} : ExitCode{*rc::gen::inRange(0, 256), 0};
  RC_ASSERT(ExitCode::FromWaitStatus(code.ToWaitStatus()) == code);
}

RC_GTEST_PROP(ExitCodeProp, AnyStatusDecodesInRange, (int status)) {
  ExitCode code = ExitCode::FromWaitStatus(status);
  RC_ASSERT(code.exit_status >= 0 && code.exit_status <= 255);
  RC_ASSERT(code.signal >= 0 && code.signal <= 126);
  RC_ASSERT(code.exit_status == 0 || code.signal == 0);
}

}  // namespace
}  // namespace drover
