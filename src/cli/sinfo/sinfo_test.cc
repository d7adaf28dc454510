#include "cli/sinfo/sinfo.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/sinfo/node_text.h"
#include "cli/squeue/fake_client_for_testing.h"
#include "cli/squeue/reference_cluster_for_testing.h"

namespace drover::cli::sinfo {
namespace {

using testing::ReadGolden;

class SinfoTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::UseUtcForTesting(); }

  std::string Render(std::vector<std::string> args) {
    Result<Options> o = ParseOptions(args);
    EXPECT_TRUE(o.has_value()) << o.error().message();
    Result<std::string> text = RenderSinfo(*o, testing::ReferencePartitions(),
                                           testing::ReferenceNodes(), testing::kSqueueNow);
    EXPECT_TRUE(text.has_value()) << text.error().message();
    return text.value_or("");
  }
};

TEST_F(SinfoTest, DefaultMatchesReference) {
  EXPECT_EQ(Render({}), ReadGolden("sinfo.txt").output);
}

TEST_F(SinfoTest, SummarizeMatchesReference) {
  EXPECT_EQ(Render({"-s"}), ReadGolden("sinfo_s.txt").output);
}

TEST_F(SinfoTest, NodeLongMatchesReference) {
  EXPECT_EQ(Render({"-N", "-l"}), ReadGolden("sinfo_N_l.txt").output);
}

TEST_F(SinfoTest, ReasonsMatchesReference) {
  EXPECT_EQ(Render({"-R"}), ReadGolden("sinfo_R.txt").output);
}

TEST_F(SinfoTest, ReasonsListDrainedNodes) {
  std::vector<v1::NodeInfo> nodes = testing::ReferenceNodes();
  for (int i : {1, 2}) {
    nodes[i].set_state(v1::NODE_STATE_IDLE);
    nodes[i].add_state_flags(v1::NODE_STATE_FLAG_DRAIN);
    nodes[i].set_reason("bad disk");
    nodes[i].mutable_reason_user()->set_name("root");
    nodes[i].set_reason_time(testing::T(23, 0, 0));
  }
  Result<Options> o = ParseOptions({"-R"});
  ASSERT_TRUE(o.has_value());
  Result<std::string> text = RenderSinfo(*o, testing::ReferencePartitions(), nodes, 0);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "REASON               USER      TIMESTAMP           NODELIST\n"
            "bad disk             root      2026-11-21T23:00:00 node[2-3]\n");
  o = ParseOptions({});
  text = RenderSinfo(*o, testing::ReferencePartitions(), nodes, 0);
  EXPECT_NE(text->find("debug*       up   infinite      2  drain node[2-3]\n"), std::string::npos)
      << *text;
}

TEST_F(SinfoTest, StateNames) {
  v1::NodeInfo n;
  n.set_state(v1::NODE_STATE_IDLE);
  EXPECT_EQ(nodetext::StateCompact(n), "idle");
  n.add_state_flags(v1::NODE_STATE_FLAG_NOT_RESPONDING);
  EXPECT_EQ(nodetext::StateCompact(n), "idle*");
  n.set_state(v1::NODE_STATE_DOWN);
  EXPECT_EQ(nodetext::StateCompact(n), "down*");
  EXPECT_EQ(nodetext::StateScontrol(n), "DOWN+NOT_RESPONDING");
  n.clear_state_flags();
  n.set_state(v1::NODE_STATE_MIXED);
  n.add_state_flags(v1::NODE_STATE_FLAG_DRAIN);
  EXPECT_EQ(nodetext::StateCompact(n), "drng");
  EXPECT_EQ(nodetext::StateLong(n), "draining");
  n.set_state(v1::NODE_STATE_UNKNOWN);
  n.clear_state_flags();
  n.add_state_flags(v1::NODE_STATE_FLAG_NOT_RESPONDING);
  EXPECT_EQ(nodetext::StateCompact(n), "unk*");
}

TEST_F(SinfoTest, FiltersGoToTheController) {
  testing::FakeControllerClient client;
  client.nodes = testing::ReferenceNodes();
  *client.partitions.add_partitions() = testing::ReferencePartitions()[0];
  std::ostringstream out, err;
  Invocation inv{
      "sinfo", {"-p", "debug", "-t", "idle,drain", "-n", "node[1-2]", "-a"}, {}, out, err};
  ASSERT_EQ(sinfo::Run(inv, client), 0) << err.str();
  ASSERT_EQ(client.node_requests.size(), 1u);
  const v1::ListNodesRequest& r = client.node_requests[0];
  EXPECT_EQ(r.partitions(0), "debug");
  EXPECT_EQ(r.states(0), v1::NODE_STATE_IDLE);
  EXPECT_EQ(r.state_flags(0), v1::NODE_STATE_FLAG_DRAIN);
  EXPECT_EQ(r.node_names(0), "node[1-2]");
  EXPECT_TRUE(r.include_hidden());
  EXPECT_EQ(client.partition_requests[0].names(0), "debug");
  EXPECT_FALSE(ParseOptions({"-t", "sleepy"}).has_value());
}

TEST_F(SinfoTest, JsonHeadMatchesReference) {
  std::vector<v1::NodeInfo> nodes = testing::ReferenceNodes();
  nodes[0].set_last_busy_time(1795304139);
  std::string json = RenderSinfoJson(testing::ReferencePartitions(), nodes);
  std::string golden = ReadGolden("sinfo_json_head50.txt").output;
  EXPECT_EQ(json.substr(0, golden.size()), golden);
}

// (A protobuf Join() found by argument-dependent lookup once printed "" here.)
TEST_F(SinfoTest, FeaturesNull) {
  std::string row = "(null)|(null)|(null)|none\n";
  std::string all;
  for (int i = 0; i < 8; ++i) all += row;
  EXPECT_EQ(Render({"-h", "-N", "-o", "%f|%b|%G|%E"}), all);
}

TEST_F(SinfoTest, FormatOption) {
  EXPECT_EQ(Render({"-h", "-o", "%P|%a|%D|%T|%C|%c|%m"}),
            "debug*|up|3|mixed|189/3/0/192|64|4519\n"
            "debug*|up|1|allocated|64/0/0/64|64|4519\n"
            "short|up|3|mixed|189/3/0/192|64|4519\n"
            "short|up|1|allocated|64/0/0/64|64|4519\n");
}

}  // namespace
}  // namespace drover::cli::sinfo
