// NodeDaemon against a fake controller (a NodeRegistry service in this process) and a
// private munged, launching the real drover-stepd (DROVER_STEPD_PATH) as user nobody.
// Waits are on events (RPCs received, pidfds) with deadlines; TearDown terminates every
// stepd the test started, and SIGKILLs any that does not go.
#include "noded/node_daemon.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/step_credential.h"
#include "drover/v1/node.grpc.pb.h"
#include "noded/node_scripts.h"
#include "noded/spool.h"
#include "noded/step_spool.h"
#include "rpc/auth_client.h"
#include "rpc/auth_server.h"
#include "rpc/status.h"
#include "testing/munge_daemon.h"

namespace drover::noded {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kDeadline = 20s;

// Records what node daemons and stepds report; acknowledges everything.
class FakeController final : public v1::NodeRegistry::Service {
 public:
  explicit FakeController(auth::Munge munge) : munge_(std::move(munge)) {}

  grpc::Status Register(grpc::ServerContext* context, const v1::RegisterNodeRequest* request,
                        v1::RegisterNodeResponse* response) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    response->set_heartbeat_interval_s(1);
    response->set_controller_epoch(7);
    Record([&] { registers_.push_back(*request); });
    return grpc::Status::OK;
  }
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest* request,
                         v1::HeartbeatResponse* response) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    response->set_controller_epoch(7);
    Record([&] { ++heartbeats_; });
    return grpc::Status::OK;
  }
  grpc::Status JobComplete(grpc::ServerContext* context, const v1::JobCompleteRequest* request,
                           v1::JobCompleteResponse*) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    Record([&] {
      completes_.push_back(*request);
      events_.push_back(fmt::format("complete {}", request->job_id()));
    });
    return grpc::Status::OK;
  }
  grpc::Status StepComplete(grpc::ServerContext* context, const v1::StepCompleteRequest* request,
                            v1::StepCompleteResponse*) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    Record([&] {
      step_completes_.push_back(*request);
      events_.push_back(fmt::format("step complete {}.{}", request->step_id().job_id(),
                                    request->step_id().step_id()));
    });
    return grpc::Status::OK;
  }
  std::optional<v1::StepCompleteRequest> WaitStepComplete(uint32_t job_id, uint32_t step_id) {
    std::optional<v1::StepCompleteRequest> found;
    WaitUntil([&] {
      for (const auto& c : step_completes_) {
        if (c.step_id().job_id() == job_id && c.step_id().step_id() == step_id) found = c;
      }
      return found.has_value();
    });
    return found;
  }
  grpc::Status EpilogComplete(grpc::ServerContext* context,
                              const v1::EpilogCompleteRequest* request,
                              v1::EpilogCompleteResponse*) override {
    if (grpc::Status s = Check(*context); !s.ok()) return s;
    Record([&] {
      epilogs_.push_back(*request);
      events_.push_back(fmt::format("epilog {}", request->job_id()));
    });
    return grpc::Status::OK;
  }

  // Waits until `pred` (called under the lock) holds; false at the deadline.
  bool WaitUntil(const std::function<bool()>& pred, std::chrono::seconds timeout = kDeadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, pred);
  }
  std::optional<v1::JobCompleteRequest> WaitComplete(uint32_t job_id) {
    std::optional<v1::JobCompleteRequest> found;
    WaitUntil([&] {
      for (const auto& c : completes_) {
        if (c.job_id() == job_id) found = c;
      }
      return found.has_value();
    });
    return found;
  }

  bool WaitEpilog(uint32_t job_id) {
    return WaitUntil([&] {
      for (const auto& e : epilogs_) {
        if (e.job_id() == job_id) return true;
      }
      return false;
    });
  }

  // Guarded by mu_ (read them inside WaitUntil's predicate or after a wait).
  std::vector<v1::RegisterNodeRequest> registers_;
  std::vector<v1::JobCompleteRequest> completes_;
  std::vector<v1::StepCompleteRequest> step_completes_;
  std::vector<v1::EpilogCompleteRequest> epilogs_;
  std::vector<std::string> events_;  // "complete N", "epilog N" in arrival order
  int heartbeats_ = 0;
  int refused_ = 0;
  std::mutex mu_;

 private:
  grpc::Status Check(grpc::ServerContext& context) {
    rpc::Identity caller;
    grpc::Status s = rpc::AuthenticateCall(context, munge_, &caller);
    if (!s.ok() || caller.uid != 0) {
      Record([&] { ++refused_; });
      return s.ok() ? rpc::ToGrpcStatus(Error(ErrorCode::kAccessDenied)) : s;
    }
    return s;
  }
  void Record(const std::function<void()>& f) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      f();
    }
    cv_.notify_all();
  }

  const auth::Munge munge_;
  std::condition_variable cv_;
};

// A pidfd for `pid`; readable once the process is gone.
int PidFd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
bool WaitExit(int pidfd, std::chrono::milliseconds timeout) {
  struct pollfd pfd = {pidfd, POLLIN, 0};
  return poll(&pfd, 1, static_cast<int>(timeout.count())) == 1;
}

// Waits until the file at `path` contains `needle`, woken by inotify on its directory.
bool WaitForFileContaining(const std::string& path, const std::string& needle,
                           std::chrono::milliseconds timeout) {
  int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (fd < 0) return false;
  std::string dir = path.substr(0, path.rfind('/'));
  inotify_add_watch(fd, dir.c_str(), IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE);
  auto deadline = Clock::now() + timeout;
  bool found = false;
  for (;;) {
    auto text = ReadFile(path);
    if (text && text->find(needle) != std::string::npos) {
      found = true;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    struct pollfd pfd = {fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) > 0) {
      char buf[4096];
      while (read(fd, buf, sizeof buf) > 0) {
      }
    }
  }
  close(fd);
  return found;
}

class NodeDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0u) << "needs root: jobs run as nobody";
    struct passwd* pw = getpwnam("nobody");
    ASSERT_NE(pw, nullptr);
    nobody_uid_ = pw->pw_uid;
    nobody_gid_ = pw->pw_gid;
    auto munged = testing::MungeDaemon::Start();
    ASSERT_TRUE(munged) << munged.error().ToString();
    munged_ = std::move(munged).value();
    munge_ = auth::Munge(munged_->socket_path());

    char tmpl[] = "/tmp/drover_noded_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    chmod(dir_.c_str(), 0755);
    work_dir_ = dir_ + "/work";
    ASSERT_EQ(mkdir(work_dir_.c_str(), 0777), 0);
    chmod(work_dir_.c_str(), 0777);

    controller_ = std::make_unique<FakeController>(munge_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(controller_.get());
    controller_server_ = builder.BuildAndStart();
    ASSERT_NE(controller_server_, nullptr);

    options_.node_name = "n1";
    options_.hostname = "localhost";
    options_.address = "127.0.0.1";
    options_.listen_address = "127.0.0.1:0";
    options_.controller = fmt::format("127.0.0.1:{}", port);
    options_.munge_socket = munged_->socket_path();
    options_.spool_dir = dir_ + "/spool/n1";
    options_.stepd_path = DROVER_STEPD_PATH;
    options_.cpus = 3;
    options_.real_memory_mb = 1234;
    options_.kill_wait = 2s;
    options_.heartbeat_interval = 1000ms;
    options_.rpc_timeout = 2000ms;
    options_.max_backoff = 500ms;
  }

  void TearDown() override {
    // Every stepd still here: terminate it (the fake controller acknowledges its
    // JobComplete, so it exits), SIGKILL it if it does not go.
    std::vector<std::pair<pid_t, int>> stepds;
    std::vector<std::string> dirs;
    for (uint32_t job_id : ListJobDirs(options_.spool_dir)) {
      dirs.push_back(JobDir(options_.spool_dir, job_id));
    }
    for (auto [job_id, step_id] : ListStepDirs(options_.spool_dir)) {
      dirs.push_back(StepDir(options_.spool_dir, job_id, step_id));
    }
    for (const std::string& job_dir : dirs) {
      auto pid_text = ReadFile(job_dir + "/" + kPidFile);
      (void)SendControl(job_dir, "terminate");
      if (pid_text) {
        pid_t pid = std::atoi(pid_text->c_str());
        if (pid > 0) stepds.emplace_back(pid, PidFd(pid));
      }
    }
    for (auto [pid, pidfd] : stepds) {
      if (pidfd < 0) continue;
      if (!WaitExit(pidfd, 15s)) {
        ADD_FAILURE() << "drover-stepd " << pid << " did not exit; killing it";
        kill(pid, SIGKILL);
        WaitExit(pidfd, 5s);
      }
      close(pidfd);
    }
    daemon_.reset();
    if (controller_server_) controller_server_->Shutdown(std::chrono::system_clock::now());
    munged_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void StartDaemon() {
    auto daemon = NodeDaemon::Create(options_);
    ASSERT_TRUE(daemon) << daemon.error().ToString();
    daemon_ = std::move(daemon).value();
    stub_ = v1::NodeControl::NewStub(
        rpc::CreateAuthenticatedChannel(fmt::format("127.0.0.1:{}", daemon_->port()), munge_));
  }

  v1::LaunchBatchRequest BatchJob(uint32_t job_id, const std::string& body) {
    v1::LaunchBatchRequest request;
    v1::JobContext* job = request.mutable_job();
    job->set_job_id(job_id);
    job->set_job_name(fmt::format("test{}", job_id));
    job->mutable_user()->set_uid(nobody_uid_);
    job->mutable_user()->set_name("nobody");
    job->mutable_group()->set_gid(nobody_gid_);
    job->set_partition("debug");
    job->set_cluster("test");
    job->set_node_list("n1");
    job->set_num_tasks(1);
    job->set_submit_dir(work_dir_);
    request.mutable_allocation()->set_node_name("n1");
    request.mutable_allocation()->set_num_cpus(1);
    request.set_script("#!/bin/sh\n" + body + "\n");
    request.add_environment("PATH=/usr/bin:/bin");
    request.add_environment("FOO=bar");
    request.set_work_dir(work_dir_);
    request.set_std_out(fmt::format("{}/job{}.out", work_dir_, job_id));
    return request;
  }

  Status Launch(const v1::LaunchBatchRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kDeadline);
    v1::LaunchBatchResponse response;
    return rpc::ToStatus(stub_->LaunchBatch(&context, request, &response));
  }
  Status Terminate(uint32_t job_id, v1::JobState why = v1::JOB_STATE_CANCELLED) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kDeadline);
    v1::TerminateJobRequest request;
    request.set_job_id(job_id);
    request.set_state(why);
    v1::TerminateJobResponse response;
    return rpc::ToStatus(stub_->TerminateJob(&context, request, &response));
  }
  pid_t StepdPid(uint32_t job_id) {
    auto text = ReadFile(JobDir(options_.spool_dir, job_id) + "/" + kPidFile);
    return text ? std::atoi(text->c_str()) : -1;
  }

  uid_t nobody_uid_ = 0;
  gid_t nobody_gid_ = 0;
  std::unique_ptr<testing::MungeDaemon> munged_;
  auth::Munge munge_;
  std::string dir_, work_dir_;
  std::unique_ptr<FakeController> controller_;
  std::unique_ptr<grpc::Server> controller_server_;
  NodeDaemonOptions options_;
  std::unique_ptr<NodeDaemon> daemon_;
  std::unique_ptr<v1::NodeControl::Stub> stub_;
};

TEST_F(NodeDaemonTest, RegistersWithConfiguredResources) {
  StartDaemon();
  ASSERT_TRUE(controller_->WaitUntil([&] { return !controller_->registers_.empty(); }));
  std::lock_guard<std::mutex> lock(controller_->mu_);
  const v1::RegisterNodeRequest& r = controller_->registers_.front();
  EXPECT_EQ(r.node_name(), "n1");
  EXPECT_EQ(r.address(), "127.0.0.1");
  EXPECT_EQ(r.port(), static_cast<uint32_t>(daemon_->port()));
  EXPECT_EQ(r.resources().cpus(), 3u);
  EXPECT_EQ(r.resources().real_memory_mb(), 1234u);
  EXPECT_EQ(r.steps_size(), 0);
  EXPECT_EQ(controller_->refused_, 0);
}

TEST_F(NodeDaemonTest, RetriesRegistrationUntilTheControllerIsUp) {
  // The controller is down when the daemon starts; it comes back on the same port.
  controller_server_->Shutdown(std::chrono::system_clock::now());
  controller_server_.reset();
  std::mutex mu;
  std::condition_variable cv;
  int failures = 0;
  options_.registration_failed_for_testing = [&](const Error&) {
    std::lock_guard<std::mutex> lock(mu);
    ++failures;
    cv.notify_all();
  };
  StartDaemon();
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kDeadline, [&] { return failures >= 2; }));
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.controller, grpc::InsecureServerCredentials());
  builder.RegisterService(controller_.get());
  controller_server_ = builder.BuildAndStart();
  ASSERT_NE(controller_server_, nullptr);
  EXPECT_TRUE(controller_->WaitUntil([&] { return !controller_->registers_.empty(); }));
  daemon_.reset();  // before `failures` goes out of scope
}

TEST_F(NodeDaemonTest, BatchJobRunsAsUserAndReportsItsExitCode) {
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(1, "echo hello; echo \"foo=$FOO job=$SLURM_JOB_ID\"; exit 3")));
  pid_t stepd = StepdPid(1);
  ASSERT_GT(stepd, 0);
  int pidfd = PidFd(stepd);

  auto complete = controller_->WaitComplete(1);
  ASSERT_TRUE(complete.has_value()) << "no JobComplete";
  EXPECT_EQ(complete->node_name(), "n1");
  EXPECT_EQ(complete->exit_code().status(), 3);
  EXPECT_EQ(complete->exit_code().signal(), 0);
  EXPECT_EQ(complete->state(), v1::JOB_STATE_FAILED);
  EXPECT_FALSE(complete->has_launch_error());

  std::string out_path = work_dir_ + "/job1.out";
  auto out = ReadFile(out_path);
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(*out, "hello\nfoo=bar job=1\n");
  struct stat st;
  ASSERT_EQ(stat(out_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, nobody_uid_);

  // Acknowledged: stepd removes the spool dir and exits.
  if (pidfd >= 0) {
    EXPECT_TRUE(WaitExit(pidfd, kDeadline));
    close(pidfd);
    EXPECT_FALSE(std::filesystem::exists(JobDir(options_.spool_dir, 1)));
  }
}

TEST_F(NodeDaemonTest, TerminateJobEndsItPromptly) {
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(2, "exec sleep 100")));
  auto started = Clock::now();
  ASSERT_TRUE(Terminate(2));
  auto complete = controller_->WaitComplete(2);
  ASSERT_TRUE(complete.has_value()) << "no JobComplete";
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_NE(complete->exit_code().signal(), 0) << complete->ShortDebugString();
  EXPECT_EQ(complete->state(), v1::JOB_STATE_CANCELLED);
  EXPECT_FALSE(complete->unkillable());
  // Then the node confirms, once the stepd (and so every process of the job) is gone.
  ASSERT_TRUE(controller_->WaitEpilog(2));
  EXPECT_FALSE(StepdAlive(JobDir(options_.spool_dir, 2)));
  std::lock_guard<std::mutex> lock(controller_->mu_);
  EXPECT_EQ(controller_->events_, (std::vector<std::string>{"complete 2", "epilog 2"}));
  EXPECT_EQ(controller_->epilogs_.front().node_name(), "n1");
}

TEST_F(NodeDaemonTest, TerminateForTheTimeLimitWritesSlurmsBanner) {
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(8, "echo started; exec sleep 100")));
  std::string out = work_dir_ + "/job8.out";
  ASSERT_TRUE(WaitForFileContaining(out, "started", kDeadline));
  ASSERT_TRUE(Terminate(8, v1::JOB_STATE_TIMEOUT));
  auto complete = controller_->WaitComplete(8);
  ASSERT_TRUE(complete.has_value());
  EXPECT_EQ(complete->state(), v1::JOB_STATE_TIMEOUT);
  auto text = ReadFile(out);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, ::testing::MatchesRegex(
                         "started\nslurmstepd: error: \\*\\*\\* JOB 8 ON n1 CANCELLED AT "
                         "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} DUE TO TIME "
                         "LIMIT \\*\\*\\*\n"));
  EXPECT_TRUE(controller_->WaitEpilog(8));
}

TEST_F(NodeDaemonTest, TerminateForAJobNotHereIsConfirmedAtOnce) {
  StartDaemon();
  ASSERT_TRUE(Terminate(42));
  ASSERT_TRUE(controller_->WaitEpilog(42));
  std::lock_guard<std::mutex> lock(controller_->mu_);
  EXPECT_TRUE(controller_->completes_.empty());
}

TEST_F(NodeDaemonTest, EpilogCompleteIsRetriedUntilTheControllerIsBack) {
  StartDaemon();
  controller_server_->Shutdown(std::chrono::system_clock::now());
  controller_server_.reset();
  ASSERT_TRUE(Terminate(43));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.controller, grpc::InsecureServerCredentials());
  builder.RegisterService(controller_.get());
  controller_server_ = builder.BuildAndStart();
  ASSERT_NE(controller_server_, nullptr);
  EXPECT_TRUE(controller_->WaitEpilog(43));
}

TEST_F(NodeDaemonTest, SignalJobReachesTheBatchShell) {
  StartDaemon();
  std::string ready = work_dir_ + "/trap_ready";
  ASSERT_TRUE(Launch(BatchJob(4, fmt::format("trap 'echo got USR1; exit 7' USR1\ntouch {}\n"
                                             "while :; do sleep 1 & wait $!; done",
                                             ready))));
  ASSERT_TRUE(WaitForFileContaining(ready, "", kDeadline));
  grpc::ClientContext context;
  v1::SignalJobRequest request;
  request.set_job_id(4);
  request.set_signal(SIGUSR1);
  request.set_batch_only(true);
  v1::SignalJobResponse response;
  ASSERT_TRUE(rpc::ToStatus(stub_->SignalJob(&context, request, &response)));
  auto complete = controller_->WaitComplete(4);
  ASSERT_TRUE(complete.has_value());
  EXPECT_EQ(complete->exit_code().status(), 7) << complete->ShortDebugString();
  auto out = ReadFile(work_dir_ + "/job4.out");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "got USR1\n");
}

TEST_F(NodeDaemonTest, StepdRetriesJobCompleteUntilTheControllerIsBack) {
  options_.log_file = dir_ + "/stepd.log";
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(5, "sleep 100")));
  controller_server_->Shutdown(std::chrono::system_clock::now());  // the controller restarts
  controller_server_.reset();
  ASSERT_TRUE(Terminate(5));  // droverd needs no controller for that
  // stepd logs its first failed attempt (warning lines are flushed at once).
  ASSERT_TRUE(WaitForFileContaining(options_.log_file, "JobId=5 JobComplete to", kDeadline));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.controller, grpc::InsecureServerCredentials());
  builder.RegisterService(controller_.get());
  controller_server_ = builder.BuildAndStart();
  ASSERT_NE(controller_server_, nullptr);
  auto complete = controller_->WaitComplete(5);
  ASSERT_TRUE(complete.has_value());
  EXPECT_EQ(complete->state(), v1::JOB_STATE_CANCELLED);
}

TEST_F(NodeDaemonTest, CallsWithoutACredentialAreRefused) {
  StartDaemon();
  auto plain = v1::NodeControl::NewStub(grpc::CreateChannel(
      fmt::format("127.0.0.1:{}", daemon_->port()), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::LaunchBatchResponse response;
  Status s = rpc::ToStatus(plain->LaunchBatch(&context, BatchJob(6, "true"), &response));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kAuthCredInvalid) << s.error().ToString();
  EXPECT_TRUE(ListJobDirs(options_.spool_dir).empty());
}

TEST_F(NodeDaemonTest, SignalForAnUnknownJobIsRefused) {
  StartDaemon();
  grpc::ClientContext context;
  v1::SignalJobRequest request;
  request.set_job_id(99);
  request.set_signal(SIGUSR1);
  v1::SignalJobResponse response;
  Status s = rpc::ToStatus(stub_->SignalJob(&context, request, &response));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidJobId);
}

TEST_F(NodeDaemonTest, RunningJobSurvivesTheDaemonAndIsReportedAtRegistration) {
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(3, "sleep 100")));
  pid_t stepd = StepdPid(3);
  ASSERT_GT(stepd, 0);
  int pidfd = PidFd(stepd);
  ASSERT_GE(pidfd, 0);
  {
    grpc::ClientContext context;
    v1::PingNodeResponse ping;
    ASSERT_TRUE(rpc::ToStatus(stub_->Ping(&context, v1::PingNodeRequest(), &ping)));
    ASSERT_EQ(ping.steps_size(), 1);
    EXPECT_EQ(ping.steps(0).job_id(), 3u);
  }

  daemon_.reset();  // droverd goes away
  EXPECT_FALSE(WaitExit(pidfd, 0ms)) << "drover-stepd died with the daemon";
  EXPECT_TRUE(StepdAlive(JobDir(options_.spool_dir, 3)));

  size_t before = 0;
  {
    std::lock_guard<std::mutex> lock(controller_->mu_);
    before = controller_->registers_.size();
  }
  StartDaemon();  // a restarted droverd
  v1::RegisterNodeRequest again;
  ASSERT_TRUE(controller_->WaitUntil([&] {
    if (controller_->registers_.size() <= before) return false;
    again = controller_->registers_.back();
    return true;
  }));
  ASSERT_EQ(again.steps_size(), 1);
  EXPECT_EQ(again.steps(0).job_id(), 3u);
  EXPECT_EQ(again.steps(0).kind(), v1::STEP_KIND_BATCH);

  // The new daemon still controls it.
  ASSERT_TRUE(Terminate(3));
  auto complete = controller_->WaitComplete(3);
  ASSERT_TRUE(complete.has_value());
  EXPECT_NE(complete->exit_code().signal(), 0);
  EXPECT_TRUE(WaitExit(pidfd, kDeadline));
  close(pidfd);
}

// ---------------------------------------------------------------------------------------
// StepIo.LaunchTasks: srun's side, driven with the gRPC client and a credential this test
// signs itself (the test process's uid, root, is SlurmUser here).

using StepStream = grpc::ClientReaderWriter<v1::StepIoRequest, v1::StepIoResponse>;

// One LaunchTasks call and what came back.
struct StepCall {
  grpc::ClientContext context;
  std::unique_ptr<StepStream> stream;
  std::vector<v1::StepIoResponse> replies;

  bool ReadOne() {
    v1::StepIoResponse reply;
    if (!stream->Read(&reply)) return false;
    replies.push_back(std::move(reply));
    return true;
  }
  // Reads until the server ends the call; its status.
  Status Finish() {
    while (ReadOne()) {
    }
    return rpc::ToStatus(stream->Finish());
  }
  std::string Output(uint32_t task, v1::OutputStream which = v1::OUTPUT_STREAM_STDOUT) const {
    std::string out;
    for (const auto& r : replies) {
      if (r.has_output() && r.output().task_id() == task && r.output().stream() == which) {
        out += r.output().data();
      }
    }
    return out;
  }
  std::vector<v1::TaskExit> Exits() const {
    std::vector<v1::TaskExit> exits;
    for (const auto& r : replies) {
      if (r.has_exit()) exits.push_back(r.exit());
    }
    return exits;
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> texts;
    for (const auto& r : replies) {
      if (r.has_message()) texts.push_back(r.message().text());
    }
    return texts;
  }
  void Send(const v1::StepIoRequest& request) { ASSERT_TRUE(stream->Write(request)); }
};

class StepIoTest : public NodeDaemonTest {
 protected:
  // Step `job_id`.`step_id` for user nobody; `ranks[i]` are the tasks of node n<i+1>.
  v1::StepCredentialPayload Grant(uint32_t job_id, uint32_t step_id,
                                  const std::vector<std::vector<uint32_t>>& ranks) {
    v1::StepCredentialPayload grant;
    grant.mutable_step_id()->set_job_id(job_id);
    grant.mutable_step_id()->set_kind(v1::STEP_KIND_NORMAL);
    grant.mutable_step_id()->set_step_id(step_id);
    grant.mutable_user()->set_uid(nobody_uid_);
    grant.mutable_user()->set_name("nobody");
    grant.mutable_group()->set_gid(nobody_gid_);
    v1::JobContext* job = grant.mutable_job();
    job->set_job_id(job_id);
    job->set_job_name("steps");
    *job->mutable_user() = grant.user();
    *job->mutable_group() = grant.group();
    job->set_node_list("n[1-2]");
    job->set_submit_dir(work_dir_);
    uint32_t total = 0;
    for (size_t i = 0; i < ranks.size(); ++i) {
      v1::StepNodeLayout* node = grant.mutable_layout()->add_nodes();
      node->mutable_allocation()->set_node_name(fmt::format("n{}", i + 1));
      node->mutable_allocation()->set_address("127.0.0.1");
      node->mutable_allocation()->set_num_cpus(2);
      for (uint32_t rank : ranks[i]) node->add_task_ids(rank);
      *job->add_nodes() = node->allocation();
      total += static_cast<uint32_t>(ranks[i].size());
    }
    grant.mutable_layout()->set_num_tasks(total);
    grant.mutable_layout()->set_node_list(ranks.size() > 1 ? "n[1-2]" : "n1");
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    grant.set_issue_time(now);
    grant.set_expire_time(now + 60);
    grant.set_step_time_limit_s(-1);
    grant.set_cluster("test");
    return grant;
  }

  v1::LaunchTasks Launch(const v1::StepCredentialPayload& grant, const std::string& script,
                         const auth::Munge* signer = nullptr) {
    v1::LaunchTasks launch;
    auto credential = auth::SignStepCredential(signer ? *signer : munge_, grant);
    EXPECT_TRUE(credential) << credential.error().ToString();
    if (credential) launch.set_credential(*credential);
    *launch.mutable_step_id() = grant.step_id();
    launch.add_argv("/bin/sh");
    launch.add_argv("-c");
    launch.add_argv(script);
    launch.add_environment("PATH=/usr/bin:/bin");
    launch.add_environment("FOO=bar");
    launch.add_environment("SLURM_LAUNCH_NODE_IPADDR=10.1.2.3");
    launch.set_work_dir(work_dir_);
    launch.set_stdin_task(0);
    return launch;
  }

  std::unique_ptr<StepCall> Start(const v1::LaunchTasks& launch) {
    if (!step_stub_) {
      step_stub_ = v1::StepIo::NewStub(
          rpc::CreateAuthenticatedChannel(fmt::format("127.0.0.1:{}", daemon_->port()), munge_));
    }
    auto call = std::make_unique<StepCall>();
    call->context.set_deadline(std::chrono::system_clock::now() + kDeadline);
    call->stream = step_stub_->LaunchTasks(&call->context);
    v1::StepIoRequest request;
    *request.mutable_launch() = launch;
    call->stream->Write(request);
    return call;
  }

  // Starts the step and waits for `launched`.
  std::unique_ptr<StepCall> StartLaunched(const v1::LaunchTasks& launch) {
    auto call = Start(launch);
    EXPECT_TRUE(call->ReadOne()) << call->Finish().error().ToString();
    EXPECT_TRUE(!call->replies.empty() && call->replies.front().has_launched());
    return call;
  }

  // The error a refused launch ends with.
  ErrorCode Refusal(const v1::LaunchTasks& launch) {
    auto call = Start(launch);
    Status s = call->Finish();
    EXPECT_TRUE(call->replies.empty());
    return s ? ErrorCode::kOk : s.error().code();
  }

  std::unique_ptr<v1::StepIo::Stub> step_stub_;
};

TEST_F(StepIoTest, TwoTasksRunWithTheirSlurmVariables) {
  StartDaemon();
  auto call = Start(Launch(Grant(30, 0, {{0, 1}, {2}}),
                           "echo $SLURM_PROCID $SLURM_LOCALID $SLURM_NODEID $SLURMD_NODENAME "
                           "$SLURM_STEP_ID $SLURM_STEP_NUM_TASKS $SLURM_STEP_TASKS_PER_NODE "
                           "$SLURM_LAUNCH_NODE_IPADDR $FOO $(id -un); pwd"));
  ASSERT_TRUE(call->Finish());
  ASSERT_GE(call->replies.size(), 3u);
  const v1::TasksLaunched& launched = call->replies.front().launched();
  EXPECT_EQ(launched.node_name(), "n1");
  ASSERT_EQ(launched.tasks_size(), 2);
  EXPECT_EQ(launched.tasks(1).task_id(), 1u);
  EXPECT_EQ(launched.tasks(1).local_id(), 1u);
  EXPECT_GT(launched.tasks(0).pid(), 0);
  EXPECT_EQ(call->Output(0), fmt::format("0 0 0 n1 0 3 2,1 10.1.2.3 bar nobody\n{}\n", work_dir_));
  EXPECT_EQ(call->Output(1), fmt::format("1 1 0 n1 0 3 2,1 10.1.2.3 bar nobody\n{}\n", work_dir_));
  ASSERT_TRUE(call->replies.back().has_done());
  EXPECT_EQ(call->replies.back().done().exit_code().status(), 0);
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_THAT(exits[0].task_ids(), ::testing::ElementsAre(0u, 1u));
  EXPECT_EQ(exits[0].node_name(), "n1");

  auto complete = controller_->WaitStepComplete(30, 0);
  ASSERT_TRUE(complete.has_value()) << "no StepComplete";
  EXPECT_EQ(complete->node_name(), "n1");
  EXPECT_EQ(complete->exit_code().status(), 0);
  EXPECT_FALSE(complete->has_error());
}

TEST_F(StepIoTest, StdinReachesTaskZeroOnly) {
  StartDaemon();
  auto call = StartLaunched(Launch(Grant(31, 0, {{0, 1}}), "cat; echo end$SLURM_PROCID"));
  v1::StepIoRequest input;
  input.mutable_input()->set_data("hello\n");
  call->Send(input);
  input.mutable_input()->set_data("");
  input.mutable_input()->set_eof(true);
  call->Send(input);
  ASSERT_TRUE(call->Finish());
  EXPECT_EQ(call->Output(0), "hello\nend0\n");
  EXPECT_EQ(call->Output(1), "end1\n");
}

TEST_F(StepIoTest, SignalKillsTheTasksAndTheExitSaysSo) {
  StartDaemon();
  auto call = StartLaunched(Launch(Grant(32, 0, {{0, 1}}), "exec sleep 100"));
  v1::StepIoRequest signal;
  signal.mutable_signal()->set_signal(SIGTERM);
  call->Send(signal);
  ASSERT_TRUE(call->Finish());
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_THAT(exits[0].task_ids(), ::testing::ElementsAre(0u, 1u));
  EXPECT_EQ(exits[0].exit_code().signal(), SIGTERM);
  EXPECT_EQ(call->replies.back().done().exit_code().signal(), SIGTERM);
}

TEST_F(StepIoTest, ExitCodesAreGroupedPerStatus) {
  StartDaemon();
  auto call = Start(Launch(Grant(33, 0, {{0, 1, 2}}), "exit $((SLURM_PROCID == 1 ? 3 : 0))"));
  ASSERT_TRUE(call->Finish());
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_THAT(exits[0].task_ids(), ::testing::ElementsAre(0u, 2u));
  EXPECT_EQ(exits[0].exit_code().status(), 0);
  EXPECT_THAT(exits[1].task_ids(), ::testing::ElementsAre(1u));
  EXPECT_EQ(exits[1].exit_code().status(), 3);
  EXPECT_EQ(call->replies.back().done().exit_code().status(), 3);
  auto complete = controller_->WaitStepComplete(33, 0);
  ASSERT_TRUE(complete.has_value());
  EXPECT_EQ(complete->exit_code().status(), 3);
}

TEST_F(StepIoTest, BadCredentialsAndOtherNodesAreRefused) {
  StartDaemon();
  v1::LaunchTasks garbage = Launch(Grant(34, 0, {{0}}), "true");
  garbage.set_credential("not a credential");
  EXPECT_EQ(Refusal(garbage), ErrorCode::kInvalidJobCredential);

  auto other = testing::MungeDaemon::Start();  // another cluster's key
  ASSERT_TRUE(other) << other.error().ToString();
  auth::Munge foreign_munge((*other)->socket_path());
  EXPECT_EQ(Refusal(Launch(Grant(34, 0, {{0}}), "true", &foreign_munge)),
            ErrorCode::kInvalidJobCredential);

  v1::StepCredentialPayload expired = Grant(34, 0, {{0}});
  expired.set_issue_time(expired.issue_time() - 100);
  expired.set_expire_time(expired.issue_time() + 90);  // 10 s ago; MUNGE's TTL still runs
  EXPECT_EQ(Refusal(Launch(expired, "true")), ErrorCode::kInvalidJobCredential);

  EXPECT_EQ(Refusal(Launch(Grant(34, 0, {{}, {0}}), "true")), ErrorCode::kInvalidJobCredential)
      << "a step with no task on n1";

  v1::LaunchTasks mismatch = Launch(Grant(34, 0, {{0}}), "true");
  mismatch.mutable_step_id()->set_step_id(1);
  EXPECT_EQ(Refusal(mismatch), ErrorCode::kInvalidJobCredential);
  EXPECT_TRUE(ListStepDirs(options_.spool_dir).empty());
}

TEST_F(StepIoTest, CredentialNotFromSlurmUserIsRefused) {
  options_.slurm_user_uid = nobody_uid_;  // the test (root) signs: not SlurmUser now
  StartDaemon();
  EXPECT_EQ(Refusal(Launch(Grant(35, 0, {{0}}), "true")), ErrorCode::kInvalidJobCredential);
}

TEST_F(StepIoTest, SecondLaunchOfTheSameStepIsRefused) {
  StartDaemon();
  v1::LaunchTasks launch = Launch(Grant(36, 0, {{0}}), "exec sleep 100");
  auto call = StartLaunched(launch);
  EXPECT_EQ(Refusal(launch), ErrorCode::kDuplicateJobId);
  v1::StepIoRequest signal;
  signal.mutable_signal()->set_signal(SIGKILL);
  call->Send(signal);
  ASSERT_TRUE(call->Finish());
  EXPECT_EQ(Refusal(launch), ErrorCode::kDuplicateJobId) << "not even once it is over";
}

TEST_F(StepIoTest, CancelledStreamKillsTheTasks) {
  StartDaemon();
  auto call = StartLaunched(Launch(Grant(37, 0, {{0, 1}}), "exec sleep 100"));
  std::vector<int> pidfds;
  for (const auto& task : call->replies.front().launched().tasks()) {
    pidfds.push_back(PidFd(task.pid()));
    ASSERT_GE(pidfds.back(), 0);
  }
  call->context.TryCancel();
  (void)call->Finish();
  for (int pidfd : pidfds) {
    EXPECT_TRUE(WaitExit(pidfd, kDeadline)) << "a task outlived srun";
    close(pidfd);
  }
  EXPECT_TRUE(controller_->WaitStepComplete(37, 0).has_value());
}

TEST_F(StepIoTest, StepTimeLimitPrintsTheBannerAndEndsInTimeout) {
  options_.log_file = dir_ + "/stepd.log";
  StartDaemon();
  v1::StepCredentialPayload grant = Grant(38, 0, {{0}});
  grant.set_step_time_limit_s(1);
  auto call = StartLaunched(Launch(grant, "exec sleep 100"));
  ASSERT_TRUE(call->Finish());
  auto messages = call->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0], ::testing::MatchesRegex(
                               "slurmstepd: error: \\*\\*\\* STEP 38\\.0 ON n1 CANCELLED AT "
                               "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2} DUE TO TIME "
                               "LIMIT \\*\\*\\*"));
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code().signal(), SIGTERM);
  EXPECT_TRUE(WaitForFileContaining(options_.log_file, "StepId=38.0 JobState=TIMEOUT", kDeadline));
}

TEST_F(StepIoTest, TerminateJobEndsItsStepsAndIsConfirmed) {
  StartDaemon();
  auto call = StartLaunched(Launch(Grant(39, 0, {{0}}), "exec sleep 100"));
  {
    grpc::ClientContext context;
    v1::PingNodeResponse ping;
    ASSERT_TRUE(rpc::ToStatus(stub_->Ping(&context, v1::PingNodeRequest(), &ping)));
    ASSERT_EQ(ping.steps_size(), 1);
    EXPECT_EQ(ping.steps(0).job_id(), 39u);
    EXPECT_EQ(ping.steps(0).kind(), v1::STEP_KIND_NORMAL);
  }
  EXPECT_EQ(daemon_->RunningJobs(), std::vector<uint32_t>{39});
  ASSERT_TRUE(Terminate(39));
  ASSERT_TRUE(call->Finish());
  auto messages = call->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_THAT(messages[0],
              ::testing::StartsWith("slurmstepd: error: *** STEP 39.0 ON n1 CANCELLED AT "));
  EXPECT_THAT(messages[0], ::testing::Not(::testing::HasSubstr("DUE TO")));
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code().signal(), SIGTERM);
  ASSERT_TRUE(controller_->WaitEpilog(39));
  EXPECT_TRUE(daemon_->RunningJobs().empty());
  std::lock_guard<std::mutex> lock(controller_->mu_);
  EXPECT_EQ(controller_->events_, (std::vector<std::string>{"step complete 39.0", "epilog 39"}));
}

// --pty: task 0 on a pseudo-terminal --------------------------------------------------

// Reads replies until task `task`'s output contains `needle`.
bool ReadUntilOutput(StepCall& call, uint32_t task, const std::string& needle) {
  while (call.Output(task).find(needle) == std::string::npos) {
    if (!call.ReadOne()) return false;
  }
  return true;
}

v1::LaunchTasks WithPty(v1::LaunchTasks launch, uint32_t rows, uint32_t cols) {
  launch.set_pty(true);
  launch.mutable_window_size()->set_rows(rows);
  launch.mutable_window_size()->set_cols(cols);
  return launch;
}

TEST_F(StepIoTest, PtyTaskRunsOnAResizableTerminalOfItsOwn) {
  StartDaemon();
  auto call = StartLaunched(WithPty(
      Launch(Grant(40, 0, {{0, 1}}),
             "echo task$SLURM_PROCID; tty; stat -c %U:%a $(tty); stty size; read line; "
             "stty size; echo got-$line"),
      30, 100));
  ASSERT_TRUE(ReadUntilOutput(*call, 0, "30 100\r\n")) << call->Output(0);
  v1::StepIoRequest resize;
  resize.mutable_window_size()->set_rows(41);
  resize.mutable_window_size()->set_cols(123);
  call->Send(resize);
  v1::StepIoRequest input;
  input.mutable_input()->set_data("go\r");  // what a raw terminal sends for Enter
  call->Send(input);
  ASSERT_TRUE(call->Finish());
  EXPECT_THAT(call->Output(0),
              ::testing::MatchesRegex("task0\r\n/dev/pts/[0-9]+\r\nnobody:620\r\n30 100\r\n"
                                      "go\r\n41 123\r\ngot-go\r\n"));
  EXPECT_EQ(call->Output(0, v1::OUTPUT_STREAM_STDERR), "");
  // The other tasks write to /dev/null, as in Slurm.
  EXPECT_EQ(call->Output(1), "");
  EXPECT_EQ(call->Output(1, v1::OUTPUT_STREAM_STDERR), "");
}

TEST_F(StepIoTest, PtyEndOfInputIsTheTerminalsEof) {
  StartDaemon();
  auto call = StartLaunched(WithPty(Launch(Grant(41, 0, {{0}}), "cat; echo cat-ended"), 0, 0));
  v1::StepIoRequest input;
  input.mutable_input()->set_data("partial");  // no newline: the EOF ends the line first
  input.mutable_input()->set_eof(true);
  call->Send(input);
  ASSERT_TRUE(call->Finish());
  EXPECT_EQ(call->Output(0), "partialpartialcat-ended\r\n");
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code().status(), 0);
}

TEST_F(StepIoTest, PtyInterruptReachesTheForegroundProcessGroup) {
  StartDaemon();
  auto call = StartLaunched(
      WithPty(Launch(Grant(42, 0, {{0}}),
                     "trap 'echo got-INT; exit 7' INT; echo ready; while :; do sleep 1; done"),
              0, 0));
  ASSERT_TRUE(ReadUntilOutput(*call, 0, "ready\r\n")) << call->Output(0);
  v1::StepIoRequest signal;
  signal.mutable_signal()->set_signal(SIGINT);
  call->Send(signal);
  ASSERT_TRUE(call->Finish());
  EXPECT_EQ(call->Output(0), "ready\r\ngot-INT\r\n");
  auto exits = call->Exits();
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code().status(), 7);
}


// Node scripts (node_scripts.h) -------------------------------------------------------

class NodeScriptsTest : public NodeDaemonTest {
 protected:
  // Writes an executable script under the test's directory; its path.
  std::string Script(const std::string& name, const std::string& body) {
    std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFileAtomic(path, "#!/bin/sh\n" + body + "\n", 0755));
    return path;
  }
};

TEST_F(NodeScriptsTest, PrologTaskPrologAndEpilogRunAroundABatchJob) {
  options_.scripts.prolog = Script("prolog", "/usr/bin/env > " + dir_ + "/prolog.env");
  options_.scripts.epilog = Script("epilog", "/usr/bin/env > " + dir_ + "/epilog.env");
  options_.scripts.task_prolog =
      Script("task_prolog", "echo export TP=fromprolog; echo unset FOO; echo print hello");
  options_.scripts.task_epilog = Script("task_epilog", "echo \"TP=$TP\" > " + work_dir_ + "/te");
  options_.scripts.cluster = "test";
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(50, "echo \"TP=$TP FOO=${FOO-unset}\"")));
  auto complete = controller_->WaitComplete(50);
  ASSERT_TRUE(complete);
  EXPECT_FALSE(complete->prolog_failed());
  EXPECT_FALSE(complete->has_launch_error());
  auto out = ReadFile(work_dir_ + "/job50.out");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "hello\nTP=fromprolog FOO=unset\n");
  EXPECT_TRUE(WaitForFileContaining(work_dir_ + "/te", "TP=fromprolog", kDeadline));
  auto prolog_env = ReadFile(dir_ + "/prolog.env");
  ASSERT_TRUE(prolog_env);
  for (const char* entry : {"SLURM_SCRIPT_CONTEXT=prolog_slurmd\n", "SLURM_JOB_ID=50\n",
                            "SLURM_JOB_USER=nobody\n", "SLURM_JOB_PARTITION=debug\n",
                            "SLURM_JOB_NODELIST=n1\n", "SLURMD_NODENAME=n1\n",
                            "SLURM_CLUSTER_NAME=test\n"}) {
    EXPECT_THAT(*prolog_env, ::testing::HasSubstr(entry));
  }
  EXPECT_THAT(*prolog_env, ::testing::HasSubstr(fmt::format("SLURM_JOB_UID={}\n", nobody_uid_)));
  EXPECT_TRUE(PrologRan(options_.spool_dir, 50));
  // The job's end: the epilog runs (with what the prolog knew), then EpilogComplete.
  ASSERT_TRUE(Terminate(50, v1::JOB_STATE_COMPLETED));
  ASSERT_TRUE(controller_->WaitEpilog(50));
  auto epilog_env = ReadFile(dir_ + "/epilog.env");
  ASSERT_TRUE(epilog_env);
  EXPECT_THAT(*epilog_env, ::testing::HasSubstr("SLURM_SCRIPT_CONTEXT=epilog_slurmd\n"));
  EXPECT_THAT(*epilog_env, ::testing::HasSubstr("SLURM_JOB_USER=nobody\n"));
  EXPECT_FALSE(PrologRan(options_.spool_dir, 50));
  std::lock_guard<std::mutex> lock(controller_->mu_);
  EXPECT_FALSE(controller_->epilogs_.back().has_status());
}

TEST_F(NodeScriptsTest, AFailedPrologIsReportedAndTheScriptNeverRuns) {
  options_.scripts.prolog = Script("prolog", "exit 7");
  StartDaemon();
  ASSERT_TRUE(Launch(BatchJob(51, "touch " + work_dir_ + "/ran")));
  auto complete = controller_->WaitComplete(51);
  ASSERT_TRUE(complete);
  EXPECT_TRUE(complete->prolog_failed());
  EXPECT_THAT(complete->launch_error().message(), ::testing::HasSubstr("Job prolog failed"));
  EXPECT_EQ(complete->exit_code().status(), 1u);
  EXPECT_NE(access((work_dir_ + "/ran").c_str(), F_OK), 0);
  EXPECT_FALSE(PrologRan(options_.spool_dir, 51));
}

TEST_F(NodeScriptsTest, AFailedEpilogIsReportedWithItsStatus) {
  options_.scripts.epilog = Script("epilog", "exit 3");
  StartDaemon();
  ASSERT_TRUE(Terminate(52));  // nothing of it here: the epilog still runs
  ASSERT_TRUE(controller_->WaitEpilog(52));
  std::lock_guard<std::mutex> lock(controller_->mu_);
  ASSERT_TRUE(controller_->epilogs_.back().has_status());
  EXPECT_EQ(controller_->epilogs_.back().status().status(), 3u);
}

TEST_F(NodeScriptsTest, APrologHangingPastItsTimeoutFails) {
  options_.scripts.prolog = Script("prolog", "exec /bin/sleep 60");
  options_.scripts.timeout = std::chrono::seconds(1);
  StartDaemon();
  auto start = Clock::now();
  ASSERT_TRUE(Launch(BatchJob(53, "true")));  // answered before the prolog ends
  EXPECT_LT(Clock::now() - start, 5s);
  auto complete = controller_->WaitComplete(53);
  ASSERT_TRUE(complete);
  EXPECT_TRUE(complete->prolog_failed());
  EXPECT_THAT(complete->launch_error().message(), ::testing::HasSubstr("timed out"));
}

}  // namespace
}  // namespace drover::noded
