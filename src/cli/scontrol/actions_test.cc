// scontrol's actions with a client that records requests: what goes to the controller,
// how replies and failures are worded, and the exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/scontrol/scontrol.h"
#include "client/recording_client_for_testing.h"

namespace drover::cli::scontrol {
namespace {

using client::RecordingControllerClient;
using ::testing::ElementsAre;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ScontrolActionsTest : public ::testing::Test {
 protected:
  Outcome Scontrol(std::vector<std::string> args) {
    std::ostringstream out, err;
    Invocation inv{"scontrol", std::move(args), {}, out, err};
    ClientFactory factory =
        [this](const Environment&) -> Result<std::unique_ptr<client::ControllerClient>> {
      ++connects_;
      if (unreachable_) return Error(ErrorCode::kUnavailable);
      return std::unique_ptr<client::ControllerClient>(new Forwarding(client_));
    };
    int code = scontrol::Run(inv, factory);
    return {code, out.str(), err.str()};
  }

  // Hands the test's client to Run() without giving up ownership.
  class Forwarding final : public client::ControllerClient {
   public:
    explicit Forwarding(RecordingControllerClient& c) : c_(c) {}
    Result<v1::SubmitBatchJobResponse> SubmitBatchJob(const v1::SubmitBatchJobRequest& r) override {
      return c_.SubmitBatchJob(r);
    }
    Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& r) override {
      return c_.ListJobs(r);
    }
    Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& r) override {
      return c_.ListNodes(r);
    }
    Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest& r) override {
      return c_.ListPartitions(r);
    }
    Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& r) override {
      return c_.CancelJobs(r);
    }
    Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& r) override {
      return c_.UpdateJobs(r);
    }
    Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& r) override {
      return c_.HoldJobs(r);
    }
    Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& r) override {
      return c_.ReleaseJobs(r);
    }
    Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& r) override {
      return c_.RequeueJobs(r);
    }
    Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& r) override {
      return c_.UpdateNodes(r);
    }
    Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest& r) override {
      return c_.GetConfig(r);
    }
    Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest& r) override {
      return c_.Reconfigure(r);
    }
    Result<v1::PingResponse> Ping(const v1::PingRequest& r) override { return c_.Ping(r); }

   private:
    RecordingControllerClient& c_;
  };

  RecordingControllerClient client_;
  bool unreachable_ = false;
  int connects_ = 0;
};

TEST_F(ScontrolActionsTest, UpdateJobSendsTheChangedFieldsOnly) {
  client_.AddResult(42);
  Outcome o = Scontrol({"update", "JobId=42", "TimeLimit=1:30:00", "Partition=short",
                        "NumNodes=2-4", "Nice=10", "Name=renamed"});
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.err, "");
  ASSERT_EQ(client_.job_updates.size(), 1u);
  const v1::UpdateJobsRequest& r = client_.job_updates[0];
  ASSERT_EQ(r.jobs_size(), 1);
  EXPECT_EQ(r.jobs(0).job_id(), 42u);
  EXPECT_EQ(r.spec().time_limit_s(), 5400);
  EXPECT_THAT(r.spec().partitions(), ElementsAre("short"));
  EXPECT_EQ(r.spec().min_nodes(), 2u);
  EXPECT_EQ(r.spec().max_nodes(), 4u);
  EXPECT_EQ(r.spec().nice(), 10);
  EXPECT_EQ(r.spec().name(), "renamed");
  EXPECT_THAT(r.update_mask().paths(),
              ElementsAre("time_limit_s", "partitions", "min_nodes", "max_nodes", "nice", "name"));
}

TEST_F(ScontrolActionsTest, UpdateJobByFilters) {
  Outcome o = Scontrol({"update", "JobName=sim", "UserId=alice", "TimeLimit=UNLIMITED"});
  EXPECT_EQ(o.code, 0) << o.err;
  ASSERT_EQ(client_.job_updates.size(), 1u);
  const v1::UpdateJobsRequest& r = client_.job_updates[0];
  EXPECT_EQ(r.jobs_size(), 0);
  EXPECT_THAT(r.filter().names(), ElementsAre("sim"));
  EXPECT_THAT(r.filter().user_names(), ElementsAre("alice"));
  EXPECT_EQ(r.spec().time_limit_s(), -1);
}

TEST_F(ScontrolActionsTest, UpdateJobErrorsInSlurmWords) {
  client_.AddResult(42, ErrorCode::kAccessDenied);
  Outcome denied = Scontrol({"update", "JobId=42", "TimeLimit=10"});
  EXPECT_EQ(denied.code, 1);
  EXPECT_EQ(denied.err, "slurm_update error: Access/permission denied\n");

  Outcome unsupported = Scontrol({"update", "JobId=42", "Bogus=1"});
  EXPECT_EQ(unsupported.code, 1);
  EXPECT_EQ(unsupported.err,
            "Update of this parameter is not supported: Bogus=1\nRequest aborted\n");

  unreachable_ = true;
  Outcome down = Scontrol({"update", "JobId=42", "TimeLimit=10"});
  EXPECT_EQ(down.code, 1);
  EXPECT_EQ(down.err, "slurm_update error: Unable to contact slurm controller (connect failure)\n");
  EXPECT_EQ(client_.job_updates.size(), 1u);
}

TEST_F(ScontrolActionsTest, UpdateNode) {
  Outcome o = Scontrol({"update", "NodeName=node[1-2]", "State=DRAIN", "Reason=bad disk"});
  EXPECT_EQ(o.code, 0) << o.err;
  ASSERT_EQ(client_.node_updates.size(), 1u);
  EXPECT_THAT(client_.node_updates[0].node_names(), ElementsAre("node[1-2]"));
  EXPECT_EQ(client_.node_updates[0].state(), v1::NODE_UPDATE_STATE_DRAIN);
  EXPECT_EQ(client_.node_updates[0].reason(), "bad disk");

  Outcome resume = Scontrol({"update", "nodename=node1", "state=resume"});
  EXPECT_EQ(resume.code, 0) << resume.err;
  EXPECT_EQ(client_.node_updates[1].state(), v1::NODE_UPDATE_STATE_RESUME);

  Outcome no_reason = Scontrol({"update", "NodeName=node1", "State=DOWN"});
  EXPECT_EQ(no_reason.code, 1);
  EXPECT_EQ(no_reason.err,
            "You must specify a reason when DOWNING or DRAINING a node. Request denied\n");
  Outcome bad_state = Scontrol({"update", "NodeName=node1", "State=sideways"});
  EXPECT_EQ(bad_state.code, 1);
  EXPECT_THAT(bad_state.err, ::testing::StartsWith("Invalid input: State=sideways\n"));
  EXPECT_EQ(client_.node_updates.size(), 2u);
}

TEST_F(ScontrolActionsTest, HoldReleaseRequeue) {
  EXPECT_EQ(Scontrol({"hold", "42,43", "44_[1-3]"}).code, 0);
  ASSERT_EQ(client_.holds.size(), 1u);
  EXPECT_EQ(client_.holds[0].jobs_size(), 3);
  EXPECT_FALSE(client_.holds[0].user_hold());

  EXPECT_EQ(Scontrol({"uhold", "42"}).code, 0);
  EXPECT_TRUE(client_.holds[1].user_hold());

  EXPECT_EQ(Scontrol({"release", "JobName=sim"}).code, 0);
  ASSERT_EQ(client_.releases.size(), 1u);
  EXPECT_THAT(client_.releases[0].filter().names(), ElementsAre("sim"));

  EXPECT_EQ(Scontrol({"requeue", "42"}).code, 0);
  EXPECT_EQ(Scontrol({"requeuehold", "42", "State=SpecialExit"}).code, 0);
  ASSERT_EQ(client_.requeues.size(), 2u);
  EXPECT_FALSE(client_.requeues[0].hold());
  EXPECT_TRUE(client_.requeues[1].hold());
  EXPECT_TRUE(client_.requeues[1].special_exit());
}

TEST_F(ScontrolActionsTest, PerJobErrorsOfSeveralJobs) {
  client_.AddResult(42);
  client_.AddResult(43, ErrorCode::kJobNotPending);
  Outcome o = Scontrol({"hold", "42", "43"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "scontrol: error: 43: Job is no longer pending execution\n");
}

TEST_F(ScontrolActionsTest, BadJobIdIsRefusedWithoutTheController) {
  Outcome o = Scontrol({"hold", "abc"});
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "slurm_update error: Invalid job id specified\n");
  EXPECT_EQ(connects_, 0);
}

TEST_F(ScontrolActionsTest, Reconfigure) {
  Outcome o = Scontrol({"reconfigure"});
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(client_.reconfigures, 1);
  client_.error = Error(ErrorCode::kAccessDenied);
  Outcome denied = Scontrol({"reconfig"});
  EXPECT_EQ(denied.code, 1);
  EXPECT_EQ(denied.err, "slurm_reconfigure error: Access/permission denied\n");
}

}  // namespace
}  // namespace drover::cli::scontrol
