#include "stepd/node_script.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace drover::stepd {
namespace {

using namespace std::chrono_literals;

class NodeScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/drover_node_script.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Script(const std::string& body) {
    std::string path = dir_ + "/script" + std::to_string(++n_);
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), 0755);
    return path;
  }
  std::string dir_;
  int n_ = 0;
};

TEST_F(NodeScriptTest, RunsWithExactlyTheGivenEnvironmentAndCapturesStdout) {
  ScriptSpec spec;
  spec.path = Script("echo \"A=$A PATH=${PATH-unset}\"; echo to-stderr >&2; exit 3");
  spec.env = {"A=1"};
  spec.max_output = 1024;
  auto r = RunScript(spec);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->Describe(), "exit 3");
  // /bin/sh may supply its own default PATH; what matters is A and nothing on stderr.
  EXPECT_TRUE(r->output.starts_with("A=1 PATH=")) << r->output;
  EXPECT_EQ(r->output.find("to-stderr"), std::string::npos);
}

TEST_F(NodeScriptTest, OutputIsBounded) {
  ScriptSpec spec;
  spec.path = Script("i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done");
  spec.max_output = 100;
  auto r = RunScript(spec);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->ok());
  EXPECT_EQ(r->output.size(), 100u);
}

TEST_F(NodeScriptTest, ATimeoutKillsTheScriptAndWhatItStarted) {
  std::string pid_file = dir_ + "/child.pid";
  ScriptSpec spec;
  spec.path = Script("/bin/sleep 30 & echo $! > " + pid_file + "; wait");
  spec.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  auto r = RunScript(spec);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_FALSE(r->ok());
  EXPECT_EQ(r->Describe(), "timed out");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  std::ifstream in(pid_file);
  pid_t child = 0;
  in >> child;
  ASSERT_GT(child, 0);
  // The background sleep was in the script's session: it is gone too (maybe a zombie of
  // init for a moment).
  for (int i = 0; i < 100 && kill(child, 0) == 0; ++i) std::this_thread::sleep_for(20ms);
  std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
  std::string pid, comm, state;
  if (stat >> pid >> comm >> state) EXPECT_EQ(state, "Z");
}

TEST_F(NodeScriptTest, CancelledKillsTheScript) {
  std::atomic<bool> cancel{false};
  ScriptSpec spec;
  spec.path = Script("exec /bin/sleep 30");
  spec.cancelled = [&] { return cancel.load(); };
  std::thread t([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto r = RunScript(spec);
  t.join();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cancelled);
  EXPECT_FALSE(r->ok());
}

TEST_F(NodeScriptTest, AProgramThatCannotRunExits127) {
  ScriptSpec spec;
  spec.path = dir_ + "/missing";
  auto r = RunScript(spec);
  ASSERT_TRUE(r);
  EXPECT_TRUE(WIFEXITED(r->wait_status));
  EXPECT_EQ(WEXITSTATUS(r->wait_status), 127);
}

}  // namespace
}  // namespace drover::stepd
