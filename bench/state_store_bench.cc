// StateStore append throughput: one record per AppendSync from one thread (the latency of
// a durable commit) and from 8 threads at once (group commit sharing one fsync), with
// synchronous=FULL and NORMAL, plus the memory store as a floor.
//
//   ninja -C build/storage state_store_bench && build/storage/src/storage/state_store_bench
//
// Files go to $DROVER_BENCH_DIR, or the system temp directory (make sure it is a real
// disk, not tmpfs, or fsync costs nothing). Counters: records/s (all threads together) and
// records/batch (how many appends each transaction carried).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/memory_state_store.h"
#include "storage/state_store.h"

namespace drover::storage {
namespace {

class StoreFixture : public benchmark::Fixture {
 public:
  void SetUp(benchmark::State& state) override {
    if (state.thread_index() != 0) return;  // one store, shared by every thread
    const char* base = std::getenv("DROVER_BENCH_DIR");
    std::string pattern =
        (std::filesystem::path(base ? base : std::filesystem::temp_directory_path()) /
         "drover-bench-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) state.SkipWithError("mkdtemp failed");
    dir_ = pattern;
    if (state.range(0) == 2) {
      store_ = NewMemoryStateStore();
      return;
    }
    auto store = OpenSqliteStateStore(dir_ + "/state.db", {.full_sync = state.range(0) == 1});
    if (!store) {
      state.SkipWithError(store.error().ToString().c_str());
      return;
    }
    store_ = std::move(store).value();
  }

  void TearDown(benchmark::State& state) override {
    if (state.thread_index() != 0) return;
    if (store_) {
      StateStoreStats stats = store_->Stats();
      state.counters["records/batch"] =
          stats.batches ? static_cast<double>(stats.records) / stats.batches : 0;
    }
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

 protected:
  std::string dir_;
  std::unique_ptr<StateStore> store_;
};

// range(0): 1 = SQLite synchronous=FULL, 0 = SQLite synchronous=NORMAL, 2 = memory.
BENCHMARK_DEFINE_F(StoreFixture, AppendSync)(benchmark::State& state) {
  const std::string payload(200, 'j');  // about one small serialised command
  for (auto _ : state) {
    auto seq = store_->AppendSync({payload});
    if (!seq) {
      state.SkipWithError(seq.error().ToString().c_str());
      break;
    }
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void Modes(benchmark::internal::Benchmark* b) {
  b->ArgName("sync")->Arg(1)->Arg(0)->Arg(2)->UseRealTime()->MinTime(2.0);
}
BENCHMARK_REGISTER_F(StoreFixture, AppendSync)->Apply(Modes)->Threads(1)->Threads(8);

}  // namespace
}  // namespace drover::storage

BENCHMARK_MAIN();
