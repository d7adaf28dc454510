// What sbatch's options ask of the controller beyond placement: oversized requests that
// wait, --signal before the time limit, scancel -b, and the submission context (submit
// host and session, the script's path, -c given or not) kept across restarts.
#include "cluster_fixture.h"
#include "ctld/records.h"

namespace drover::testing {
namespace {

using std::chrono::seconds;

std::vector<NodeRequest> SignalsOf(const FakeNodeTransport& t, JobId id) {
  std::vector<NodeRequest> out;
  for (const NodeRequest& r : t.requests()) {
    if (r.kind == NodeRequest::Kind::kSignal && r.job == id) out.push_back(r);
  }
  return out;
}

TEST_F(ClusterTest, OversizedRequestsAreTakenAndWait) {
  JobSpec nodes = Spec();
  nodes.min_nodes = 50;
  nodes.ntasks = 0;
  JobId a = Submit(nodes);
  EXPECT_EQ(StateOf(a), JobState::kPending);
  EXPECT_EQ(ReasonOf(a), PendingReason::kPartitionNodeLimit);

  JobSpec cpus = Spec();
  cpus.cpus_per_task = 100000;
  cpus.cpus_per_task_given = true;
  JobId b = Submit(cpus);
  EXPECT_EQ(StateOf(b), JobState::kPending);

  // Neither holds back a job that fits.
  EXPECT_EQ(StateOf(Submit(Spec())), JobState::kRunning);
  // What fits no node for another cause is still refused at once.
  JobSpec memory = Spec();
  memory.mem_per_node_mb = 100000;
  EXPECT_EQ(cluster_->ctld().Submit(memory, kAlice).error().code(),
            ErrorCode::kNodeConfigUnavailable);
}

TEST_F(ClusterTest, OversizedRequestsAreRefusedWithEnforcePartLimits) {
  std::string conf = kClusterConf;
  conf += "EnforcePartLimits=ALL\n";
  StartCluster(conf.c_str());
  JobSpec nodes = Spec();
  nodes.min_nodes = 50;
  nodes.ntasks = 0;
  EXPECT_FALSE(cluster_->ctld().Submit(nodes, kAlice).has_value());
}

TEST_F(ClusterTest, BatchSignalIsSentAheadOfTheTimeLimit) {
  JobSpec s = Spec();
  s.time_limit = Duration::FromMinutes(2);
  s.signal = "B:10@30";
  JobId id = Submit(s);
  ASSERT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_TRUE(cluster_->Advance(seconds(89)).has_value());
  EXPECT_TRUE(SignalsOf(cluster_->transport(), id).empty());
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  std::vector<NodeRequest> sent = SignalsOf(cluster_->transport(), id);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].signal, 10);
  EXPECT_TRUE(sent[0].batch_only);
  EXPECT_EQ(sent[0].node, cluster_->Job(id)->alloc.nodes.front().node);
  // Once only, and the time limit still ends the job.
  ASSERT_TRUE(cluster_->Advance(seconds(20)).has_value());
  EXPECT_EQ(SignalsOf(cluster_->transport(), id).size(), 1u);
  ASSERT_TRUE(cluster_->Advance(seconds(10)).has_value());
  EXPECT_EQ(StateOf(id), JobState::kTimeout);
}

TEST_F(ClusterTest, SignalWithoutBatchGoesToEveryNodeWithTheDefaultLead) {
  JobSpec s = Spec();
  s.min_nodes = 2;
  s.ntasks = 2;
  s.time_limit = Duration::FromMinutes(5);
  s.signal = "12@60";
  JobId id = Submit(s);
  ASSERT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_TRUE(cluster_->Advance(seconds(239)).has_value());
  EXPECT_TRUE(SignalsOf(cluster_->transport(), id).empty());
  ASSERT_TRUE(cluster_->Advance(seconds(1)).has_value());
  std::vector<NodeRequest> sent = SignalsOf(cluster_->transport(), id);
  ASSERT_EQ(sent.size(), 2u);
  for (const NodeRequest& r : sent) {
    EXPECT_EQ(r.signal, 12);
    EXPECT_FALSE(r.batch_only);
  }
}

TEST_F(ClusterTest, SignalOfAJobThatEndedEarlyIsNotSent) {
  JobSpec s = Spec();
  s.time_limit = Duration::FromMinutes(2);
  s.signal = "10@30";
  JobId id = Submit(s);
  ASSERT_TRUE(cluster_->Finish(id).has_value());
  ASSERT_TRUE(cluster_->Advance(seconds(120)).has_value());
  EXPECT_TRUE(SignalsOf(cluster_->transport(), id).empty());
}

TEST_F(ClusterTest, ScancelBatchSignalsOnlyTheBatchShell) {
  JobSpec s = Spec();
  s.min_nodes = 2;
  s.ntasks = 2;
  JobId id = Submit(s);
  ASSERT_EQ(StateOf(id), JobState::kRunning);
  ASSERT_TRUE(cluster_->ctld().Signal(id, 10, kAlice, /*batch_only=*/true).has_value());
  std::vector<NodeRequest> sent = SignalsOf(cluster_->transport(), id);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].batch_only);
  EXPECT_EQ(sent[0].node, cluster_->Job(id)->alloc.nodes.front().node);
  ASSERT_TRUE(cluster_->ctld().Signal(id, 10, kAlice).has_value());
  sent = SignalsOf(cluster_->transport(), id);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_FALSE(sent[1].batch_only);
  EXPECT_FALSE(sent[2].batch_only);
}

JobSpec WithSubmitContext() {
  JobSpec s = Spec();
  s.command = "/home/alice/job.sh";
  s.alloc_node = "login1";
  s.alloc_sid = 4242;
  s.cpus_per_task = 2;
  s.cpus_per_task_given = true;
  s.gres = "gpu:2";
  return s;
}

void ExpectSubmitContext(const Job& job) {
  EXPECT_EQ(job.spec->command, "/home/alice/job.sh");
  EXPECT_EQ(job.spec->alloc_node, "login1");
  EXPECT_EQ(job.spec->alloc_sid, 4242u);
  EXPECT_TRUE(job.spec->cpus_per_task_given);
  EXPECT_EQ(job.spec->gres, "gpu:2");
}

TEST_F(ClusterTest, SubmitContextSurvivesRestartFromTheLog) {
  JobSpec held = WithSubmitContext();
  held.hold = true;
  JobId id = Submit(held);
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ExpectSubmitContext(*cluster_->Job(id));
}

TEST_F(ClusterTest, SubmitContextSurvivesRestartFromASnapshot) {
  JobSpec held = WithSubmitContext();
  held.hold = true;
  JobId id = Submit(held);
  ASSERT_TRUE(cluster_->ctld().WriteSnapshotForTesting().has_value());
  cluster_->Crash();
  ASSERT_TRUE(cluster_->Restart().has_value());
  ExpectSubmitContext(*cluster_->Job(id));
}

// A job record from before the spec block decodes, with that block's defaults.
TEST(JobOptionsRecords, RecordsWithoutTheSpecBlockStillDecode) {
  auto job = std::make_shared<Job>();
  job->id = 7;
  job->spec = std::make_shared<const JobSpec>(WithSubmitContext());
  std::string now = ctld::EncodeRecord(ctld::JobRecord{true, true, job});
  auto round = ctld::DecodeRecord(now);
  ASSERT_TRUE(round.has_value()) << round.error().ToString();
  ExpectSubmitContext(*std::get<ctld::JobRecord>(*round).job);

  // The block: its length byte, -c given (1), "/home/alice/job.sh" (1+18), "login1"
  // (1+6), 4242 (2), kill-on-invalid-dep unset (1), no array (1+1); then the array block
  // (its length, then 4 bytes for a job that is not an array).
  std::string before = now.substr(0, now.size() - 38);
  auto old = ctld::DecodeRecord(before);
  ASSERT_TRUE(old.has_value()) << old.error().ToString();
  const JobSpec& spec = *std::get<ctld::JobRecord>(*old).job->spec;
  EXPECT_FALSE(spec.cpus_per_task_given);
  EXPECT_EQ(spec.command, "");
  EXPECT_EQ(spec.alloc_node, "");
  EXPECT_EQ(spec.alloc_sid, 0u);
  EXPECT_EQ(spec.gres, "gpu:2");  // in the spec from the start
}

}  // namespace
}  // namespace drover::testing
