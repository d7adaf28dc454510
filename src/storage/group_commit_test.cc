#include "storage/group_commit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

namespace drover::storage {
namespace {

using ::testing::ElementsAre;

// A commit function that numbers records and remembers each batch's size.
struct FakeDisk {
  std::mutex mu;
  uint64_t last = 0;
  std::vector<size_t> batches;
  std::optional<Error> fail;

  GroupCommitter::CommitFn Fn() {
    return [this](std::vector<std::string>& records) -> Result<uint64_t> {
      std::lock_guard lock(mu);
      if (fail) return *fail;
      if (!records.empty()) batches.push_back(records.size());
      last += records.size();
      return last;
    };
  }
};

TEST(GroupCommitterTest, TakesEveryQueuedAppendInOneBatch) {
  FakeDisk disk;
  GroupCommitter committer(100, disk.Fn());
  committer.HoldForTesting(true);
  std::vector<uint64_t> seqs;
  for (int i = 0; i < 10; ++i) {
    committer.Append({"a", "b"}, [&](Result<uint64_t> seq) { seqs.push_back(seq.value()); });
  }
  committer.HoldForTesting(false);
  ASSERT_EQ(committer.AppendSync({}).value(), 20u);
  EXPECT_THAT(disk.batches, ElementsAre(20u));
  EXPECT_THAT(seqs, ElementsAre(2u, 4u, 6u, 8u, 10u, 12u, 14u, 16u, 18u, 20u));
  EXPECT_EQ(committer.batches(), 1u);
  EXPECT_EQ(committer.records(), 20u);
}

TEST(GroupCommitterTest, BatchesStopAtMaxBatchButNeverSplitAnAppend) {
  FakeDisk disk;
  GroupCommitter committer(4, disk.Fn());
  committer.HoldForTesting(true);
  auto ignore = [](Result<uint64_t>) {};
  committer.Append({"1", "2", "3"}, ignore);
  committer.Append({"4", "5"}, ignore);                          // 3 + 2 > 4: next batch
  committer.Append({"6", "7"}, ignore);                          // 2 + 2 = 4: same batch
  committer.Append({"8", "9", "10", "11", "12", "13"}, ignore);  // larger than a batch: alone
  committer.Append({"14"}, ignore);
  committer.HoldForTesting(false);
  ASSERT_EQ(committer.AppendSync({}).value(), 14u);
  EXPECT_THAT(disk.batches, ElementsAre(3u, 4u, 6u, 1u));
}

TEST(GroupCommitterTest, AFailedCommitFailsItsBatchAndEveryLaterOne) {
  FakeDisk disk;
  GroupCommitter committer(100, disk.Fn());
  ASSERT_EQ(committer.AppendSync({"a"}).value(), 1u);
  disk.fail = Error(ErrorCode::kIo, "disk I/O error");
  auto failed = committer.AppendSync({"b"});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message(), "disk I/O error");
  disk.fail.reset();  // the disk "recovers", but what it holds is now uncertain
  auto later = committer.AppendSync({"c"});
  ASSERT_FALSE(later.has_value());
  EXPECT_EQ(later.error().message(), "disk I/O error");
  EXPECT_EQ(disk.last, 1u);
}

TEST(GroupCommitterTest, DrainWritesTheQueueAndLaterAppendsAreCancelled) {
  FakeDisk disk;
  GroupCommitter committer(100, disk.Fn());
  committer.HoldForTesting(true);
  int done = 0;
  for (int i = 0; i < 5; ++i)
    committer.Append({"x"}, [&](Result<uint64_t> seq) {
      EXPECT_TRUE(seq.has_value());
      ++done;
    });
  committer.Drain();  // releases the hold
  EXPECT_EQ(done, 5);
  EXPECT_EQ(disk.last, 5u);
  auto after = committer.AppendSync({"y"});
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code(), ErrorCode::kCancelled);
}

TEST(GroupCommitterTest, AbandonCancelsWhatIsQueued) {
  FakeDisk disk;
  GroupCommitter committer(100, disk.Fn());
  ASSERT_EQ(committer.AppendSync({"a"}).value(), 1u);
  committer.HoldForTesting(true);
  std::vector<ErrorCode> codes;
  for (int i = 0; i < 3; ++i) {
    committer.Append({"x"}, [&](Result<uint64_t> seq) { codes.push_back(seq.error().code()); });
  }
  committer.Abandon();
  EXPECT_THAT(codes,
              ElementsAre(ErrorCode::kCancelled, ErrorCode::kCancelled, ErrorCode::kCancelled));
  EXPECT_EQ(disk.last, 1u);
}

}  // namespace
}  // namespace drover::storage
