#include "cli/srun/srun.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>

#include "cli/common/allocation.h"
#include "cli/srun/step_env.h"
#include "cli/srun/step_request.h"
#include "cli/srun/task_output.h"
#include "cli/srun/task_status.h"
#include "client/recording_client_for_testing.h"

namespace drover::cli::srun {
namespace {

using client::RecordingControllerClient;

TEST(TaskOutput, LinesAreAssembledPerTaskAndLabelled) {
  std::string out, err;
  OutputAssembler a(4, /*label=*/true, /*unbuffered=*/false,
                    [&](OutputStreamKind k, std::string_view t) {
                      (k == OutputStreamKind::kStdout ? out : err) += t;
                    });
  a.Add(0, OutputStreamKind::kStdout, "hel");
  a.Add(1, OutputStreamKind::kStdout, "node2\n");
  a.Add(0, OutputStreamKind::kStdout, "lo\nwor");
  a.Add(3, OutputStreamKind::kStderr, "oops\n");
  EXPECT_EQ(out, "1: node2\n0: hello\n");
  a.Flush();
  EXPECT_EQ(out, "1: node2\n0: hello\n0: wor");
  EXPECT_EQ(err, "3: oops\n");
}

TEST(TaskOutput, LabelWidthFollowsTheHighestRank) {
  EXPECT_EQ(OutputAssembler::Label(3, 4), "3: ");
  EXPECT_EQ(OutputAssembler::Label(3, 10), "3: ");
  EXPECT_EQ(OutputAssembler::Label(3, 11), " 3: ");
  EXPECT_EQ(OutputAssembler::Label(10, 11), "10: ");
}

TEST(TaskOutput, UnbufferedWritesAsReceivedAndLabelsLineStarts) {
  std::vector<std::string> writes;
  OutputAssembler a(2, true, true,
                    [&](OutputStreamKind, std::string_view t) { writes.emplace_back(t); });
  a.Add(1, OutputStreamKind::kStdout, "ab");
  a.Add(1, OutputStreamKind::kStdout, "c\nd");
  EXPECT_EQ(writes, (std::vector<std::string>{"1: ab", "c\n1: d"}));
  OutputAssembler plain(2, false, true,
                        [&](OutputStreamKind, std::string_view t) { writes.emplace_back(t); });
  plain.Add(0, OutputStreamKind::kStdout, "xy");
  EXPECT_EQ(writes.back(), "xy");
}

TEST(TaskStatus, ExitMessagesAreWordedAsSlurm) {
  v1::ExitCode code;
  code.set_status(3);
  std::vector<uint32_t> one = {0}, two = {0, 1};
  EXPECT_EQ(TaskExitText("node1", one, code), "node1: task 0: Exited with exit code 3");
  v1::ExitCode killed;
  killed.set_signal(SIGKILL);
  EXPECT_EQ(TaskExitText("node1", two, killed), "node1: tasks 0-1: Killed");
  EXPECT_EQ(TaskExitText("node1", two, killed, /*quiet_signals=*/true), "");
  v1::ExitCode segv;
  segv.set_signal(SIGSEGV);
  segv.set_core_dumped(true);
  EXPECT_EQ(TaskExitText("n2", one, segv), "n2: task 0: Segmentation fault (core dumped)");
  EXPECT_EQ(TaskExitText("n2", one, v1::ExitCode()), "");
  EXPECT_EQ(FormatTaskRanges({5, 0, 1, 2, 7, 8}), "0-2,5,7-8");
}

TEST(TaskStatus, ExitCodeIsTheHighestStatus) {
  v1::ExitCode three, killed, zero;
  three.set_status(3);
  killed.set_signal(SIGKILL);
  EXPECT_EQ(SrunExitCode(WaitStatusOf(three)), 3);
  EXPECT_EQ(SrunExitCode(WaitStatusOf(killed)), 137);
  EXPECT_EQ(SrunExitCode(std::max(WaitStatusOf(three), WaitStatusOf(killed))), 3);
  EXPECT_EQ(SrunExitCode(WaitStatusOf(zero)), 0);
}

TEST(TaskStatus, StatusLinesGroupTasksByState) {
  TaskStates states(4);
  for (uint32_t t = 0; t < 4; ++t) states.Launched(t);
  v1::ExitCode bad;
  bad.set_status(1);
  states.Exited(2, bad);
  states.Exited(3, v1::ExitCode());
  EXPECT_EQ(states.StatusLines("StepId=42.0"),
            (std::vector<std::string>{"StepId=42.0 tasks 0-1: running",
                                      "StepId=42.0 task 2: exited abnormally",
                                      "StepId=42.0 task 3: exited"}));
  EXPECT_FALSE(states.AllEnded());
}

TEST(Interrupt, SecondCtrlCWithinASecondAborts) {
  InterruptTracker t;
  auto start = InterruptTracker::Clock::time_point{} + std::chrono::hours(1);
  EXPECT_EQ(t.OnInterrupt(start), InterruptTracker::Action::kPrintStatus);
  EXPECT_EQ(t.OnInterrupt(start + std::chrono::seconds(3)), InterruptTracker::Action::kPrintStatus);
  EXPECT_EQ(t.OnInterrupt(start + std::chrono::milliseconds(3500)),
            InterruptTracker::Action::kAbort);
  EXPECT_TRUE(t.aborting());
  EXPECT_EQ(t.OnInterrupt(start + std::chrono::seconds(9)),
            InterruptTracker::Action::kAbortInProgress);
}

v1::CreateStepResponse StepReply(uint32_t job, uint32_t step) {
  v1::CreateStepResponse r;
  r.mutable_step_id()->set_job_id(job);
  r.mutable_step_id()->set_step_id(step);
  return r;
}

TEST(StepRequest, BusyIsRetriedWithOneMessage) {
  RecordingControllerClient client;
  client.step_replies.push_back(Error(ErrorCode::kNodesBusy));
  client.step_replies.push_back(Error(ErrorCode::kNodesBusy));
  client.step_replies.push_back(StepReply(42, 1));
  std::vector<std::chrono::milliseconds> waits;
  std::ostringstream err;
  v1::CreateStepRequest request;
  request.set_job_id(42);
  auto r = CreateStepRetrying(
      client, request, [&](std::chrono::milliseconds d) { return waits.push_back(d), 0; }, false,
      err);
  ASSERT_TRUE(r);
  EXPECT_EQ(client.step_creations.size(), 3u);
  EXPECT_EQ(waits.size(), 2u);
  EXPECT_EQ(err.str(),
            "srun: Job 42 step creation temporarily disabled, retrying (Requested nodes are "
            "busy)\nsrun: Step created for StepId=42.1\n");
}

TEST(StepRequest, InterruptWhileBusyGivesUp) {
  RecordingControllerClient client;
  client.step_replies.push_back(Error(ErrorCode::kNodesBusy));
  std::ostringstream err;
  v1::CreateStepRequest request;
  request.set_job_id(7);
  auto r = CreateStepRetrying(
      client, request, [](std::chrono::milliseconds) { return SIGINT; }, false, err);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  EXPECT_NE(err.str().find("srun: Cancelled pending job step with signal 2\n"), std::string::npos);
}

TEST(StepRequest, OtherErrorsAreNotRetried) {
  RecordingControllerClient client;
  client.step_replies.push_back(Error(ErrorCode::kInvalidJobId));
  std::ostringstream err;
  auto r = CreateStepRetrying(
      client, v1::CreateStepRequest(), [](std::chrono::milliseconds) { return 0; }, false, err);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidJobId);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(RetryDelay(0), std::chrono::milliseconds(500));
  EXPECT_EQ(RetryDelay(10), std::chrono::milliseconds(10'000));
}

TEST(StepRequest, SpecFromOptions) {
  JobOptions o;
  o.ntasks = 4;
  o.min_nodes = 2;
  o.cpus_per_task = 2;
  o.overlap = true;
  o.kill_on_bad_exit = true;
  o.distribution = "cyclic";
  std::vector<std::string> argv = {"/bin/hostname", "-s"};
  v1::StepSpec spec = BuildStepSpec(o, argv, StepContext{"login1", 99, "srun -n4 hostname"});
  EXPECT_EQ(spec.name(), "hostname");
  EXPECT_EQ(spec.num_tasks(), 4u);
  EXPECT_EQ(spec.min_nodes(), 2u);
  EXPECT_EQ(spec.cpus_per_task(), 2u);
  EXPECT_TRUE(spec.overlap());
  EXPECT_TRUE(spec.kill_on_bad_exit());
  EXPECT_EQ(spec.distribution().node(), v1::TASK_DISTRIBUTION_CYCLIC);
  EXPECT_EQ(spec.command(), "/bin/hostname -s");
  EXPECT_EQ(spec.srun_host(), "login1");
  EXPECT_EQ(spec.srun_pid(), 99u);
}

v1::CreateStepResponse TwoNodeStep() {
  v1::CreateStepResponse step = StepReply(42, 1);
  v1::StepLayout* layout = step.mutable_layout();
  layout->set_node_list("node[1-2]");
  layout->set_num_tasks(3);
  auto* n1 = layout->add_nodes();
  n1->mutable_allocation()->set_node_name("node1");
  n1->add_task_ids(0);
  n1->add_task_ids(1);
  auto* n2 = layout->add_nodes();
  n2->mutable_allocation()->set_node_name("node2");
  n2->add_task_ids(2);
  return step;
}

std::map<std::string, std::string> AsMap(const std::vector<std::string>& env) {
  std::map<std::string, std::string> out;
  for (const std::string& e : env) out[e.substr(0, e.find('='))] = e.substr(e.find('=') + 1);
  return out;
}

TEST(StepEnv, StepVariablesOverTheCallersAndTheJobs) {
  JobOptions o;
  o.cpus_per_task = 2;
  o.label = true;
  StepEnvInput in;
  in.caller = {{"HOME", "/home/u"}, {"SLURM_NTASKS", "8"}, {"SLURM_JOB_ID", "42"}};
  in.job = {{"SLURM_JOB_NODELIST", "node[1-4]"}, {"SLURM_JOB_NUM_NODES", "4"}};
  in.options = &o;
  in.step = TwoNodeStep();
  in.launch_address = "10.0.0.1";
  in.umask = 022;
  auto env = AsMap(BuildStepEnvironment(in));
  EXPECT_EQ(env["HOME"], "/home/u");
  EXPECT_EQ(env["SLURM_JOB_NODELIST"], "node[1-4]");
  EXPECT_EQ(env["SLURM_STEP_ID"], "1");
  EXPECT_EQ(env["SLURM_STEPID"], "1");
  EXPECT_EQ(env["SLURM_STEP_NODELIST"], "node[1-2]");
  EXPECT_EQ(env["SLURM_NODELIST"], "node[1-2]");
  EXPECT_EQ(env["SLURM_STEP_NUM_NODES"], "2");
  EXPECT_EQ(env["SLURM_NNODES"], "2");
  EXPECT_EQ(env["SLURM_STEP_NUM_TASKS"], "3");
  EXPECT_EQ(env["SLURM_NTASKS"], "3");
  EXPECT_EQ(env["SLURM_NPROCS"], "3");
  EXPECT_EQ(env["SLURM_STEP_TASKS_PER_NODE"], "2,1");
  EXPECT_EQ(env["SLURM_TASKS_PER_NODE"], "2,1");
  EXPECT_EQ(env["SLURM_CPUS_PER_TASK"], "2");
  EXPECT_EQ(env["SLURM_LABELIO"], "1");
  EXPECT_EQ(env["SLURM_SRUN_COMM_HOST"], "10.0.0.1");
  EXPECT_EQ(env["SLURM_LAUNCH_NODE_IPADDR"], "10.0.0.1");
  EXPECT_EQ(env["SLURM_UMASK"], "0022");
  EXPECT_EQ(env["SLURM_JOB_ID"], "42");
}

TEST(StepEnv, ExportNoneKeepsOnlySlurmVariables) {
  JobOptions o;
  o.export_env = "NONE";
  StepEnvInput in;
  in.caller = {{"HOME", "/home/u"}, {"SLURM_CONF", "/etc/slurm.conf"}};
  in.options = &o;
  in.step = TwoNodeStep();
  auto env = AsMap(BuildStepEnvironment(in));
  EXPECT_FALSE(env.contains("HOME"));
  EXPECT_EQ(env["SLURM_CONF"], "/etc/slurm.conf");
  EXPECT_EQ(env["SLURM_EXPORT_ENV"], "NONE");
}

// A dialer no test should reach.
class NoDialer final : public client::StepIoDialer {
 public:
  Result<std::unique_ptr<client::StepIoStream>> LaunchTasks(std::string_view,
                                                            const v1::StepIoRequest&) override {
    ++dials;
    return Error(ErrorCode::kUnavailable);
  }
  int dials = 0;
};

struct Captured {
  int code;
  std::string out, err;
};

Captured RunSrun(std::vector<std::string> args, Environment env, RecordingControllerClient& c,
                 client::StepIoDialer& dialer) {
  std::ostringstream out, err;
  Invocation inv{"srun", std::move(args), std::move(env), out, err};
  int code = Run(inv, c, dialer, SrunHooks{-1, false, "127.0.0.1"});
  return {code, out.str(), err.str()};
}

TEST(Srun, OptionErrorsAndMissingCommand) {
  RecordingControllerClient c;
  NoDialer d;
  auto r = RunSrun({"-N", "x", "hostname"}, {}, c, d);
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "srun: error: \"x\" is not a valid node count\n");
  r = RunSrun({"-l"}, {}, c, d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "srun: fatal: No command given to execute.\n");
  r = RunSrun({"--mpi=bogus", "true"}, {}, c, d);
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "srun: error: Invalid MPI type 'bogus', --mpi=list for acceptable types\n");
}

TEST(Srun, InsideAnAllocationAnUnknownJobIsReported) {
  RecordingControllerClient c;
  c.job_allocation = Error(ErrorCode::kInvalidJobId);
  NoDialer d;
  auto r = RunSrun({"hostname"}, {{"SLURM_JOB_ID", "42"}}, c, d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "srun: error: Unable to confirm allocation for job 42: Invalid job id specified\n"
            "srun: Check SLURM_JOB_ID environment variable. Expired or invalid job 42\n");
  ASSERT_EQ(c.allocation_queries.size(), 1u);
  EXPECT_EQ(c.allocation_queries[0].job_id(), 42u);
}

TEST(Srun, OwnAllocationIsReleasedWhenTheStepCannotBeCreated) {
  RecordingControllerClient c;
  v1::JobEvent queued;
  queued.set_job_id(43);
  queued.mutable_queued();
  v1::JobEvent granted;
  granted.set_job_id(43);
  granted.mutable_granted()->set_job_id(43);
  granted.mutable_granted()->set_node_list("node1");
  c.allocate_events = {queued, granted};
  c.step_replies.push_back(Error(ErrorCode::kInvalidGres));
  NoDialer d;
  auto r = RunSrun({"-n2", "-t", "5", "hostname"}, {}, c, d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "srun: job 43 queued and waiting for resources\n"
            "srun: job 43 has been allocated resources\n"
            "srun: error: Unable to create step for job 43: Invalid generic resource (gres) "
            "specification\n");
  ASSERT_EQ(c.allocations.size(), 1u);
  EXPECT_EQ(c.allocations[0].spec().num_tasks(), 2u);
  EXPECT_EQ(c.allocations[0].spec().time_limit_s(), 300);
  EXPECT_EQ(c.allocations[0].spec().name(), "hostname");
  ASSERT_EQ(c.completed_allocations.size(), 1u);
  EXPECT_EQ(c.completed_allocations[0].job_id(), 43u);
  EXPECT_EQ(c.completed_allocations[0].exit_code().status(), 1);
  EXPECT_EQ(d.dials, 0);
}

TEST(Srun, RefusedAllocationIsWordedAsSlurm) {
  RecordingControllerClient c;
  c.allocate_stream_ends = true;
  c.allocate_status = Error(ErrorCode::kInvalidPartitionName);
  NoDialer d;
  auto r = RunSrun({"-p", "nope", "true"}, {}, c, d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "srun: error: Unable to allocate resources: Invalid partition name specified\n");
}

}  // namespace
}  // namespace drover::cli::srun
