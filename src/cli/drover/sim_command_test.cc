#include "cli/drover/sim_command.h"

#include <gtest/gtest.h>

#include <sstream>

namespace drover::cli::drover {
namespace {

struct Out {
  std::ostringstream out, err;
  int code = 0;
};

Out RunSim(std::vector<std::string> args) {
  Out o;
  Invocation inv{"drover", std::move(args), {}, o.out, o.err};
  o.code = SimCommand(inv);
  return o;
}

TEST(SimCommandTest, ComparesModesOnATrace) {
  Out o = RunSim({"--swf", DROVER_TEST_DATA_DIR "/sim/tiny.swf", "--nodes", "1", "--cpus", "4"});
  ASSERT_EQ(o.code, 0) << o.err.str();
  std::string s = o.out.str();
  EXPECT_NE(s.find("3 jobs, 1 skipped"), std::string::npos) << s;
  EXPECT_NE(s.find("cluster: 1 nodes x 4 CPUs"), std::string::npos);
  // fifo: util 0.700, mean wait 90, median 90, bsld 2.50, makespan 250, no backfill.
  EXPECT_NE(s.find("fifo             3  0.700         90         90     2.50        250         0"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("easy             3  0.875         37         20     1.43        200         1"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("backfill         3  0.875"), std::string::npos) << s;
}

TEST(SimCommandTest, SyntheticOneMode) {
  Out o = RunSim({"--synthetic", "50", "--nodes", "4", "--cpus", "8", "--mode", "easy",
                  "--params", "bf_interval=10"});
  ASSERT_EQ(o.code, 0) << o.err.str();
  EXPECT_NE(o.out.str().find("synthetic (50 jobs, seed 1"), std::string::npos) << o.out.str();
  EXPECT_NE(o.out.str().find("\neasy "), std::string::npos);
  EXPECT_EQ(o.out.str().find("\nfifo "), std::string::npos);
}

TEST(SimCommandTest, Errors) {
  Out bad = RunSim({"--swf", DROVER_TEST_DATA_DIR "/sim/bad_field.swf"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.str().find("bad_field.swf:3: field 4 (run time)"), std::string::npos)
      << bad.err.str();
  EXPECT_EQ(RunSim({"--mode", "lifo"}).code, 1);
  EXPECT_EQ(RunSim({"--nodes"}).code, 1);
  EXPECT_EQ(RunSim({"--params", "bf_window=x"}).code, 1);
  EXPECT_EQ(RunSim({"--help"}).code, 0);
}

}  // namespace
}  // namespace drover::cli::drover
