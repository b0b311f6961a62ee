// Tests for GroongaSearchIndex on a real embedded Groonga database in a temp dir.
#include "adapters/groonga/groonga_search_index.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/search_text.h"
#include "support/result_assertions.h"
#include "support/temp_dir.h"

namespace kaiwa::groonga {
namespace {

using ports::IndexChange;

IndexChange put(std::int64_t id, std::int64_t room, std::string_view body, std::int64_t sender = 1,
                std::int64_t time = 0) {
  IndexChange change;
  change.kind = IndexChange::Kind::kPut;
  change.message.id = core::MessageId(id);
  change.message.room = core::RoomId(room);
  change.message.sender = core::AccountId(sender);
  change.message.send_time = time == 0 ? 1700000000 + id : time;
  change.message.update_time = change.message.send_time;
  change.message.text = core::searchable_text(body);
  return change;
}

IndexChange remove_message(std::int64_t id) {
  IndexChange change;
  change.kind = IndexChange::Kind::kRemoveMessage;
  change.message.id = core::MessageId(id);
  return change;
}

IndexChange remove_room(std::int64_t room) {
  IndexChange change;
  change.kind = IndexChange::Kind::kRemoveRoom;
  change.message.room = core::RoomId(room);
  return change;
}

class GroongaSearchIndexTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    index_.reset();
    auto opened = GroongaSearchIndex::open(dir_.path() / "search");
    ASSERT_TRUE(test::is_ok(opened));
    index_ = std::move(opened).value();
  }

  void apply(std::vector<IndexChange> changes, std::int64_t through = 1) {
    ASSERT_TRUE(test::is_ok(index_->apply(changes, through)));
  }

  static ports::SearchRequest request(std::string_view text,
                                      const std::vector<std::int64_t>& rooms = {1, 2}) {
    ports::SearchRequest request;
    auto query = core::parse_search_query(text);
    EXPECT_TRUE(test::is_ok(query)) << text;
    if (query) {
      request.query = std::move(query).value();
    }
    for (const std::int64_t room : rooms) {
      request.rooms.emplace_back(room);
    }
    request.limit = 100;
    return request;
  }

  std::vector<std::int64_t> ids(const ports::SearchRequest& request) {
    auto results = index_->search(request);
    EXPECT_TRUE(test::is_ok(results));
    std::vector<std::int64_t> found;
    if (results) {
      for (const ports::SearchHit& hit : results->hits) {
        found.push_back(hit.id.value);
      }
    }
    return found;
  }

  std::vector<std::int64_t> ids(std::string_view text,
                                const std::vector<std::int64_t>& rooms = {1, 2}) {
    return ids(request(text, rooms));
  }

  test::TempDir dir_;
  std::unique_ptr<GroongaSearchIndex> index_;
};

using Ids = std::vector<std::int64_t>;

TEST_F(GroongaSearchIndexTest, FindsTwoCharacterWordsAndSingleCharactersNewestFirst) {
  apply({put(1, 1, "明日の会議は10時からです"), put(2, 1, "会議室を予約しました"),
         put(3, 2, "資料を送ります"), put(4, 1, "会社に戻ります")});
  EXPECT_EQ(ids("会議"), (Ids{2, 1}));
  EXPECT_EQ(ids("会"), (Ids{4, 2, 1}));
  EXPECT_EQ(ids("資料"), (Ids{3}));
}

TEST_F(GroongaSearchIndexTest, NormalizesWidthCaseAndLongVowelMarks) {
  apply({put(1, 1, "ｋｕｂｅ の設定"), put(2, 1, "KUBE cluster ＡＢＣ"), put(3, 1, "ｻｰﾊﾞｰ停止"),
         put(4, 1, "サーバー再起動"), put(5, 1, "kubernetes 2024年 🎉 完了")});
  EXPECT_EQ(ids("kube"), (Ids{2, 1}));
  EXPECT_EQ(ids("abc"), (Ids{2}));
  EXPECT_EQ(ids("サーバー"), (Ids{4, 3}));
  EXPECT_EQ(ids("サ-バ-"), (Ids{4, 3}));
  EXPECT_EQ(ids("2024"), (Ids{5}));
  EXPECT_EQ(ids("🎉"), (Ids{5}));
}

TEST_F(GroongaSearchIndexTest, NotationTagsDoNotMatchButQuotedAndInfoTextDoes) {
  apply({put(1, 1, "[To:123]山田さん 確認お願いします"),
         put(2, 1, "[qt][qtmeta aid=1 time=1700000000]見積もりの件[/qt]承知しました"),
         put(3, 1, "[info][title]議事録[/title]決定事項[/info]")});
  EXPECT_EQ(ids("123"), Ids{});
  EXPECT_EQ(ids("To"), Ids{});
  EXPECT_EQ(ids("山田"), (Ids{1}));
  EXPECT_EQ(ids("見積もり"), (Ids{2}));
  EXPECT_EQ(ids("議事録 決定"), (Ids{3}));
}

TEST_F(GroongaSearchIndexTest, QuerySyntaxAndOrNotPhrase) {
  apply({put(1, 1, "定例会議の資料"), put(2, 1, "打ち合わせの資料"), put(3, 1, "会議室の予約"),
         put(4, 1, "release plan draft"), put(5, 1, "plan to release")});
  EXPECT_EQ(ids("資料 会議 OR 打ち合わせ"), (Ids{2, 1}));
  EXPECT_EQ(ids("会議 -会議室"), (Ids{1}));
  EXPECT_EQ(ids("\"release plan\""), (Ids{4}));
  EXPECT_EQ(ids("release plan"), (Ids{5, 4}));
}

TEST_F(GroongaSearchIndexTest, HostileQueriesAreLiteralText) {
  apply({put(1, 1, "a\"b\\c (x) body:@y _key:1 OR")});
  for (const char* text : {R"("a\"b\\c")", "(x)", "body:@y", "_key:1", "\\", "*", ")", "(",
                           "\"--filter true\"", "query_flags ALLOW_UPDATE", "x:=1", "&&", "||"}) {
    auto results = index_->search(request(text));
    EXPECT_TRUE(results || results.error().code == core::ErrorCode::kInvalidArgument) << text;
  }
  EXPECT_EQ(ids("(x)"), (Ids{1}));
  EXPECT_EQ(ids("_key:1"), (Ids{1}));
}

TEST_F(GroongaSearchIndexTest, FiltersByRoomSenderAndTime) {
  apply({put(1, 1, "会議 a", 10, 1000), put(2, 2, "会議 b", 11, 2000),
         put(3, 3, "会議 c", 10, 3000), put(4, 1, "会議 d", 11, 4000)});
  EXPECT_EQ(ids("会議", {1, 2}), (Ids{4, 2, 1}));
  EXPECT_EQ(ids("会議", {3}), (Ids{3}));
  auto by_sender = request("会議", {1, 2, 3});
  by_sender.senders = {core::AccountId(10)};
  EXPECT_EQ(ids(by_sender), (Ids{3, 1}));
  auto by_time = request("会議", {1, 2, 3});
  by_time.time_from = 2000;
  by_time.time_to = 3000;
  EXPECT_EQ(ids(by_time), (Ids{3, 2}));
}

// search() selects the words first when they are rarer than the rooms' messages, and the rooms
// first otherwise (common words, a quiet room): both plans find the same messages with the same
// scores, and both read rooms and senders back whatever the size of their ids.
TEST_F(GroongaSearchIndexTest, FindsTheSameWhetherWordsOrRoomsAreSelectedFirst) {
  constexpr std::int64_t kBigRoom = 5'000'000'000;  // over 2^32: ids are keys of any size
  constexpr std::int64_t kBigSender = 3'000'000'000;
  std::vector<IndexChange> changes;
  for (int i = 1; i <= 300; ++i) {
    changes.push_back(put(i, 1, i % 3 == 0 ? "会議の議事録" : "会議です", 7));
  }
  changes.push_back(put(301, 2, "会議の議事録 北陸製菓", 8));
  changes.push_back(put(302, kBigRoom, "会議 北陸製菓 見積もり", kBigSender));
  changes.push_back(put(303, 1, "北陸製菓の見積もり", 7));
  apply(changes);

  // The common word in one quiet room, and with the busy room too.
  EXPECT_EQ(ids("会議", {2}), (Ids{301}));
  EXPECT_EQ(ids("会議 議事録 -です", {2, kBigRoom}), (Ids{301}));
  EXPECT_EQ(ids("会議 OR 見積もり", {kBigRoom}), (Ids{302}));
  auto all_rooms = request("会議", {1, 2, kBigRoom});
  all_rooms.limit = 1;
  auto results = index_->search(all_rooms);
  ASSERT_TRUE(test::is_ok(results));
  EXPECT_EQ(results->total, 302);
  // The rare word across the busy room.
  EXPECT_EQ(ids("北陸製菓", {1, 2, kBigRoom}), (Ids{303, 302, 301}));
  EXPECT_EQ(ids("北陸製菓 -見積もり", {1, 2, kBigRoom}), (Ids{301}));

  auto big = request("見積もり", {kBigRoom});
  big.senders = {core::AccountId(kBigSender)};
  auto found = index_->search(big);
  ASSERT_TRUE(test::is_ok(found));
  ASSERT_EQ(found->hits.size(), 1U);
  EXPECT_EQ(found->hits[0].room.value, kBigRoom);
  EXPECT_EQ(found->hits[0].sender.value, kBigSender);

  // Relevance scores do not depend on the plan either: 301 in its quiet room (rooms first) and
  // among all three rooms (words first).
  const auto score_of_301 = [this](const std::vector<std::int64_t>& rooms) {
    auto relevant = request("会議", rooms);
    relevant.order = ports::SearchOrder::kRelevance;
    auto answer = index_->search(relevant);
    EXPECT_TRUE(test::is_ok(answer));
    for (const ports::SearchHit& hit : answer->hits) {
      if (hit.id.value == 301) {
        return hit.score;
      }
    }
    ADD_FAILURE() << "301 not found";
    return std::int64_t{-1};
  };
  EXPECT_EQ(score_of_301({2}), score_of_301({1, 2, kBigRoom}));
}

TEST_F(GroongaSearchIndexTest, PagesAndCountsAndSortsByRelevance) {
  std::vector<IndexChange> changes;
  for (int i = 1; i <= 30; ++i) {
    changes.push_back(put(i, 1, i == 7 ? "納期 納期 納期 納期" : "納期の確認"));
  }
  apply(changes);
  auto page = request("納期");
  page.offset = 25;
  page.limit = 10;
  auto results = index_->search(page);
  ASSERT_TRUE(test::is_ok(results));
  EXPECT_EQ(results->total, 30);
  ASSERT_EQ(results->hits.size(), 5U);
  EXPECT_EQ(results->hits.front().id.value, 5);
  auto relevant = request("納期");
  relevant.order = ports::SearchOrder::kRelevance;
  EXPECT_EQ(ids(relevant).front(), 7);
}

TEST_F(GroongaSearchIndexTest, SnippetMarksMatchesAsPlainText) {
  apply({put(1, 1, "kube cluster <b>ＡＢＣ</b> & \"ok\"")});
  auto results = index_->search(request("abc"));
  ASSERT_TRUE(test::is_ok(results));
  ASSERT_EQ(results->hits.size(), 1U);
  const auto& snippet = results->hits[0].snippet;
  ASSERT_EQ(snippet.size(), 3U);
  EXPECT_EQ(snippet[0].text, "kube cluster <b>");
  EXPECT_FALSE(snippet[0].match);
  EXPECT_EQ(snippet[1].text, "ＡＢＣ");
  EXPECT_TRUE(snippet[1].match);
  EXPECT_EQ(snippet[2].text, "</b> & \"ok\"");
}

// The marked words of each hit's snippet, in order.
std::vector<std::string> marked(const ports::SearchResults& results) {
  std::vector<std::string> words;
  for (const ports::SearchHit& hit : results.hits) {
    for (const ports::SnippetFragment& fragment : hit.snippet) {
      if (fragment.match) {
        words.push_back(fragment.text);
      }
    }
  }
  return words;
}

TEST_F(GroongaSearchIndexTest, SnippetsMarkWhatTheLexiconMatchedAsWritten) {
  apply({put(1, 1, "サ-バ-の証明書"), put(2, 1, "ｻｰﾊﾞｰ の 定例会議 と Ｋｕｂｅ")});
  auto hyphens = index_->search(request("サーバー"));
  ASSERT_TRUE(test::is_ok(hyphens));
  EXPECT_EQ(marked(*hyphens), (std::vector<std::string>{"ｻｰﾊﾞｰ", "サ-バ-"}));
  auto phrase = index_->search(request("\"定例 会議\" kube"));
  ASSERT_TRUE(test::is_ok(phrase));
  EXPECT_EQ(marked(*phrase), (std::vector<std::string>{"定例会議", "Ｋｕｂｅ"}));
}

TEST_F(GroongaSearchIndexTest, LongMessagesGetAWindowAroundTheFirstMatch) {
  std::string body;
  for (int i = 0; i < 200; ++i) {
    body += "あ";
  }
  body += "会議";
  for (int i = 0; i < 200; ++i) {
    body += "い";
  }
  apply({put(1, 1, body)});
  auto results = index_->search(request("会議"));
  ASSERT_TRUE(test::is_ok(results));
  ASSERT_EQ(results->hits.size(), 1U);
  const auto& snippet = results->hits[0].snippet;
  ASSERT_EQ(snippet.size(), 3U);
  constexpr std::size_t kBytesPerChar = 3;  // あ, い, 会 and 議 in UTF-8
  EXPECT_EQ(snippet[0].text, body.substr(180 * kBytesPerChar, 20 * kBytesPerChar));
  EXPECT_EQ(snippet[1].text, "会議");
  EXPECT_TRUE(snippet[1].match);
  EXPECT_EQ(snippet[2].text, body.substr(202 * kBytesPerChar, 78 * kBytesPerChar));
}

TEST_F(GroongaSearchIndexTest, EditsDeletesAndRoomRemovalReachTheIndex) {
  apply({put(1, 1, "会議の件"), put(2, 1, "会議資料"), put(3, 2, "会議メモ")}, 3);
  apply({put(1, 1, "打ち合わせの件"), remove_message(2)}, 5);
  EXPECT_EQ(ids("会議"), (Ids{3}));
  EXPECT_EQ(ids("打ち合わせ"), (Ids{1}));
  apply({remove_room(2), remove_message(999)}, 6);
  EXPECT_EQ(ids("会議"), Ids{});
  auto checkpoint = index_->checkpoint();
  ASSERT_TRUE(test::is_ok(checkpoint));
  EXPECT_EQ(*checkpoint, 6);
}

TEST_F(GroongaSearchIndexTest, ReplayingChangesAfterACheckpointConverges) {
  const std::vector<IndexChange> changes = {put(1, 1, "会議"), put(2, 1, "会議"), remove_message(1),
                                            put(2, 1, "打ち合わせ")};
  apply(changes, 4);
  apply(changes, 4);
  EXPECT_EQ(ids("会議"), Ids{});
  EXPECT_EQ(ids("打ち合わせ"), (Ids{2}));
}

TEST_F(GroongaSearchIndexTest, KeepsEverythingAcrossReopen) {
  apply({put(1, 1, "会議")}, 42);
  reopen();
  EXPECT_FALSE(index_->open_report().recovered);
  EXPECT_EQ(ids("会議"), (Ids{1}));
  EXPECT_EQ(*index_->checkpoint(), 42);
}

TEST_F(GroongaSearchIndexTest, ARebuildReplacesEverythingAndIndexesInBulkAtTheEnd) {
  apply({put(1, 1, "会議"), put(2, 2, "資料")}, 42);
  ASSERT_TRUE(test::is_ok(index_->start_rebuild()));
  EXPECT_EQ(*index_->checkpoint(), 0);
  apply({put(3, 1, "会議室"), put(4, 2, "[To:9]会議資料")}, 0);
  ASSERT_TRUE(test::is_ok(index_->finish_rebuild(50)));
  EXPECT_EQ(*index_->checkpoint(), 50);
  EXPECT_EQ(ids("会議"), (Ids{4, 3}));
  EXPECT_EQ(ids("資料"), (Ids{4}));
  EXPECT_EQ(ids("9"), Ids{});
  apply({put(5, 1, "会議")}, 51);
  EXPECT_EQ(ids("会議"), (Ids{5, 4, 3}));
}

TEST_F(GroongaSearchIndexTest, ARebuildCutShortIsRepairedOnReopen) {
  apply({put(1, 1, "会議")}, 42);
  ASSERT_TRUE(test::is_ok(index_->start_rebuild()));
  apply({put(2, 1, "会議")}, 0);
  index_.reset();
  std::filesystem::remove(dir_.path() / "search" / "closed-cleanly");
  reopen();
  EXPECT_EQ(*index_->checkpoint(), 0);
  ASSERT_TRUE(test::is_ok(index_->start_rebuild()));
  ASSERT_TRUE(test::is_ok(index_->finish_rebuild(1)));
  EXPECT_EQ(ids("会議"), Ids{});
}

TEST_F(GroongaSearchIndexTest, UncleanShutdownRebuildsLexiconsFromStoredMessages) {
  apply({put(1, 1, "会議"), put(2, 1, "資料")}, 7);
  index_.reset();
  std::filesystem::remove(dir_.path() / "search" / "closed-cleanly");
  reopen();
  EXPECT_TRUE(index_->open_report().recovered);
  EXPECT_FALSE(index_->open_report().recreated);
  EXPECT_EQ(*index_->checkpoint(), 7);
  EXPECT_EQ(ids("会議"), (Ids{1}));
  EXPECT_EQ(ids("資料"), (Ids{2}));
}

TEST_F(GroongaSearchIndexTest, AnotherProcessOrOpenerIsRefused) {
  auto second = GroongaSearchIndex::open(dir_.path() / "search");
  EXPECT_TRUE(test::fails_with(second, core::ErrorCode::kConflict));
}

}  // namespace
}  // namespace kaiwa::groonga
