#include "cli/scancel/scancel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "cli/scancel/options.h"
#include "client/recording_client_for_testing.h"

namespace drover::cli::scancel {
namespace {

using client::RecordingControllerClient;
using ::testing::ElementsAre;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunScancel(std::vector<std::string> args, RecordingControllerClient& client) {
  std::ostringstream out, err;
  Invocation inv{"scancel", std::move(args), {}, out, err};
  int code = Run(inv, client);
  return {code, out.str(), err.str()};
}

std::vector<std::string> Ids(const v1::CancelJobsRequest& r) {
  std::vector<std::string> ids;
  for (const v1::JobRef& ref : r.jobs()) ids.push_back(FormatJobRef(ref));
  return ids;
}

TEST(ScancelTest, IdsAndRangesGoToTheController) {
  RecordingControllerClient client;
  client.AddResult(42);
  Outcome o = RunScancel({"42,43", "44_7", "45_[1-3,7]", "46.1", "47.batch"}, client);
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
  ASSERT_EQ(client.cancels.size(), 1u);
  EXPECT_THAT(Ids(client.cancels[0]),
              ElementsAre("42", "43", "44_7", "45_[1-3,7]", "46.1", "47.batch"));
  EXPECT_EQ(client.cancels[0].signal(), 0);
}

TEST(ScancelTest, FiltersTravelInTheRequest) {
  RecordingControllerClient client;
  Outcome o =
      RunScancel({"-u", "alice,1001", "-A", "acct", "-p", "debug,long", "-t", "PD,running", "-n",
                  "job1", "-q", "high", "-w", "node[1-2]", "--me", "-s", "USR1", "-b"},
                 client);
  EXPECT_EQ(o.code, 0) << o.err;
  ASSERT_EQ(client.cancels.size(), 1u);
  const v1::CancelJobsRequest& r = client.cancels[0];
  EXPECT_EQ(r.jobs_size(), 0);
  EXPECT_THAT(r.filter().user_names(), ElementsAre("alice"));
  EXPECT_THAT(r.filter().uids(), ElementsAre(1001u, static_cast<uint32_t>(getuid())));
  EXPECT_THAT(r.filter().accounts(), ElementsAre("acct"));
  EXPECT_THAT(r.filter().partitions(), ElementsAre("debug", "long"));
  EXPECT_THAT(r.filter().states(), ElementsAre(v1::JOB_STATE_PENDING, v1::JOB_STATE_RUNNING));
  EXPECT_THAT(r.filter().names(), ElementsAre("job1"));
  EXPECT_THAT(r.filter().qos(), ElementsAre("high"));
  EXPECT_THAT(r.filter().node_names(), ElementsAre("node[1-2]"));
  EXPECT_EQ(r.signal(), 10);
  EXPECT_TRUE(r.batch_only());
  EXPECT_FALSE(r.full());
}

TEST(ScancelTest, UnknownJobIsSilentAndSucceeds) {
  // reference/err_invalid_jobid_scancel.txt: `scancel 99999999` prints nothing, exit 0.
  RecordingControllerClient client;
  client.AddResult(99999999, ErrorCode::kInvalidJobId);
  Outcome o = RunScancel({"99999999"}, client);
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(o.err, "");
}

TEST(ScancelTest, UnknownJobIsReportedWithVerbose) {
  RecordingControllerClient client;
  client.AddResult(99999999, ErrorCode::kInvalidJobId);
  Outcome o = RunScancel({"-v", "99999999"}, client);
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.err,
            "scancel: Terminating job 99999999\n"
            "scancel: error: Kill job error on job id 99999999: Invalid job id specified\n");
}

TEST(ScancelTest, SignallingAnUnknownJobFails) {
  RecordingControllerClient client;
  client.AddResult(99999999, ErrorCode::kInvalidJobId);
  Outcome o = RunScancel({"-s", "TERM", "99999999"}, client);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "");
}

TEST(ScancelTest, RefusedJobIsReportedInSlurmWords) {
  RecordingControllerClient client;
  client.AddResult(41);
  client.AddResult(42, ErrorCode::kAccessDenied);
  Outcome o = RunScancel({"41", "42"}, client);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err, "scancel: error: Kill job error on job id 42: Access/permission denied\n");
}

TEST(ScancelTest, UnreachableControllerPerJob) {
  RecordingControllerClient client;
  client.error = Error(ErrorCode::kUnavailable);
  Outcome o = RunScancel({"42"}, client);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.err,
            "scancel: error: Kill job error on job id 42: Unable to contact slurm controller "
            "(connect failure)\n");
}

TEST(ScancelTest, BadInputIsRefusedBeforeAnyCall) {
  RecordingControllerClient client;
  Outcome bad_id = RunScancel({"4x2"}, client);
  EXPECT_EQ(bad_id.code, 1);
  EXPECT_EQ(bad_id.err, "scancel: error: Invalid job id 4x2\n");
  Outcome bad_signal = RunScancel({"-s", "NOPE", "42"}, client);
  EXPECT_EQ(bad_signal.code, 1);
  EXPECT_EQ(bad_signal.err, "scancel: error: Invalid job signal: NOPE\n");
  Outcome none = RunScancel({}, client);
  EXPECT_EQ(none.code, 1);
  EXPECT_EQ(none.err, "scancel: error: No job identification provided\n");
  Outcome interactive = RunScancel({"-i", "42"}, client);
  EXPECT_EQ(interactive.code, 1);
  EXPECT_THAT(interactive.err, ::testing::StartsWith("scancel: error: --interactive is not"));
  Outcome option = RunScancel({"--nosuchoption"}, client);
  EXPECT_EQ(option.code, 1);
  EXPECT_EQ(option.err,
            "scancel: unrecognized option '--nosuchoption'\n"
            "Try \"scancel --help\" for more information\n");
  EXPECT_TRUE(client.cancels.empty());
}

TEST(ScancelTest, VersionAndSignals) {
  RecordingControllerClient client;
  Outcome v = RunScancel({"-V"}, client);
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out, "slurm 22.05.8\n");
  EXPECT_EQ(*ParseSignal("SIGKILL"), 9);
  EXPECT_EQ(*ParseSignal("kill"), 9);
  EXPECT_EQ(*ParseSignal("15"), 15);
  EXPECT_FALSE(ParseSignal("0"));
}

}  // namespace
}  // namespace drover::cli::scancel
