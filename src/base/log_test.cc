#include "base/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace drover::log {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LogTest, LinesCarryComponentAndLevelAndRespectTheThreshold) {
  std::string path = ::testing::TempDir() + "drover_log_test_" + std::to_string(getpid());
  Configure({.level = Level::kInfo, .file = path});
  Logger engine("engine");
  engine.Info("JobId={} JobState={}", 42, "RUNNING");
  engine.Debug("hidden {}", 1);
  engine.Error("disk full");
  EXPECT_TRUE(engine.Enabled(Level::kWarning));
  EXPECT_FALSE(engine.Enabled(Level::kDebug));
  Configure({.level = Level::kInfo});  // closes the file
  std::string text = ReadFile(path);
  EXPECT_NE(text.find("[engine] info: JobId=42 JobState=RUNNING"), std::string::npos) << text;
  EXPECT_NE(text.find("[engine] error: disk full"), std::string::npos) << text;
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
  unlink(path.c_str());
}

TEST(LogTest, SlurmLevelNames) {
  Level level = Level::kInfo;
  EXPECT_TRUE(ParseSlurmLevel("debug2", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_TRUE(ParseSlurmLevel("QUIET", &level));
  EXPECT_EQ(level, Level::kOff);
  EXPECT_TRUE(ParseSlurmLevel("verbose", &level));
  EXPECT_EQ(level, Level::kInfo);
  EXPECT_FALSE(ParseSlurmLevel("chatty", &level));
}

}  // namespace
}  // namespace drover::log
