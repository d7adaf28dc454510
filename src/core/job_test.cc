#include "core/job.h"

#include <gtest/gtest.h>

namespace drover {
namespace {

TEST(JobSignalFromText, ReadsTargetNumberAndLead) {
  std::optional<JobSignal> s = JobSignalFromText("B:10@55");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->number, 10);
  EXPECT_EQ(s->lead, Duration::FromSeconds(55));
  EXPECT_TRUE(s->batch_only);
  EXPECT_FALSE(s->reservation);

  s = JobSignalFromText("12");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->number, 12);
  EXPECT_EQ(s->lead, Duration::FromSeconds(60));  // the default lead time
  EXPECT_FALSE(s->batch_only);

  s = JobSignalFromText("R:2@0");
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->reservation);
  EXPECT_EQ(s->lead, Duration::FromSeconds(0));
}

TEST(JobSignalFromText, RefusesWhatIsNotASignal) {
  for (const char* text : {"", "B:", "USR1", "0", "65", "10@", "10@x", "10@-5", "X:10"}) {
    EXPECT_FALSE(JobSignalFromText(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace drover
