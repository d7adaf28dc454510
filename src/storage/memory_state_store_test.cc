// What only the memory store does: simulated crashes and failing disks.
#include "storage/memory_state_store.h"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <atomic>

namespace drover::storage {
namespace {

TEST(MemoryStateStoreTest, ACrashKeepsWhatWasCommittedAndDropsWhatWasQueued) {
  auto disk = std::make_shared<MemoryStateDisk>();
  auto store = MemoryStateStore::Open(disk).value();
  ASSERT_EQ(store->AppendSync({"a", "b"}).value(), 2u);
  store->HoldWritesForTesting(true);
  std::atomic<int> cancelled{0};
  for (int i = 0; i < 3; ++i) {
    store->Append({"lost"}, [&](Result<uint64_t> seq) {
      if (!seq && seq.error().code() == ErrorCode::kCancelled) ++cancelled;
    });
  }
  store->CrashForTesting();
  EXPECT_EQ(cancelled.load(), 3);
  EXPECT_FALSE(store->AppendSync({"after"}).has_value());

  auto reopened = MemoryStateStore::Open(disk).value();  // the crashed store let go
  store.reset();                                         // and closing it changes nothing
  Recovered recovered = reopened->Recover().value();
  ASSERT_EQ(recovered.tail.size(), 2u);
  EXPECT_EQ(reopened->AppendSync({"c"}).value(), 3u);
  EXPECT_FALSE(MemoryStateStore::Open(disk).has_value());
}

TEST(MemoryStateStoreTest, AFailedCommitIsReportedAndSticks) {
  auto store = MemoryStateStore::Open(std::make_shared<MemoryStateDisk>()).value();
  ASSERT_EQ(store->AppendSync({"a"}).value(), 1u);
  store->FailCommitsForTesting(Error(ErrorCode::kIo, "fsync failed"));
  auto failed = store->AppendSync({"b"});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code(), ErrorCode::kIo);
  EXPECT_FALSE(store->WriteSnapshot(1, "s").has_value());
  EXPECT_EQ(store->Recover().value().tail.size(), 1u);
}

// A random mix of appends, snapshots and restarts recovers what a simple model predicts.
RC_GTEST_PROP(MemoryStateStoreProperty, RecoveryMatchesAModel, ()) {
  auto disk = std::make_shared<MemoryStateDisk>();
  auto store = MemoryStateStore::Open(disk).value();
  std::vector<std::string> all;  // all[i] is record i + 1
  uint64_t snapshot_seq = 0;
  const auto ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 10));
  for (int op : ops) {
    if (op < 6) {
      std::vector<std::string> payloads(op % 3, fmt::format("r{}", all.size()));
      for (auto& p : payloads) all.push_back(p);
      RC_ASSERT(store->AppendSync(payloads).value() == all.size());
    } else if (op < 8) {
      const uint64_t seq = *rc::gen::inRange<uint64_t>(snapshot_seq, all.size() + 1);
      RC_ASSERT(store->WriteSnapshot(seq, fmt::format("s{}", seq)).has_value());
      snapshot_seq = seq;
    } else {
      store.reset();
      store = MemoryStateStore::Open(disk).value();
    }
    Recovered recovered = store->Recover().value();
    RC_ASSERT(recovered.snapshot_seq == snapshot_seq);
    RC_ASSERT(recovered.tail.size() == all.size() - snapshot_seq);
    for (size_t i = 0; i < recovered.tail.size(); ++i) {
      RC_ASSERT(recovered.tail[i].seq == snapshot_seq + i + 1);
      RC_ASSERT(recovered.tail[i].payload == all[snapshot_seq + i]);
    }
  }
}

}  // namespace
}  // namespace drover::storage
