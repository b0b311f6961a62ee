// Where the time of a durable post goes, without HTTP: the use case alone, on the real SQLite
// store in a temp directory. Compare BM_PostMessageDurable (group commit, one fsync per batch)
// with BM_PostMessageSqlOnly (the same work inside one transaction: the writer's CPU per post).
#include <atomic>
#include <memory>

#include <benchmark/benchmark.h>

#include "app/message_service.h"
#include "support/test_app.h"

namespace kaiwa::bench {
namespace {

constexpr std::string_view kBody = "[To:2] 明日の会議の資料を共有します。確認をお願いします。";

struct Scene {
  test::TestApp app;
  core::AccountId poster;
  core::RoomId room;

  Scene() {
    auto org = app.create_org();
    poster = app.create_account(org, "poster@bench.example");
    auto reader = app.create_account(org, "reader@bench.example");
    room = app.create_group(poster, {reader});
  }
};

Scene* shared_scene = nullptr;

void BM_PostMessageDurable(benchmark::State& state) {
  if (state.thread_index() == 0) {
    shared_scene = new Scene();
  }
  // Threads start their loops together, after thread 0 has built the scene.
  for (auto _ : state) {
    auto id = shared_scene->app.messages.post_message(shared_scene->poster, shared_scene->room,
                                                      kBody, false);
    if (!id) {
      state.SkipWithError("post failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["writes_per_commit"] =
        static_cast<double>(shared_scene->app.store().committed_writes()) /
        static_cast<double>(shared_scene->app.store().commits());
    delete shared_scene;
    shared_scene = nullptr;
  }
}

BENCHMARK(BM_PostMessageDurable)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

void BM_PostMessageSqlOnly(benchmark::State& state) {
  Scene scene;
  constexpr int kPostsPerTransaction = 1000;
  for (auto _ : state) {
    auto status = scene.app.store().run_write([&](ports::StoreTx& tx) -> core::Status {
      for (int i = 0; i < kPostsPerTransaction; ++i) {
        KAIWA_TRY(app::append_message(tx, scene.room, scene.poster, std::string(kBody), false,
                                      1'800'000'000'000));
      }
      return core::ok();
    });
    if (!status) {
      state.SkipWithError("write failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kPostsPerTransaction);
}

BENCHMARK(BM_PostMessageSqlOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace kaiwa::bench

BENCHMARK_MAIN();
