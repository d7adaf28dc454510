// The StateStore contract, run against every implementation (memory and SQLite).
#include "storage/state_store.h"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/memory_state_store.h"
#include "storage/storage_test_util.h"

namespace drover::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

struct MemoryImpl {
  std::shared_ptr<MemoryStateDisk> disk = std::make_shared<MemoryStateDisk>();
  Result<std::unique_ptr<StateStore>> Open() {
    return MemoryStateStore::Open(disk).transform([](std::unique_ptr<MemoryStateStore> s) {
      return std::unique_ptr<StateStore>(std::move(s));
    });
  }
};

struct SqliteImpl {
  TempDir dir;
  std::string path = dir.File("state.db");
  Result<std::unique_ptr<StateStore>> Open() { return OpenSqliteStateStore(path); }
};

template <typename Impl>
class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Open(); }

  std::unique_ptr<StateStore> Open() {
    auto store = impl_.Open();
    if (!store) ADD_FAILURE() << store.error().ToString();
    return std::move(store).value();
  }
  void Reopen() {
    store_.reset();
    store_ = Open();
  }
  Recovered Recover() {
    auto recovered = store_->Recover();
    if (!recovered) ADD_FAILURE() << recovered.error().ToString();
    return std::move(recovered).value();
  }

  Impl impl_;
  std::unique_ptr<StateStore> store_;
};

using Implementations = ::testing::Types<MemoryImpl, SqliteImpl>;
class ImplName {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryImpl> ? "Memory" : "Sqlite";
  }
};
TYPED_TEST_SUITE(StateStoreTest, Implementations, ImplName);

MATCHER_P2(Record, seq, payload, "") { return arg.seq == seq && arg.payload == payload; }

TYPED_TEST(StateStoreTest, EmptyStoreRecoversNothing) {
  Recovered recovered = this->Recover();
  EXPECT_FALSE(recovered.snapshot.has_value());
  EXPECT_EQ(recovered.snapshot_seq, 0u);
  EXPECT_TRUE(recovered.tail.empty());
  EXPECT_EQ(this->store_->Stats().last_seq, 0u);
}

TYPED_TEST(StateStoreTest, SequenceNumbersStartAtOneAndCountRecords) {
  EXPECT_EQ(this->store_->AppendSync({"a"}).value(), 1u);
  EXPECT_EQ(this->store_->AppendSync({"b", "c"}).value(), 3u);
  EXPECT_EQ(this->store_->AppendSync({"d"}).value(), 4u);
  EXPECT_THAT(this->Recover().tail,
              ElementsAre(Record(1u, "a"), Record(2u, "b"), Record(3u, "c"), Record(4u, "d")));
  EXPECT_EQ(this->store_->Stats().last_seq, 4u);
}

TYPED_TEST(StateStoreTest, EmptyAppendIsABarrierReturningTheLastSeq) {
  EXPECT_EQ(this->store_->AppendSync({}).value(), 0u);
  ASSERT_EQ(this->store_->AppendSync({"a", "b"}).value(), 2u);
  EXPECT_EQ(this->store_->AppendSync({}).value(), 2u);
  EXPECT_EQ(this->Recover().tail.size(), 2u);
}

TYPED_TEST(StateStoreTest, DoneCallbacksRunInAppendOrderWithTheirLastSeq) {
  constexpr int kAppends = 300;
  std::mutex mu;
  std::vector<std::pair<int, uint64_t>> calls;  // (append index, last seq)
  uint64_t expected_last = 0;
  std::vector<uint64_t> expected;
  for (int i = 0; i < kAppends; ++i) {
    std::vector<std::string> payloads(i % 4, fmt::format("r{}", i));  // 0..3 records
    expected_last += payloads.size();
    expected.push_back(expected_last);
    this->store_->Append(std::move(payloads), [&, i](Result<uint64_t> seq) {
      std::lock_guard lock(mu);
      calls.emplace_back(i, seq.value());
    });
  }
  ASSERT_EQ(this->store_->AppendSync({}).value(), expected_last);
  std::lock_guard lock(mu);
  ASSERT_EQ(calls.size(), static_cast<size_t>(kAppends));
  for (int i = 0; i < kAppends; ++i) {
    EXPECT_EQ(calls[i].first, i);
    EXPECT_EQ(calls[i].second, expected[i]) << "append " << i;
  }
}

TYPED_TEST(StateStoreTest, PayloadsAreOpaqueBytes) {
  const std::string binary("\0\x01\xff\0zero", 8);
  const std::string big(1 << 20, 'x');
  ASSERT_TRUE(this->store_->AppendSync({binary, "", big}).has_value());
  this->Reopen();
  EXPECT_THAT(this->Recover().tail,
              ElementsAre(Record(1u, binary), Record(2u, ""), Record(3u, big)));
}

TYPED_TEST(StateStoreTest, ConcurrentAppendersGetDistinctIncreasingSeqsAllRecovered) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100;
  std::vector<std::vector<std::pair<uint64_t, std::string>>> acked(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Two records every third append: numbers advance by the record count.
        std::vector<std::string> payloads = {fmt::format("t{}-{}", t, i)};
        if (i % 3 == 0) payloads.push_back(fmt::format("t{}-{}b", t, i));
        auto seq = this->store_->AppendSync(payloads);
        ASSERT_TRUE(seq.has_value()) << seq.error().ToString();
        for (size_t k = 0; k < payloads.size(); ++k) {
          acked[t].emplace_back(*seq - (payloads.size() - 1 - k), payloads[k]);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::map<uint64_t, std::string> all;
  for (const auto& mine : acked) {
    for (size_t i = 0; i < mine.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(mine[i - 1].first, mine[i].first);
      }
      EXPECT_TRUE(all.emplace(mine[i]).second) << "seq " << mine[i].first << " given twice";
    }
  }
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.begin()->first, 1u);
  EXPECT_EQ(all.rbegin()->first, all.size());  // no gaps

  this->Reopen();
  Recovered recovered = this->Recover();
  ASSERT_EQ(recovered.tail.size(), all.size());
  for (const LogRecord& record : recovered.tail) {
    EXPECT_EQ(all[record.seq], record.payload) << "seq " << record.seq;
  }
}

TYPED_TEST(StateStoreTest, RecoversTheSnapshotAndTheTailAfterIt) {
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(this->store_->AppendSync({fmt::format("r{}", i)}));
  ASSERT_TRUE(this->store_->WriteSnapshot(6, "state@6"));
  ASSERT_EQ(this->store_->AppendSync({"r11", "r12"}).value(), 12u);

  for (int pass = 0; pass < 2; ++pass) {
    Recovered recovered = this->Recover();
    EXPECT_EQ(recovered.snapshot, "state@6");
    EXPECT_EQ(recovered.snapshot_seq, 6u);
    EXPECT_THAT(recovered.tail,
                ElementsAre(Record(7u, "r7"), Record(8u, "r8"), Record(9u, "r9"),
                            Record(10u, "r10"), Record(11u, "r11"), Record(12u, "r12")));
    this->Reopen();
  }
}

TYPED_TEST(StateStoreTest, SnapshotDropsOldRecordsAndOnlyTheNewestIsKept) {
  ASSERT_EQ(this->store_->AppendSync({"a", "b", "c"}).value(), 3u);
  ASSERT_TRUE(this->store_->WriteSnapshot(2, "s2"));
  ASSERT_TRUE(this->store_->WriteSnapshot(3, "s3"));
  Recovered recovered = this->Recover();
  EXPECT_EQ(recovered.snapshot, "s3");
  EXPECT_EQ(recovered.snapshot_seq, 3u);
  EXPECT_TRUE(recovered.tail.empty());
  // The same seq again replaces it (a retried snapshot).
  ASSERT_TRUE(this->store_->WriteSnapshot(3, "s3-again"));
  EXPECT_EQ(this->Recover().snapshot, "s3-again");
}

TYPED_TEST(StateStoreTest, SnapshotPastTheLogOrOlderThanTheStoredOneIsRefused) {
  ASSERT_EQ(this->store_->AppendSync({"a", "b", "c"}).value(), 3u);
  Status past = this->store_->WriteSnapshot(4, "s4");
  ASSERT_FALSE(past.has_value());
  EXPECT_EQ(past.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(this->store_->WriteSnapshot(3, "s3"));
  Status older = this->store_->WriteSnapshot(2, "s2");
  ASSERT_FALSE(older.has_value());
  EXPECT_EQ(older.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(this->Recover().snapshot, "s3");
}

TYPED_TEST(StateStoreTest, ReopeningContinuesTheNumbering) {
  ASSERT_EQ(this->store_->AppendSync({"a", "b", "c"}).value(), 3u);
  this->Reopen();
  EXPECT_EQ(this->store_->AppendSync({"d"}).value(), 4u);
  // A snapshot at the last record empties the log; numbers still do not repeat.
  ASSERT_TRUE(this->store_->WriteSnapshot(4, "s4"));
  this->Reopen();
  EXPECT_EQ(this->store_->Stats().last_seq, 4u);
  EXPECT_EQ(this->store_->AppendSync({"e"}).value(), 5u);
  this->Reopen();
  Recovered recovered = this->Recover();
  EXPECT_EQ(recovered.snapshot_seq, 4u);
  EXPECT_THAT(recovered.tail, ElementsAre(Record(5u, "e")));
}

TYPED_TEST(StateStoreTest, ClosingWritesEveryQueuedAppendAndRunsItsCallback) {
  constexpr int kAppends = 500;
  std::atomic<int> ok{0};
  std::atomic<uint64_t> last{0};
  for (int i = 0; i < kAppends; ++i) {
    this->store_->Append({fmt::format("r{}", i)}, [&](Result<uint64_t> seq) {
      if (seq) {
        ++ok;
        last = *seq;
      }
    });
  }
  this->store_.reset();
  EXPECT_EQ(ok.load(), kAppends);
  EXPECT_EQ(last.load(), static_cast<uint64_t>(kAppends));
  this->store_ = this->Open();
  Recovered recovered = this->Recover();
  ASSERT_EQ(recovered.tail.size(), static_cast<size_t>(kAppends));
  EXPECT_EQ(recovered.tail.back().payload, fmt::format("r{}", kAppends - 1));
}

TYPED_TEST(StateStoreTest, ASecondStoreOnTheSameFileIsRefused) {
  auto second = this->impl_.Open();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kIo);
  EXPECT_THAT(second.error().ToString(), ::testing::HasSubstr("in use"));
  // The first still works, and once it is closed the file opens again.
  EXPECT_EQ(this->store_->AppendSync({"a"}).value(), 1u);
  this->Reopen();
  EXPECT_EQ(this->store_->Stats().last_seq, 1u);
}

TYPED_TEST(StateStoreTest, StatsCountRecordsAndBatches) {
  ASSERT_TRUE(this->store_->AppendSync({"a", "b"}));
  ASSERT_TRUE(this->store_->AppendSync({"c"}));
  ASSERT_TRUE(this->store_->AppendSync({}));  // no records: no batch
  StateStoreStats stats = this->store_->Stats();
  EXPECT_EQ(stats.last_seq, 3u);
  EXPECT_EQ(stats.records, 3u);
  EXPECT_EQ(stats.batches, 2u);
}

}  // namespace
}  // namespace drover::storage
