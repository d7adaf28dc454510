#include "cli/squeue/squeue.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/squeue/fake_client_for_testing.h"
#include "cli/squeue/options.h"
#include "cli/squeue/reference_cluster_for_testing.h"
#include "cli/squeue/render.h"

namespace drover::cli::squeue {
namespace {

using testing::FakeControllerClient;
using testing::Golden;
using testing::ReadGolden;

class SqueueTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::UseUtcForTesting(); }

  std::string Render(std::vector<std::string> args, std::vector<v1::JobInfo> jobs) {
    Result<Options> o = ParseOptions(args, 0);
    EXPECT_TRUE(o.has_value()) << o.error().message();
    Result<std::string> text = RenderJobs(*o, std::move(jobs), testing::kSqueueNow);
    EXPECT_TRUE(text.has_value()) << text.error().message();
    return text.value_or("");
  }
};

TEST_F(SqueueTest, DefaultMatchesReference) {
  EXPECT_EQ(Render({}, testing::ReferenceQueue()), ReadGolden("squeue.txt").output);
}

TEST_F(SqueueTest, LongMatchesReference) {
  EXPECT_EQ(Render({"-l"}, testing::ReferenceQueue()), ReadGolden("squeue_l.txt").output);
}

TEST_F(SqueueTest, StartMatchesReference) {
  std::vector<v1::JobInfo> pending;
  for (const v1::JobInfo& j : testing::ReferenceQueue()) {
    if (j.state() == v1::JOB_STATE_PENDING) pending.push_back(j);
  }
  EXPECT_EQ(Render({"--start"}, pending), ReadGolden("squeue_start.txt").output);
}

// squeue -t all -o '...' | head -30: the fixture is read back from the reference rows
// (29 cancelled jobs), so this checks the format engine, truncation and INVALID times.
TEST_F(SqueueTest, AllStatesFormatMatchesReference) {
  Golden golden = ReadGolden("squeue_t_all_fmt.txt");
  std::istringstream lines(golden.output);
  std::string line;
  std::getline(lines, line);  // header
  std::vector<v1::JobInfo> jobs;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string id, part, name, user, state, time, limit, nodes, nodelist;
    f >> id >> part >> name >> user >> state >> time >> limit >> nodes >> nodelist;
    v1::JobInfo j = testing::BaseJob(0, name, part, v1::JOB_STATE_CANCELLED, testing::T(23, 0, 0));
    if (size_t u = id.find('_'); u != std::string::npos) {
      j.set_job_id(std::stoul(id.substr(0, u)));
      j.set_array_job_id(j.job_id());
      v1::IdRange* r = j.add_pending_array_tasks();
      r->set_first(1);
      r->set_last(5);
      j.set_array_max_running(2);
    } else {
      j.set_job_id(std::stoul(id));
    }
    if (limit != "UNLIMITED") j.mutable_spec()->set_time_limit_s(limit == "30:00" ? 1800 : 300);
    j.set_num_nodes(std::stoul(nodes));
    j.set_node_list(nodelist);
    j.set_start_time(testing::T(23, 10, 0));
    if (time == "INVALID") {
      j.set_end_time(testing::T(23, 9, 0));
    } else {
      int m = std::stoi(time.substr(0, time.find(':')));
      int s = std::stoi(time.substr(time.find(':') + 1));
      j.set_end_time(testing::T(23, 10, 0) + m * 60 + s);
    }
    jobs.push_back(j);
  }
  ASSERT_EQ(jobs.size(), 29u);
  EXPECT_EQ(Render({"-t", "all", "-o", "%.10i %.9P %.12j %.8u %.10T %.10M %.9l %.6D %R"}, jobs),
            golden.output);
}

TEST_F(SqueueTest, UnknownJobIdIsAnError) {
  FakeControllerClient client;
  std::ostringstream out, err;
  Invocation inv{"squeue", {"-j", "99999999"}, {}, out, err};
  Golden golden = ReadGolden("err_invalid_jobid_squeue.txt");
  EXPECT_EQ(squeue::Run(inv, client), golden.exit_code);
  EXPECT_EQ(out.str() + err.str(), golden.output);
  ASSERT_EQ(client.job_requests.size(), 1u);
  EXPECT_EQ(client.job_requests[0].filter().jobs(0).job_id(), 99999999u);
}

TEST_F(SqueueTest, ControllerErrorIsReported) {
  FakeControllerClient client;
  client.error = Error(ErrorCode::kUnavailable);
  std::ostringstream out, err;
  Invocation inv{"squeue", {}, {}, out, err};
  EXPECT_EQ(squeue::Run(inv, client), 1);
  EXPECT_EQ(err.str(),
            "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n");
}

// squeue asks for the brief listing only when every column and sort key can print from
// it.
TEST_F(SqueueTest, BriefListingOnlyWhenItSuffices) {
  auto brief_for = [](std::vector<std::string> args) {
    FakeControllerClient client;
    client.jobs = testing::ReferenceQueue();
    std::ostringstream out, err;
    Invocation inv{"squeue", std::move(args), {}, out, err};
    EXPECT_EQ(squeue::Run(inv, client), 0) << err.str();
    EXPECT_EQ(client.job_requests.size(), 1u);
    return client.job_requests.empty() ? false : client.job_requests[0].brief();
  };
  EXPECT_TRUE(brief_for({}));
  EXPECT_TRUE(brief_for({"-l"}));
  EXPECT_TRUE(brief_for({"-o", "%.10i %a %q %L %S"}));
  EXPECT_TRUE(brief_for({"-O", "JobID,Partition,Name,UserName"}));
  EXPECT_FALSE(brief_for({"-o", "%i %m"}));  // MinMemory reads the spec
  EXPECT_FALSE(brief_for({"-O", "JobID,Command"}));
  EXPECT_FALSE(brief_for({"--json"}));
  EXPECT_FALSE(brief_for({"-S", "m"}));
  EXPECT_FALSE(brief_for({"--start"}));
}

TEST_F(SqueueTest, FiltersGoToTheController) {
  FakeControllerClient client;
  client.jobs = testing::ReferenceQueue();
  std::ostringstream out, err;
  Invocation inv{
      "squeue",
      {"-u", "alice,1001", "-p", "debug,short", "-t", "pd,RUNNING", "-j", "42,43_[1-3],44_2",
       "-w", "node[1-2]",  "-n", "a,b",         "-A", "acct",       "-q", "normal",
       "-a", "-r",         "-R", "resv"},
      {},
      out,
      err};
  ASSERT_EQ(squeue::Run(inv, client), 0) << err.str();
  ASSERT_EQ(client.job_requests.size(), 1u);
  const v1::ListJobsRequest& r = client.job_requests[0];
  EXPECT_EQ(r.filter().user_names_size(), 1);
  EXPECT_EQ(r.filter().user_names(0), "alice");
  EXPECT_EQ(r.filter().uids(0), 1001u);
  EXPECT_EQ(r.filter().partitions_size(), 2);
  ASSERT_EQ(r.filter().states_size(), 2);
  EXPECT_EQ(r.filter().states(0), v1::JOB_STATE_PENDING);
  EXPECT_EQ(r.filter().states(1), v1::JOB_STATE_RUNNING);
  ASSERT_EQ(r.filter().jobs_size(), 3);
  EXPECT_EQ(r.filter().jobs(1).job_id(), 43u);
  EXPECT_EQ(r.filter().jobs(1).array_tasks(0).last(), 3u);
  EXPECT_EQ(r.filter().jobs(2).array_tasks(0).first(), 2u);
  EXPECT_EQ(r.filter().node_names(0), "node[1-2]");
  EXPECT_EQ(r.filter().names_size(), 2);
  EXPECT_EQ(r.filter().accounts(0), "acct");
  EXPECT_EQ(r.filter().qos(0), "normal");
  EXPECT_EQ(r.filter().reservations(0), "resv");
  EXPECT_TRUE(r.include_hidden());
  EXPECT_TRUE(r.expand_arrays());
  // The client does not filter again: every job the controller returned is printed.
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11);
}

TEST_F(SqueueTest, StatesAllAndMe) {
  Result<Options> o = ParseOptions({"-t", "all", "--me"}, 1234);
  ASSERT_TRUE(o.has_value());
  EXPECT_TRUE(o->request.filter().all_states());
  EXPECT_EQ(o->request.filter().uids(0), 1234u);
  EXPECT_FALSE(ParseOptions({"-t", "bogus"}, 0).has_value());
  EXPECT_FALSE(ParseOptions({"-j", "x1"}, 0).has_value());
}

TEST_F(SqueueTest, LongFormatAndNoHeader) {
  std::vector<v1::JobInfo> jobs = {testing::FindJob(testing::ReferenceQueue(), 35483)};
  EXPECT_EQ(Render({"-O", "JobID:8,Partition:.9,Name:12,State", "-h"}, jobs),
            "35483       debugrun_sleep   RUNNING             \n");
  EXPECT_EQ(Render({"-o", "%i|%j|%t|%M|%l|%L|%D|%C|%S|%u|%a|%q|%Q|%r", "-h"}, jobs),
            "35483|run_sleep|R|0:07|30:00|29:53|1|1|2026-11-21T23:35:45|root|root|normal|1|None\n");
}

TEST_F(SqueueTest, SortKeys) {
  std::vector<v1::JobInfo> jobs = testing::ReferenceQueue();
  std::string text = Render({"-h", "-o", "%i", "-S", "-i"}, jobs);
  EXPECT_EQ(text.substr(0, 6), "35492_");
  text = Render({"-h", "-o", "%i", "-S", "+i"}, jobs);
  EXPECT_EQ(text.substr(0, 6), "35483\n");
}

TEST_F(SqueueTest, InvalidFormatLetter) {
  Result<Options> o = ParseOptions({"-o", "%i %!"}, 0);
  ASSERT_TRUE(o.has_value());
  EXPECT_FALSE(RenderJobs(*o, {}, 0).has_value());
  o = ParseOptions({"-O", "NoSuchField"}, 0);
  ASSERT_TRUE(o.has_value());
  Result<std::string> r = RenderJobs(*o, {}, 0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "Invalid job format specification: NoSuchField");
}

TEST_F(SqueueTest, JsonHeadMatchesReference) {
  std::vector<v1::JobInfo> jobs = {testing::FindJob(testing::ReferenceQueue(), 35489)};
  jobs[0].set_cluster("anchor");
  jobs[0].set_association_id(2);
  jobs[0].set_accrue_time(0);
  std::string json = RenderJobsJson(jobs, testing::kSqueueNow);
  std::string golden = ReadGolden("squeue_json_head50.txt").output;
  // The reference is `| head -50`: compare those lines.
  EXPECT_EQ(json.substr(0, golden.size()), golden);
}

}  // namespace
}  // namespace drover::cli::squeue
