#include "cli/salloc/salloc.h"

#include <gtest/gtest.h>

#include <sstream>

#include "client/recording_client_for_testing.h"

namespace drover::cli::salloc {
namespace {

using client::RecordingControllerClient;

struct Captured {
  int code;
  std::string err;
};

Captured RunSalloc(std::vector<std::string> args, RecordingControllerClient& c) {
  std::ostringstream out, err;
  Invocation inv{"salloc", std::move(args), {{"PATH", "/usr/bin:/bin"}}, out, err};
  int code = Run(inv, c, SallocHooks{false});
  return {code, err.str()};
}

v1::JobEvent Queued(uint32_t job) {
  v1::JobEvent e;
  e.set_job_id(job);
  e.mutable_queued();
  return e;
}

v1::JobEvent Granted(uint32_t job) {
  v1::JobEvent e;
  e.set_job_id(job);
  v1::JobAllocation* a = e.mutable_granted();
  a->set_job_id(job);
  a->set_node_list("node1");
  a->add_nodes()->set_node_name("node1");
  return e;
}

v1::JobEvent Ended(uint32_t job, v1::JobState state) {
  v1::JobEvent e;
  e.set_job_id(job);
  e.mutable_ended()->set_state(state);
  return e;
}

TEST(Salloc, RunsTheCommandAndRelinquishesWithItsExitCode) {
  RecordingControllerClient c;
  c.allocate_events = {Queued(42), Granted(42)};
  auto r = RunSalloc({"-N1", "/bin/sh", "-c", "test \"$SLURM_JOB_ID\" = 42 && exit 3"}, c);
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.err,
            "salloc: Pending job allocation 42\n"
            "salloc: job 42 queued and waiting for resources\n"
            "salloc: job 42 has been allocated resources\n"
            "salloc: Granted job allocation 42\n"
            "salloc: Relinquishing job allocation 42\n");
  ASSERT_EQ(c.allocations.size(), 1u);
  EXPECT_EQ(c.allocations[0].spec().min_nodes(), 1u);
  EXPECT_EQ(c.allocations[0].spec().name(), "sh");
  ASSERT_EQ(c.completed_allocations.size(), 1u);
  EXPECT_EQ(c.completed_allocations[0].job_id(), 42u);
  EXPECT_EQ(c.completed_allocations[0].exit_code().status(), 3);
}

TEST(Salloc, GrantedAtOncePrintsOnlyTheGrant) {
  RecordingControllerClient c;
  c.allocate_events = {Granted(7)};
  auto r = RunSalloc({"-Q", "true"}, c);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
  r = RunSalloc({"true"}, c);
  EXPECT_EQ(r.err, "salloc: Granted job allocation 7\nsalloc: Relinquishing job allocation 7\n");
}

TEST(Salloc, NoShellLeavesTheJob) {
  RecordingControllerClient c;
  c.allocate_events = {Granted(8)};
  auto r = RunSalloc({"--no-shell", "-I"}, c);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "salloc: Granted job allocation 8\n");
  EXPECT_TRUE(c.completed_allocations.empty());
  ASSERT_EQ(c.allocations.size(), 1u);
  EXPECT_EQ(c.allocations[0].immediate_s(), 0);
  EXPECT_TRUE(c.allocations[0].has_immediate_s());
}

TEST(Salloc, RevokedAllocationHangsUpTheCommand) {
  RecordingControllerClient c;
  c.allocate_events = {Granted(9), Ended(9, v1::JOB_STATE_TIMEOUT)};
  auto r = RunSalloc({"sleep", "30"}, c);
  EXPECT_EQ(r.code, 128 + SIGHUP);
  EXPECT_EQ(r.err,
            "salloc: Granted job allocation 9\n"
            "salloc: Job 9 has exceeded its time limit and its allocation has been revoked.\n");
  EXPECT_TRUE(c.completed_allocations.empty());
}

TEST(Salloc, RefusalAndCancelBeforeTheGrant) {
  RecordingControllerClient c;
  c.allocate_stream_ends = true;
  c.allocate_status = Error(ErrorCode::kInvalidPartitionName);
  auto r = RunSalloc({"-p", "x", "true"}, c);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "salloc: error: Job submit/allocate failed: Invalid partition name specified\n");
  RecordingControllerClient d;
  d.allocate_events = {Queued(5), Ended(5, v1::JOB_STATE_CANCELLED)};
  r = RunSalloc({"true"}, d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "salloc: Pending job allocation 5\n"
            "salloc: job 5 queued and waiting for resources\n"
            "salloc: Job allocation 5 has been revoked.\n");
}

TEST(Salloc, OptionErrors) {
  RecordingControllerClient c;
  auto r = RunSalloc({"-t", "bogus", "true"}, c);
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "salloc: error: Invalid --time specification\n");
  r = RunSalloc({"-l", "true"}, c);  // srun's --label is not salloc's
  EXPECT_EQ(r.code, 255);
  EXPECT_TRUE(c.allocations.empty());
}

}  // namespace
}  // namespace drover::cli::salloc
