// srun --pty without a cluster: the option, the LaunchTasks it sends, and the local
// terminal's raw mode, on a pseudo-terminal this test opens in-process.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "cli/srun/srun.h"
#include "cli/srun/srun_options.h"
#include "cli/srun/terminal.h"
#include "client/recording_client_for_testing.h"

namespace drover::cli::srun {
namespace {

// A pseudo-terminal pair, closed on destruction.
struct Pty {
  Pty() {
    EXPECT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
    fcntl(master, F_SETFL, O_NONBLOCK);
  }
  ~Pty() {
    close(master);
    close(slave);
  }
  void Resize(unsigned short rows, unsigned short cols) const {
    winsize ws{};
    ws.ws_row = rows;
    ws.ws_col = cols;
    ASSERT_EQ(ioctl(slave, TIOCSWINSZ, &ws), 0);
  }
  termios Mode() const {
    termios mode{};
    EXPECT_EQ(tcgetattr(slave, &mode), 0);
    return mode;
  }
  int master = -1;
  int slave = -1;
};

bool SameMode(const termios& a, const termios& b) {
  return a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag && a.c_cflag == b.c_cflag &&
         a.c_lflag == b.c_lflag && std::equal(a.c_cc, a.c_cc + NCCS, b.c_cc);
}

TEST(SrunOptions, PtyIsSrunsOwnAndTheRestIsTheTables) {
  JobOptions options;
  SrunOnlyOptions srun_only;
  std::vector<std::string> argv;
  std::vector<std::string> args = {"-N1", "--pty", "-l", "/bin/bash", "--pty"};
  ASSERT_FALSE(ParseSrunArgs(args, options, srun_only, &argv));
  EXPECT_TRUE(srun_only.pty);
  EXPECT_EQ(options.min_nodes, 1u);
  EXPECT_TRUE(options.label);
  EXPECT_EQ(argv, (std::vector<std::string>{"/bin/bash", "--pty"}));  // the command's own

  SrunOnlyOptions none;
  args = {"-n2", "hostname"};
  ASSERT_FALSE(ParseSrunArgs(args, options, none, &argv));
  EXPECT_FALSE(none.pty);

  args = {"--pty=yes", "bash"};
  auto failure = ParseSrunArgs(args, options, none, &argv);
  ASSERT_TRUE(failure);
  EXPECT_TRUE(failure->usage);
  EXPECT_EQ(failure->error.message(), "option '--pty' doesn't allow an argument");
}

TEST(RawTerminal, EntersRawModeAndRestoresTheSavedOne) {
  Pty pty;
  termios before = pty.Mode();
  ASSERT_TRUE(before.c_lflag & ICANON);
  {
    auto raw = RawTerminal::Enter(pty.slave);
    ASSERT_TRUE(raw) << raw.error().ToString();
    termios now = pty.Mode();
    EXPECT_FALSE(now.c_lflag & (ICANON | ECHO | ISIG | IEXTEN));
    EXPECT_FALSE(now.c_iflag & (ICRNL | IXON));
    EXPECT_FALSE(now.c_oflag & OPOST);
    EXPECT_EQ(now.c_cc[VMIN], 1);
    (*raw)->Restore();
    EXPECT_TRUE(SameMode(pty.Mode(), before));
    // Restoring twice is harmless; so is the destructor after it.
    ASSERT_EQ(tcsetattr(pty.slave, TCSANOW, &now), 0);
    (*raw)->Restore();
    EXPECT_TRUE(SameMode(pty.Mode(), now));
    ASSERT_EQ(tcsetattr(pty.slave, TCSANOW, &before), 0);
  }
  {
    auto raw = RawTerminal::Enter(pty.slave);
    ASSERT_TRUE(raw);
  }  // the destructor restores
  EXPECT_TRUE(SameMode(pty.Mode(), before));
}

TEST(RawTerminal, AFatalSignalRestoresTheTerminalBeforeTheProcessDies) {
  Pty pty;
  termios before = pty.Mode();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto raw = RawTerminal::Enter(pty.slave);
    if (!raw) _exit(1);
    raise(SIGALRM);  // not one srun reads from its signalfd
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGALRM);
  EXPECT_TRUE(SameMode(pty.Mode(), before));
}

TEST(RawTerminal, ANonTerminalIsRefused) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  auto raw = RawTerminal::Enter(fds[0]);
  ASSERT_FALSE(raw);
  EXPECT_EQ(raw.error().code(), ErrorCode::kInvalidArgument);
  close(fds[0]);
  close(fds[1]);
  EXPECT_FALSE(TerminalWindowSize(fds[0]));
}

TEST(TerminalWindowSize, IsTheTerminalsRowsAndColumns) {
  Pty pty;
  pty.Resize(0, 0);
  EXPECT_FALSE(TerminalWindowSize(pty.slave));  // none set
  pty.Resize(30, 100);
  auto size = TerminalWindowSize(pty.slave);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->rows(), 30u);
  EXPECT_EQ(size->cols(), 100u);
}

TEST(CrlfOstream, WritesEachNewlineAsCrLf) {
  std::ostringstream target;
  CrlfOstream out(target);
  out << "srun: error: n1: task 0: Exited with exit code 3\n" << 'a' << '\n' << "b";
  out.flush();
  EXPECT_EQ(target.str(), "srun: error: n1: task 0: Exited with exit code 3\r\na\r\nb");
}

// One node's LaunchTasks call: records the launch and what srun sends after it; replies
// `launched`, then the task's exit with `status` once the test says so (`Finish`).
class ScriptedStream final : public client::StepIoStream {
 public:
  ScriptedStream(std::vector<v1::StepIoRequest>* sent) : sent_(sent) {
    EXPECT_EQ(pipe2(pipe_, O_NONBLOCK | O_CLOEXEC), 0);
    (void)!write(pipe_[1], "x", 1);
  }
  ~ScriptedStream() override {
    close(pipe_[0]);
    close(pipe_[1]);
  }
  int fd() const override { return pipe_[0]; }
  short events() const override { return POLLIN; }
  Status OnReady(short) override {
    char buf[16];
    while (read(pipe_[0], buf, sizeof buf) > 0) {
    }
    if (!launched_) {
      launched_ = true;
      v1::StepIoResponse r;
      r.mutable_launched()->set_node_name("n1");
      r.mutable_launched()->add_tasks()->set_task_id(0);
      replies_.push_back(r);
      v1::StepIoResponse exit;
      exit.mutable_exit()->set_node_name("n1");
      exit.mutable_exit()->add_task_ids(0);
      exit.mutable_exit()->mutable_exit_code()->set_status(3);
      replies_.push_back(exit);
      v1::StepIoResponse done;
      done.mutable_done()->mutable_exit_code()->set_status(3);
      replies_.push_back(done);
      ended_ = true;
    }
    return Ok();
  }
  std::optional<v1::StepIoResponse> TakeReply() override {
    if (replies_.empty()) return std::nullopt;
    v1::StepIoResponse r = replies_.front();
    replies_.erase(replies_.begin());
    return r;
  }
  Status Send(const v1::StepIoRequest& request) override {
    sent_->push_back(request);
    return Ok();
  }
  Status CloseSend() override { return Ok(); }
  bool done() const override { return ended_ && replies_.empty(); }
  Status status() override { return Ok(); }
  void Cancel() override { ended_ = true; }

 private:
  std::vector<v1::StepIoRequest>* sent_;
  int pipe_[2] = {-1, -1};
  bool launched_ = false;
  bool ended_ = false;
  std::vector<v1::StepIoResponse> replies_;
};

class ScriptedDialer final : public client::StepIoDialer {
 public:
  Result<std::unique_ptr<client::StepIoStream>> LaunchTasks(
      std::string_view, const v1::StepIoRequest& launch) override {
    sent.push_back(launch);
    return std::unique_ptr<client::StepIoStream>(new ScriptedStream(&sent));
  }
  std::vector<v1::StepIoRequest> sent;
};

v1::CreateStepResponse OneTaskStep() {
  v1::CreateStepResponse step;
  step.mutable_step_id()->set_job_id(42);
  step.mutable_step_id()->set_step_id(0);
  step.set_credential("cred");
  v1::StepNodeLayout* node = step.mutable_layout()->add_nodes();
  node->mutable_allocation()->set_node_name("n1");
  node->mutable_allocation()->set_address("127.0.0.1");
  node->mutable_allocation()->set_port(1);
  node->add_task_ids(0);
  step.mutable_layout()->set_num_tasks(1);
  return step;
}

struct PtyRun {
  int code = 0;
  std::string err;
  std::vector<v1::StepIoRequest> sent;
};

PtyRun RunWithStdin(int stdin_fd) {
  client::RecordingControllerClient client;
  client.step_replies.push_back(OneTaskStep());
  ScriptedDialer dialer;
  std::ostringstream out, err;
  Invocation inv{"srun", {"--pty", "/bin/bash"}, {{"SLURM_JOB_ID", "42"}}, out, err};
  int code = Run(inv, client, dialer, SrunHooks{stdin_fd, false, "127.0.0.1"});
  return {code, err.str(), dialer.sent};
}

TEST(SrunPty, LaunchAsksForAPtyForTaskZeroWithTheWindowSize) {
  Pty pty;
  pty.Resize(30, 100);
  termios before = pty.Mode();
  PtyRun r = RunWithStdin(pty.slave);
  EXPECT_EQ(r.code, 3);
  ASSERT_FALSE(r.sent.empty());
  ASSERT_TRUE(r.sent[0].has_launch());
  const v1::LaunchTasks& launch = r.sent[0].launch();
  EXPECT_TRUE(launch.pty());
  EXPECT_TRUE(launch.unbuffered());  // implied, as in Slurm
  ASSERT_TRUE(launch.has_stdin_task());
  EXPECT_EQ(launch.stdin_task(), 0u);
  EXPECT_EQ(launch.window_size().rows(), 30u);
  EXPECT_EQ(launch.window_size().cols(), 100u);
  // srun's message was written while its terminal was raw.
  EXPECT_EQ(r.err, "srun: error: n1: task 0: Exited with exit code 3\r\n");
  EXPECT_TRUE(SameMode(pty.Mode(), before));
}

TEST(SrunPty, WithoutATerminalSrunRelaysAndTheNodeStillGetsAPty) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[1]);  // stdin at its end at once
  PtyRun r = RunWithStdin(fds[0]);
  close(fds[0]);
  EXPECT_EQ(r.code, 3);
  ASSERT_FALSE(r.sent.empty());
  EXPECT_TRUE(r.sent[0].launch().pty());
  EXPECT_FALSE(r.sent[0].launch().has_window_size());
  EXPECT_EQ(r.err, "srun: error: n1: task 0: Exited with exit code 3\n");
}

}  // namespace
}  // namespace drover::cli::srun
