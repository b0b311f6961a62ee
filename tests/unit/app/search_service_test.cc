// Tests for SearchService on the real store and a real embedded Groonga index: the index follows
// the event log (posts, edits, deletes, deleted rooms), rebuilds from the store when it must,
// and a search only ever covers the caller's current rooms.
#include "app/search_service.h"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/groonga/groonga_search_index.h"
#include "support/app_test_base.h"
#include "support/result_assertions.h"

namespace kaiwa::app {
namespace {

using Ids = std::vector<std::int64_t>;

class SearchServiceTest : public test::AppTestBase {
 protected:
  void SetUp() override {
    AppTestBase::SetUp();
    open_index();
  }

  void open_index() {
    search_.reset();
    index_.reset();
    index_ = test::must(groonga::GroongaSearchIndex::open(app_.dir().path() / "search"), "open");
    search_ = std::make_unique<SearchService>(app_.deps(), *index_);
  }

  // Indexes until caught up, as the server's indexing loop does.
  void catch_up() {
    for (int steps = 0; steps < 100; ++steps) {
      if (test::must(search_->index_step(1000), "index_step") == 0) {
        return;
      }
    }
    FAIL() << "the index never caught up";
  }

  core::Result<SearchAnswer> search(core::AccountId caller, std::string query,
                                    std::vector<core::RoomId> rooms = {}) {
    SearchParams params;
    params.query = std::move(query);
    params.rooms = std::move(rooms);
    params.limit = 100;
    return search_->search(caller, params);
  }

  Ids found(core::AccountId caller, std::string query, std::vector<core::RoomId> rooms = {}) {
    SearchAnswer answer = test::must(search(caller, std::move(query), std::move(rooms)), "search");
    Ids ids;
    for (const FoundMessage& found : answer.hits) {
      ids.push_back(found.hit.id.value);
    }
    return ids;
  }

  std::unique_ptr<groonga::GroongaSearchIndex> index_;
  std::unique_ptr<SearchService> search_;
};

TEST_F(SearchServiceTest, PostsEditsAndDeletesReachTheIndexThroughTheLog) {
  catch_up();
  const core::MessageId first = app_.post(alice_, room_, "明日の会議は10時から");
  const core::MessageId second = app_.post(bob_, room_, "[To:1]会議室を予約しました");
  catch_up();
  EXPECT_EQ(found(carol_, "会議"), (Ids{second.value, first.value}));

  ASSERT_TRUE(test::is_ok(app_.messages.edit_message(alice_, room_, first, "打ち合わせは延期")));
  ASSERT_TRUE(test::is_ok(app_.messages.delete_message(bob_, room_, second)));
  catch_up();
  EXPECT_EQ(found(carol_, "会議"), Ids{});
  EXPECT_EQ(found(carol_, "打ち合わせ"), (Ids{first.value}));
}

TEST_F(SearchServiceTest, HitsCarryTheSenderAsItIsNow) {
  catch_up();
  const core::MessageId id = app_.post(bob_, room_, "見積もりを送付します");
  catch_up();
  SearchAnswer answer = test::must(search(alice_, "見積もり"), "search");
  ASSERT_EQ(answer.hits.size(), 1U);
  EXPECT_EQ(answer.hits[0].hit.id, id);
  EXPECT_EQ(answer.hits[0].hit.room, room_);
  EXPECT_EQ(answer.hits[0].sender.id, bob_);
  EXPECT_EQ(answer.hits[0].sender.name, "Bob");
  EXPECT_EQ(answer.total, 1);
  EXPECT_FALSE(answer.has_more);
}

TEST_F(SearchServiceTest, OnlyTheCallersCurrentRoomsAreSearched) {
  const core::RoomId private_room = app_.create_group(alice_, {dave_});
  catch_up();
  const core::MessageId shared = app_.post(alice_, room_, "納期は来週です");
  const core::MessageId hidden = app_.post(dave_, private_room, "納期の相談");
  catch_up();
  EXPECT_EQ(found(alice_, "納期"), (Ids{hidden.value, shared.value}));
  EXPECT_EQ(found(bob_, "納期"), (Ids{shared.value}));
  EXPECT_EQ(found(carol_, "納期"), (Ids{shared.value}));
  EXPECT_EQ(found(dave_, "納期"), (Ids{hidden.value}));
  EXPECT_EQ(found(bob_, "納期", {private_room}), Ids{});
  EXPECT_EQ(found(erin_, "納期"), Ids{});

  ASSERT_TRUE(test::is_ok(app_.rooms.leave_or_delete(bob_, room_, LeaveAction::kLeave)));
  EXPECT_EQ(found(bob_, "納期"), Ids{});
}

TEST_F(SearchServiceTest, DeletedRoomsLeaveTheIndex) {
  catch_up();
  app_.post(alice_, room_, "請求書を確認してください");
  catch_up();
  ASSERT_TRUE(test::is_ok(app_.rooms.leave_or_delete(alice_, room_, LeaveAction::kDelete)));
  catch_up();
  ports::SearchRequest request;
  request.query = test::must(core::parse_search_query("請求書"), "parse");
  request.rooms = {room_};
  EXPECT_EQ(test::must(index_->search(request), "search").total, 0);
}

TEST_F(SearchServiceTest, ANewIndexIsBuiltFromTheStoreThenFollowsTheLog) {
  app_.append_many(alice_, room_, 30, "資料");
  search_.reset();
  index_.reset();
  std::filesystem::remove_all(app_.dir().path() / "search");
  open_index();
  catch_up();
  EXPECT_EQ(found(bob_, "資料").size(), 30U);
  app_.post(bob_, room_, "資料を追加");
  catch_up();
  EXPECT_EQ(found(bob_, "資料").size(), 31U);
  const auto bounds = test::must(app_.stream.bounds(), "bounds");
  EXPECT_EQ(test::must(index_->checkpoint(), "checkpoint"), bounds.head);
}

TEST_F(SearchServiceTest, ACheckpointOlderThanTheRetainedLogRebuildsFromTheStore) {
  catch_up();
  const auto before = test::must(index_->checkpoint(), "checkpoint");
  search_.reset();  // the indexer is away while the log moves on and is pruned
  app_.post(alice_, room_, "障害報告");
  app_.clock().advance_ms(std::int64_t{40} * 24 * 3600 * 1000);
  app_.post(alice_, room_, "障害対応完了");
  EXPECT_GT(test::must(app_.stream.prune(std::int64_t{30} * 24 * 3600 * 1000, 100000), "prune"), 0);
  EXPECT_GT(test::must(app_.stream.bounds(), "bounds").pruned_through, before);
  search_ = std::make_unique<SearchService>(app_.deps(), *index_);
  catch_up();
  EXPECT_EQ(found(alice_, "障害").size(), 2U);
}

TEST_F(SearchServiceTest, ARebuildRequestIsAnsweredOnce) {
  catch_up();
  app_.post(alice_, room_, "議事録");
  catch_up();
  EXPECT_FALSE(test::must(search_->rebuild_if_requested(), "check"));
  ASSERT_TRUE(test::is_ok(SearchService::request_rebuild(app_.store(), 1)));
  EXPECT_TRUE(test::must(search_->rebuild_if_requested(), "rebuild"));
  EXPECT_FALSE(test::must(search_->rebuild_if_requested(), "again"));
  EXPECT_EQ(found(alice_, "議事録").size(), 1U);
}

TEST_F(SearchServiceTest, FiltersPagesAndRejectsBadParameters) {
  catch_up();
  for (int i = 0; i < 5; ++i) {
    app_.post(i % 2 == 0 ? alice_ : bob_, room_, "定例");
  }
  catch_up();
  SearchParams params;
  params.query = "定例";
  params.senders = {bob_};
  EXPECT_EQ(test::must(search_->search(alice_, params), "by sender").total, 2);
  params.senders.clear();
  params.limit = 2;
  params.offset = 2;
  SearchAnswer page = test::must(search_->search(alice_, params), "page");
  EXPECT_EQ(page.total, 5);
  EXPECT_EQ(page.hits.size(), 2U);
  EXPECT_TRUE(page.has_more);

  auto rejected = [&](const SearchParams& bad) {
    return test::fails_with(search_->search(alice_, bad), core::ErrorCode::kInvalidArgument);
  };
  SearchParams bad = params;
  bad.limit = 0;
  EXPECT_TRUE(rejected(bad));
  bad.limit = 101;
  EXPECT_TRUE(rejected(bad));
  bad = params;
  bad.offset = 10001;
  EXPECT_TRUE(rejected(bad));
  bad = params;
  bad.time_from = 10;
  bad.time_to = 9;
  EXPECT_TRUE(rejected(bad));
  bad = params;
  bad.query = "-定例";
  EXPECT_TRUE(rejected(bad));
}

}  // namespace
}  // namespace kaiwa::app
