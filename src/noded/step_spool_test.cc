#include "noded/step_spool.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "noded/spool.h"

namespace drover::noded {
namespace {

TEST(StepSpoolTest, FramesSplitAcrossReadsComeOutWhole) {
  std::string stream = EncodeFrame("hello") + EncodeFrame("") + EncodeFrame(std::string(300, 'x'));
  EXPECT_EQ(stream.substr(0, 4), std::string("\0\0\0\5", 4));
  FrameReader reader;
  std::vector<std::string> frames;
  for (char c : stream) {  // one byte at a time
    reader.Append(&c, 1);
    for (;;) {
      auto frame = reader.Next();
      ASSERT_TRUE(frame);
      if (!frame->has_value()) break;
      frames.push_back(**frame);
    }
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0], "hello");
  EXPECT_EQ(frames[1], "");
  EXPECT_EQ(frames[2], std::string(300, 'x'));
}

TEST(StepSpoolTest, OversizedFrameIsAProtocolError) {
  FrameReader reader;
  std::string header("\x7f\0\0\0", 4);
  reader.Append(header.data(), header.size());
  auto frame = reader.Next();
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().code(), ErrorCode::kProtocol);
}

TEST(StepSpoolTest, StepDirectoriesAreFoundBesideJobDirectories) {
  std::string spool = ::testing::TempDir() + "/step_spool_test";
  std::filesystem::remove_all(spool);
  std::filesystem::create_directories(spool);
  EXPECT_EQ(StepDir(spool, 42, 3), spool + "/job00042.3");
  for (const std::string& name :
       {"job00042", "job00042.3", "job00042.0", "job00007.1", "job00042.x", "job.1", "jobx.1"}) {
    mkdir((spool + "/" + name).c_str(), 0700);
  }
  using Steps = std::vector<std::pair<uint32_t, uint32_t>>;
  EXPECT_EQ(ListStepDirs(spool), (Steps{{7, 1}, {42, 0}, {42, 3}}));
  EXPECT_EQ(ListJobDirs(spool), std::vector<uint32_t>{42}) << "steps are not batch jobs";
  EXPECT_EQ(JobStepdDirs(spool, 42),
            (std::vector<std::string>{spool + "/job00042", spool + "/job00042.0",
                                      spool + "/job00042.3"}));
  std::filesystem::remove_all(spool);
}

}  // namespace
}  // namespace drover::noded
