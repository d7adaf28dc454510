#include "cli/scontrol/show.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/scontrol/scontrol.h"
#include "cli/squeue/fake_client_for_testing.h"
#include "cli/squeue/reference_cluster_for_testing.h"

namespace drover::cli::scontrol {
namespace {

using testing::FindJob;
using testing::ReadGolden;

class ShowTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::UseUtcForTesting(); }

  std::string Job(uint32_t id, ShowOptions o = {}) {
    std::vector<v1::JobInfo> jobs = testing::ReferenceQueue();
    jobs.push_back(testing::CompletedJob());
    return RenderJob(FindJob(jobs, id), o, testing::kScontrolNow);
  }
};

TEST_F(ShowTest, JobRunning) {
  EXPECT_EQ(Job(35484), ReadGolden("scontrol_show_job_running.txt").output);
}
TEST_F(ShowTest, JobPendingResources) {
  EXPECT_EQ(Job(35486), ReadGolden("scontrol_show_job_pending_resources.txt").output);
}
TEST_F(ShowTest, JobHeld) {
  EXPECT_EQ(Job(35488), ReadGolden("scontrol_show_job_held.txt").output);
}
TEST_F(ShowTest, JobCompleted) {
  EXPECT_EQ(Job(35477), ReadGolden("scontrol_show_job_completed.txt").output);
}
TEST_F(ShowTest, JobArray) {
  EXPECT_EQ(Job(35492), ReadGolden("scontrol_show_job_array.txt").output);
}
TEST_F(ShowTest, JobPartitionTimeLimit) {
  EXPECT_EQ(Job(35491), ReadGolden("scontrol_show_job_partitiontimelimit.txt").output);
}
TEST_F(ShowTest, JobOneLiner) {
  EXPECT_EQ(Job(35483, {.one_liner = true}), ReadGolden("scontrol_show_job_oneliner.txt").output);
}

TEST_F(ShowTest, JobDetails) {
  std::vector<v1::JobInfo> jobs = testing::ReferenceQueue();
  v1::JobInfo j = FindJob(jobs, 35483);
  v1::NodeAllocation* a = j.add_node_allocations();
  a->set_node_name("node1");
  a->add_cpu_ids()->set_last(0);
  a->set_mem_mb(50);
  std::string text = RenderJob(j, {.details = true}, testing::kScontrolNow);
  EXPECT_NE(text.find("ExitCode=0:0\n   DerivedExitCode=0:0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("CoreSpec=*\n   JOB_GRES=(null)\n     Nodes=node1 CPU_IDs=0 Mem=50 GRES=\n"
                      "   MinCPUsNode=1"),
            std::string::npos)
      << text;
}

TEST_F(ShowTest, Nodes) {
  std::string all;
  for (const v1::NodeInfo& n : testing::ReferenceNodes()) all += RenderNode(n, {});
  EXPECT_EQ(all, ReadGolden("scontrol_show_node.txt").output);
  EXPECT_EQ(RenderNode(testing::ReferenceNodes()[0], {}),
            ReadGolden("scontrol_show_node_one.txt").output);
}

TEST_F(ShowTest, Partitions) {
  std::string all;
  for (const v1::PartitionInfo& p : testing::ReferencePartitions()) all += RenderPartition(p, {});
  EXPECT_EQ(all, ReadGolden("scontrol_show_partition.txt").output);
}

TEST_F(ShowTest, Ping) {
  v1::PingResponse ping;
  ping.set_hostname("vm");
  ping.set_role(v1::CONTROLLER_ROLE_PRIMARY);
  EXPECT_EQ(RenderPing(ping), ReadGolden("scontrol_ping.txt").output);
}

TEST_F(ShowTest, PingEachController) {
  v1::PingResponse backup;
  backup.set_hostname("ctl2");
  backup.set_role(v1::CONTROLLER_ROLE_BACKUP);
  std::vector<ControllerPing> pings = {{"ctl1", std::nullopt}, {"ctl2", backup}};
  EXPECT_EQ(RenderPings(pings),
            "Slurmctld(primary) at ctl1 is DOWN\nSlurmctld(backup) at ctl2 is UP\n");
  // UP names the host that answered, whatever slurm.conf calls the address.
  v1::PingResponse primary;
  primary.set_hostname("vm");
  pings = {{"vm-alias", primary}, {"ctl2", std::nullopt}};
  EXPECT_EQ(RenderPings(pings),
            "Slurmctld(primary) at vm is UP\nSlurmctld(backup) at ctl2 is DOWN\n");
}

TEST_F(ShowTest, Config) {
  v1::GetConfigResponse config;
  config.set_config_time(testing::T(23, 35, 53));
  v1::ConfigEntry* e = config.add_entries();
  e->set_key("AccountingStorageHost");
  e->set_value("localhost");
  e = config.add_entries();
  e->set_key("AccountingStorageBackupHost");
  e->set_value("(null)");
  config.add_controllers()->set_name("vm");
  v1::PingResponse ping;
  ping.set_hostname("vm");
  EXPECT_EQ(RenderConfig(config, &ping),
            "Configuration data as of 2026-11-21T23:35:53\n"
            "AccountingStorageHost   = localhost\n"
            "AccountingStorageBackupHost = (null)\n"
            "\n"
            "Slurmctld(primary) at vm is UP\n");
}

// Run() through a factory handing out a client that forwards to `fake`.
class Forwarding final : public client::ControllerClient {
 public:
  explicit Forwarding(testing::FakeControllerClient* f) : f_(f) {}
  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(const v1::SubmitBatchJobRequest& r) override {
    return f_->SubmitBatchJob(r);
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest& r) override {
    return f_->ListJobs(r);
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest& r) override {
    return f_->ListNodes(r);
  }
  Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest& r) override {
    return f_->ListPartitions(r);
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest& r) override {
    return f_->CancelJobs(r);
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest& r) override {
    return f_->UpdateJobs(r);
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest& r) override {
    return f_->HoldJobs(r);
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest& r) override {
    return f_->ReleaseJobs(r);
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest& r) override {
    return f_->RequeueJobs(r);
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest& r) override {
    return f_->UpdateNodes(r);
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest& r) override {
    return f_->GetConfig(r);
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest& r) override {
    return f_->Reconfigure(r);
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest& r) override { return f_->Ping(r); }

 private:
  testing::FakeControllerClient* f_;
};

class ScontrolRunTest : public ShowTest {
 protected:
  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    Invocation inv{"scontrol", std::move(args), {}, out_, err_};
    return scontrol::Run(
        inv, [this](const Environment&) -> Result<std::unique_ptr<client::ControllerClient>> {
          ++connects_;
          return std::unique_ptr<client::ControllerClient>(std::make_unique<Forwarding>(&fake_));
        });
  }
  testing::FakeControllerClient fake_;
  std::ostringstream out_, err_;
  int connects_ = 0;
};

TEST_F(ScontrolRunTest, InvalidJobId) {
  testing::Golden golden = ReadGolden("err_invalid_jobid_scontrol.txt");
  EXPECT_EQ(Run({"show", "job", "99999999"}), golden.exit_code);
  EXPECT_EQ(out_.str() + err_.str(), golden.output);
  ASSERT_EQ(fake_.job_requests.size(), 1u);
  EXPECT_EQ(fake_.job_requests[0].filter().jobs(0).job_id(), 99999999u);
  EXPECT_TRUE(fake_.job_requests[0].filter().all_states());
}

TEST_F(ScontrolRunTest, ShowJobOneLinerThroughRun) {
  fake_.jobs = {FindJob(testing::ReferenceQueue(), 35483)};
  EXPECT_EQ(Run({"-o", "show", "job", "35483"}), 0);
  EXPECT_EQ(out_.str().substr(0, 30), "JobId=35483 JobName=run_sleep ");
}

// Slurm's own sample runs "scontrol show job -o 35483": options may follow the command.
TEST_F(ScontrolRunTest, OptionsAfterTheCommand) {
  fake_.jobs = {FindJob(testing::ReferenceQueue(), 35483)};
  EXPECT_EQ(Run({"show", "job", "-o", "35483"}), 0) << err_.str();
  std::string text = out_.str();
  EXPECT_EQ(text.substr(0, 30), "JobId=35483 JobName=run_sleep ");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(fake_.job_requests.back().filter().jobs(0).job_id(), 35483u);
  EXPECT_EQ(Run({"show", "-d", "job", "35483"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("   DerivedExitCode=0:0\n"), std::string::npos) << out_.str();
}

TEST_F(ScontrolRunTest, ShowNodeAndPartitionThroughRun) {
  fake_.nodes = {testing::ReferenceNodes()[0]};
  EXPECT_EQ(Run({"show", "node", "node1"}), 0);
  EXPECT_EQ(out_.str(), ReadGolden("scontrol_show_node_one.txt").output);
  EXPECT_EQ(fake_.node_requests[0].node_names(0), "node1");
  fake_.nodes.clear();
  EXPECT_EQ(Run({"show", "node", "nosuch"}), 1);
  EXPECT_EQ(err_.str(), "Node nosuch not found\n");
  for (const v1::PartitionInfo& p : testing::ReferencePartitions()) {
    *fake_.partitions.add_partitions() = p;
  }
  EXPECT_EQ(Run({"show", "partition"}), 0);
  EXPECT_EQ(out_.str(), ReadGolden("scontrol_show_partition.txt").output);
}

TEST_F(ScontrolRunTest, PingAndUnreachable) {
  fake_.ping.set_hostname("vm");
  EXPECT_EQ(Run({"ping"}), 0);
  EXPECT_EQ(out_.str(), "Slurmctld(primary) at vm is UP\n");
  fake_.error = Error(ErrorCode::kUnavailable);
  EXPECT_EQ(Run({"show", "job"}), 1);
  EXPECT_EQ(err_.str(),
            "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n");
}

TEST_F(ScontrolRunTest, HostnamesNeedNoController) {
  EXPECT_EQ(Run({"show", "hostnames", "n[1-2]"}), 0);
  EXPECT_EQ(out_.str(), "n1\nn2\n");
  EXPECT_EQ(connects_, 0);
}

}  // namespace
}  // namespace drover::cli::scontrol
