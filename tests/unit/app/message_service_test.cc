// Tests for MessageService against the real SQLite store: Chatwork's unread and mention rules,
// the "not yet fetched" cursor, permissions, input validation and concurrent posting.
#include "app/message_service.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/system_messages.h"
#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::Counts;
using test::fails_with;
using test::is_ok;
using test::must;
using test::numbered;
using test::to_tag;

class MessageServiceTest : public test::AppTestBase {
 protected:
  MessageService& messages() { return app_.messages; }

  std::int64_t message_num() { return app_.room(room_).message_num; }

  std::vector<std::string> bodies(const std::vector<core::Message>& list) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (const core::Message& message : list) {
      out.push_back(message.body);
    }
    return out;
  }
};

// --- Posting

TEST_F(MessageServiceTest, PostStoresTheMessageWithAuthorAndTime) {
  app_.clock().set_unix_ms(1'700'000'123'456);
  const core::MessageId id = app_.post(alice_, room_, "Hello, team");
  const core::Message message = must(messages().get_message(bob_, room_, id));
  EXPECT_EQ(message.id, id);
  EXPECT_EQ(message.room_id, room_);
  EXPECT_EQ(message.account.id, alice_);
  EXPECT_EQ(message.account.name, "Alice");
  EXPECT_EQ(message.body, "Hello, team");
  EXPECT_EQ(message.send_time, 1'700'000'123);
  EXPECT_EQ(message.update_time, 0);
  EXPECT_EQ(message.seq, 2);  // after the room's creation notice
  EXPECT_EQ(message_num(), 2);
  EXPECT_EQ(app_.room(room_).last_update_time, 1'700'000'123);
}

TEST_F(MessageServiceTest, MessageOfOthersIsUnreadAndOwnIsNot) {
  app_.post(alice_, room_, "one");
  app_.post(alice_, room_, "two");
  EXPECT_EQ(unread(alice_), (Counts{0, 0}));
  EXPECT_EQ(unread(bob_), (Counts{2, 0}));
  EXPECT_EQ(unread(carol_), (Counts{2, 0}));
}

TEST_F(MessageServiceTest, PostingMarksTheRoomReadForThePoster) {
  app_.post(alice_, room_, "one");
  app_.post(alice_, room_, "two");
  ASSERT_EQ(unread(bob_), (Counts{2, 0}));
  app_.post(bob_, room_, "reply");
  EXPECT_EQ(unread(bob_), (Counts{0, 0}));
  EXPECT_EQ(unread(alice_), (Counts{1, 0}));
}

TEST_F(MessageServiceTest, SelfUnreadLeavesTheOwnMessageUnread) {
  app_.post(alice_, room_, "note to self", true);
  EXPECT_EQ(unread(alice_), (Counts{1, 0}));
  EXPECT_EQ(unread(bob_), (Counts{1, 0}));
}

TEST_F(MessageServiceTest, SelfUnreadDoesNotMarkEarlierMessagesRead) {
  app_.post(bob_, room_, "question");
  app_.post(alice_, room_, "draft", true);
  EXPECT_EQ(unread(alice_), (Counts{2, 0}));
}

// --- Mentions

TEST_F(MessageServiceTest, ToMentionCountsOnlyForTheTarget) {
  app_.post(alice_, room_, to_tag(bob_) + "Bob-san\nplease check");
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
  EXPECT_EQ(unread(carol_), (Counts{1, 0}));
  EXPECT_EQ(unread(alice_), (Counts{0, 0}));
}

TEST_F(MessageServiceTest, ReplyMentionCountsForTheRepliedAuthor) {
  const core::MessageId question = app_.post(bob_, room_, "question");
  app_.post(alice_, room_,
            numbered("[rp aid=", bob_.value, numbered(" to=", room_.value, "-")) +
                std::to_string(question.value) + "]Bob-san\nanswer");
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
  EXPECT_EQ(unread(carol_), (Counts{2, 0}));
}

TEST_F(MessageServiceTest, ToAllMentionsEveryMemberButTheAuthor) {
  app_.post(alice_, room_, "[toall] release tonight");
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
  EXPECT_EQ(unread(carol_), (Counts{1, 1}));
  EXPECT_EQ(unread(alice_), (Counts{0, 0}));
}

TEST_F(MessageServiceTest, MentionInsideQuoteDoesNotCount) {
  app_.post(alice_, room_,
            numbered("[qt][qtmeta aid=", carol_.value, " time=1700000000]") + to_tag(bob_) +
                " quoted[/qt]my comment");
  EXPECT_EQ(unread(bob_), (Counts{1, 0}));
  app_.post(alice_, room_, "[qt][toall][/qt]quoted toall");
  EXPECT_EQ(unread(bob_), (Counts{2, 0}));
  EXPECT_EQ(unread(carol_), (Counts{2, 0}));
}

TEST_F(MessageServiceTest, AuthorIsNeverMentioned) {
  app_.post(alice_, room_, to_tag(alice_) + " reminder for me", true);
  EXPECT_EQ(unread(alice_), (Counts{1, 0}));
  app_.post(alice_, room_, "[toall] everyone", true);
  EXPECT_EQ(unread(alice_), (Counts{2, 0}));
}

TEST_F(MessageServiceTest, RepeatedMentionsOfOneMemberCountOnce) {
  app_.post(alice_, room_, to_tag(bob_) + to_tag(bob_) + "[toall]" + to_tag(carol_));
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
  EXPECT_EQ(unread(carol_), (Counts{1, 1}));
}

TEST_F(MessageServiceTest, MentionOfANonMemberIsIgnored) {
  app_.post(alice_, room_, to_tag(dave_) + to_tag(erin_) + " are you there?");
  EXPECT_EQ(must(app_.rooms.my_status(dave_)).mention_num, 0);
  EXPECT_EQ(must(app_.rooms.my_status(erin_)).mention_num, 0);
  EXPECT_EQ(app_.count_rows("mentions"), 0);
}

TEST_F(MessageServiceTest, NewMemberIsMentionedFromJoiningOn) {
  app_.post(alice_, room_, to_tag(dave_) + " before joining");
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  EXPECT_EQ(unread(dave_), (Counts{0, 0}));
  app_.post(alice_, room_, to_tag(dave_) + " welcome");
  EXPECT_EQ(unread(dave_), (Counts{1, 1}));
}

// --- Read and unread

TEST_F(MessageServiceTest, MarkReadUpToAMessageLeavesLaterOnesUnread) {
  app_.post(alice_, room_, to_tag(bob_) + " first");
  const core::MessageId second = app_.post(alice_, room_, "second");
  app_.post(alice_, room_, to_tag(bob_) + " third");
  ASSERT_EQ(unread(bob_), (Counts{3, 2}));
  const ports::UnreadCounts after = must(messages().mark_read(bob_, room_, second));
  EXPECT_EQ(pair_of(after), (Counts{1, 1}));
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
}

TEST_F(MessageServiceTest, MarkReadWithoutAMessageReadsEverything) {
  app_.post(alice_, room_, to_tag(bob_) + " first");
  app_.post(alice_, room_, "[toall] second");
  EXPECT_EQ(pair_of(must(messages().mark_read(bob_, room_, std::nullopt))), (Counts{0, 0}));
  EXPECT_EQ(unread(bob_), (Counts{0, 0}));
  // Carol's state is hers alone.
  EXPECT_EQ(unread(carol_), (Counts{2, 1}));
}

TEST_F(MessageServiceTest, MarkReadOfAnAlreadyReadMessageIsInvalid) {
  const core::MessageId first = app_.post(alice_, room_, to_tag(bob_) + " first");
  const core::MessageId second = app_.post(alice_, room_, "second");
  app_.post(alice_, room_, to_tag(bob_) + " third");
  must(messages().mark_read(bob_, room_, second));
  EXPECT_TRUE(
      fails_with(messages().mark_read(bob_, room_, second), core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      fails_with(messages().mark_read(bob_, room_, first), core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
}

TEST_F(MessageServiceTest, MarkReadOfOwnMessageIsInvalid) {
  const core::MessageId own = app_.post(alice_, room_, "mine");
  EXPECT_TRUE(
      fails_with(messages().mark_read(alice_, room_, own), core::ErrorCode::kInvalidArgument));
}

TEST_F(MessageServiceTest, MarkReadOfAnUnknownMessageIsNotFound) {
  app_.post(alice_, room_, "hello");
  EXPECT_TRUE(fails_with(messages().mark_read(bob_, room_, core::MessageId(12345)),
                         core::ErrorCode::kNotFound));
  // A message of another room is unknown here.
  const core::RoomId other = app_.create_group(alice_, {bob_});
  const core::MessageId elsewhere = app_.post(alice_, other, "elsewhere");
  EXPECT_TRUE(fails_with(messages().mark_read(bob_, room_, elsewhere), core::ErrorCode::kNotFound));
  EXPECT_EQ(unread(bob_), (Counts{1, 0}));
}

TEST_F(MessageServiceTest, MarkUnreadMakesTheMessageAndLaterOnesUnread) {
  app_.post(alice_, room_, "first");
  const core::MessageId second = app_.post(alice_, room_, to_tag(bob_) + " second");
  app_.post(alice_, room_, "third");
  must(messages().mark_read(bob_, room_, std::nullopt));
  const ports::UnreadCounts after = must(messages().mark_unread(bob_, room_, second));
  EXPECT_EQ(pair_of(after), (Counts{2, 1}));
  EXPECT_EQ(unread(bob_), (Counts{2, 1}));
  // Marked unread, it can be read again.
  EXPECT_EQ(pair_of(must(messages().mark_read(bob_, room_, second))), (Counts{1, 0}));
}

TEST_F(MessageServiceTest, MarkUnreadOfAnAlreadyUnreadMessageKeepsEarlierOnesUnread) {
  app_.post(alice_, room_, "first");
  const core::MessageId second = app_.post(alice_, room_, to_tag(bob_) + " second");
  app_.post(alice_, room_, "third");
  // Bob has read nothing: marking the second message unread must not mark the first as read.
  EXPECT_EQ(pair_of(must(messages().mark_unread(bob_, room_, second))), (Counts{3, 1}));
  EXPECT_EQ(unread(bob_), (Counts{3, 1}));
}

TEST_F(MessageServiceTest, MarkUnreadOfOwnMessageCountsIt) {
  const core::MessageId own = app_.post(alice_, room_, "mine");
  EXPECT_EQ(pair_of(must(messages().mark_unread(alice_, room_, own))), (Counts{1, 0}));
}

TEST_F(MessageServiceTest, MarkUnreadOfAnUnknownMessageIsNotFound) {
  EXPECT_TRUE(fails_with(messages().mark_unread(bob_, room_, core::MessageId(987654321)),
                         core::ErrorCode::kNotFound));
  EXPECT_EQ(unread(bob_), (Counts{0, 0}));
}

// --- Editing and deleting

TEST_F(MessageServiceTest, DeletingAnUnreadMentionDecrementsBothCounters) {
  app_.post(alice_, room_, "plain");
  const core::MessageId mention = app_.post(alice_, room_, to_tag(bob_) + " ping");
  ASSERT_EQ(unread(bob_), (Counts{2, 1}));
  ASSERT_TRUE(is_ok(messages().delete_message(alice_, room_, mention)));
  EXPECT_EQ(unread(bob_), (Counts{1, 0}));
  EXPECT_EQ(message_num(), 2);
  EXPECT_TRUE(fails_with(messages().get_message(bob_, room_, mention), core::ErrorCode::kNotFound));
  EXPECT_TRUE(
      fails_with(messages().delete_message(alice_, room_, mention), core::ErrorCode::kNotFound));
}

TEST_F(MessageServiceTest, OnlyTheAuthorEditsOrDeletes) {
  const core::MessageId id = app_.post(alice_, room_, "original");
  EXPECT_TRUE(fails_with(messages().edit_message(bob_, room_, id, "hijacked"),
                         core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      fails_with(messages().delete_message(bob_, room_, id), core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(must(messages().get_message(bob_, room_, id)).body, "original");
}

TEST_F(MessageServiceTest, EditingRecomputesMentions) {
  app_.clock().advance_ms(5'000);
  const core::MessageId id = app_.post(alice_, room_, "hello");
  ASSERT_EQ(unread(bob_), (Counts{1, 0}));
  app_.clock().advance_ms(60'000);
  ASSERT_TRUE(is_ok(messages().edit_message(alice_, room_, id, to_tag(bob_) + " hello")));
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
  EXPECT_EQ(unread(carol_), (Counts{1, 0}));
  const core::Message edited = must(messages().get_message(bob_, room_, id));
  EXPECT_EQ(edited.body, to_tag(bob_) + " hello");
  EXPECT_EQ(edited.update_time, app_.clock().now_unix());
  ASSERT_TRUE(is_ok(messages().edit_message(alice_, room_, id, to_tag(carol_) + " hello")));
  EXPECT_EQ(unread(bob_), (Counts{1, 0}));
  EXPECT_EQ(unread(carol_), (Counts{1, 1}));
  EXPECT_EQ(message_num(), 2);
}

// --- Permissions

TEST_F(MessageServiceTest, ReadonlyMemberCannotPost) {
  const std::int64_t events = app_.count_rows("events");
  EXPECT_TRUE(fails_with(messages().post_message(carol_, room_, "let me in", false),
                         core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(message_num(), 1);
  EXPECT_EQ(app_.count_rows("events"), events);
  // Reading stays allowed.
  EXPECT_TRUE(is_ok(messages().list_messages(carol_, room_, true)));
}

TEST_F(MessageServiceTest, ReadonlyAuthorCannotEditAnymore) {
  const core::MessageId id = app_.post(bob_, room_, "before demotion");
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {}, {bob_, carol_}}));
  EXPECT_TRUE(fails_with(messages().edit_message(bob_, room_, id, "after"),
                         core::ErrorCode::kPermissionDenied));
}

TEST_F(MessageServiceTest, NonMemberGetsNotFoundEverywhere) {
  const core::MessageId id = app_.post(alice_, room_, "members only");
  const std::int64_t events = app_.count_rows("events");
  for (core::AccountId stranger : {dave_, erin_}) {
    EXPECT_TRUE(
        fails_with(messages().list_messages(stranger, room_, false), core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(messages().list_messages(stranger, room_, true), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(messages().post_message(stranger, room_, "hi", false),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(messages().get_message(stranger, room_, id), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(messages().mark_read(stranger, room_, std::nullopt),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(messages().mark_read(stranger, room_, id), core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(messages().mark_unread(stranger, room_, id), core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(messages().edit_message(stranger, room_, id, "x"), core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(messages().delete_message(stranger, room_, id), core::ErrorCode::kNotFound));
  }
  EXPECT_TRUE(fails_with(messages().post_message(alice_, core::RoomId(99'999), "hi", false),
                         core::ErrorCode::kNotFound));
  EXPECT_EQ(message_num(), 2);
  EXPECT_EQ(app_.count_rows("events"), events);
}

// --- Input validation: nothing is written for a rejected body

TEST_F(MessageServiceTest, InvalidUtf8BodyIsRejectedWithNothingWritten) {
  const std::int64_t events = app_.count_rows("events");
  for (const std::string& body :
       {std::string("\xff\xfe"), std::string("caf\xc3"), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80 surrogate"), std::string("nul\0inside", 10)}) {
    EXPECT_TRUE(fails_with(messages().post_message(alice_, room_, body, false),
                           core::ErrorCode::kInvalidArgument));
  }
  EXPECT_EQ(message_num(), 1);
  EXPECT_EQ(app_.count_rows("messages"), 1);
  EXPECT_EQ(app_.count_rows("events"), events);
}

TEST_F(MessageServiceTest, EmptyBodyIsRejected) {
  EXPECT_TRUE(fails_with(messages().post_message(alice_, room_, "", false),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(message_num(), 1);
}

TEST_F(MessageServiceTest, OverlongBodyIsRejectedWithNothingWritten) {
  const std::int64_t events = app_.count_rows("events");
  EXPECT_TRUE(fails_with(messages().post_message(alice_, room_, std::string(65'536, 'a'), false),
                         core::ErrorCode::kInvalidArgument));
  std::string japanese;
  for (int i = 0; i < 65'536; ++i) {
    japanese += "あ";
  }
  EXPECT_TRUE(fails_with(messages().post_message(alice_, room_, japanese, false),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(message_num(), 1);
  EXPECT_EQ(app_.count_rows("events"), events);
}

TEST_F(MessageServiceTest, BodyLimitCountsCharactersNotBytes) {
  std::string japanese;
  for (int i = 0; i < 65'535; ++i) {
    japanese += "あ";
  }
  const core::MessageId id = app_.post(alice_, room_, japanese);
  EXPECT_EQ(must(messages().get_message(bob_, room_, id)).body, japanese);
  EXPECT_TRUE(is_ok(messages().post_message(alice_, room_, std::string(65'535, 'a'), false)));
}

TEST_F(MessageServiceTest, InvalidEditIsRejectedAndKeepsTheOriginal) {
  const core::MessageId id = app_.post(alice_, room_, "original");
  EXPECT_TRUE(fails_with(messages().edit_message(alice_, room_, id, "\xff"),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(messages().edit_message(alice_, room_, id, ""),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(must(messages().get_message(alice_, room_, id)).body, "original");
}

// --- Listing: the "not yet fetched" cursor

TEST_F(MessageServiceTest, ListWithoutForceReturnsOnlyMessagesNotYetFetched) {
  app_.post(alice_, room_, "one");
  app_.post(alice_, room_, "two");
  const auto first = must(messages().list_messages(bob_, room_, false));
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].body, room_created_body("Project room", {alice_, bob_, carol_}));
  EXPECT_EQ(first[1].body, "one");
  EXPECT_EQ(first[2].body, "two");
  EXPECT_TRUE(must(messages().list_messages(bob_, room_, false)).empty());

  app_.post(alice_, room_, "three");
  EXPECT_EQ(bodies(must(messages().list_messages(bob_, room_, false))),
            std::vector<std::string>{"three"});
  EXPECT_TRUE(must(messages().list_messages(bob_, room_, false)).empty());
}

TEST_F(MessageServiceTest, TheFetchCursorIsPerMember) {
  app_.post(alice_, room_, "one");
  ASSERT_EQ(must(messages().list_messages(bob_, room_, false)).size(), 2u);
  EXPECT_EQ(must(messages().list_messages(carol_, room_, false)).size(), 2u);
  EXPECT_EQ(must(messages().list_messages(alice_, room_, false)).size(), 2u);
}

TEST_F(MessageServiceTest, ListingDoesNotChangeReadState) {
  app_.post(alice_, room_, to_tag(bob_) + " one");
  must(messages().list_messages(bob_, room_, false));
  must(messages().list_messages(bob_, room_, true));
  EXPECT_EQ(unread(bob_), (Counts{1, 1}));
}

TEST_F(MessageServiceTest, ForceReturnsTheLatestWithoutMovingTheCursor) {
  app_.post(alice_, room_, "one");
  EXPECT_EQ(must(messages().list_messages(bob_, room_, true)).size(), 2u);
  EXPECT_EQ(must(messages().list_messages(bob_, room_, true)).size(), 2u);
  // The forced listings did not count as fetched.
  EXPECT_EQ(must(messages().list_messages(bob_, room_, false)).size(), 2u);
  EXPECT_TRUE(must(messages().list_messages(bob_, room_, false)).empty());
  // Forced listing still returns everything after the cursor moved.
  EXPECT_EQ(must(messages().list_messages(bob_, room_, true)).size(), 2u);
}

TEST_F(MessageServiceTest, ListingReturnsAtMost100InSeqOrder) {
  app_.append_many(alice_, room_, 149, "m");  // seq 2..150
  const auto latest = must(messages().list_messages(bob_, room_, true));
  ASSERT_EQ(latest.size(), 100u);
  EXPECT_EQ(latest.front().seq, 51);
  EXPECT_EQ(latest.back().seq, 150);
  EXPECT_EQ(latest.back().body, "m 149");

  const auto page1 = must(messages().list_messages(bob_, room_, false));
  ASSERT_EQ(page1.size(), 100u);
  EXPECT_EQ(page1.front().seq, 1);
  EXPECT_EQ(page1.back().seq, 100);
  const auto page2 = must(messages().list_messages(bob_, room_, false));
  ASSERT_EQ(page2.size(), 50u);
  EXPECT_EQ(page2.front().seq, 101);
  EXPECT_EQ(page2.back().seq, 150);
  EXPECT_TRUE(must(messages().list_messages(bob_, room_, false)).empty());

  for (const auto* page : {&latest, &page1, &page2}) {
    for (std::size_t i = 1; i < page->size(); ++i) {
      EXPECT_EQ((*page)[i - 1].seq + 1, (*page)[i].seq);
      EXPECT_LT((*page)[i - 1].id.value, (*page)[i].id.value);
    }
  }
}

TEST_F(MessageServiceTest, ListingSkipsDeletedMessages) {
  app_.post(alice_, room_, "keep");
  const core::MessageId gone = app_.post(alice_, room_, "gone");
  ASSERT_TRUE(is_ok(messages().delete_message(alice_, room_, gone)));
  EXPECT_EQ(bodies(must(messages().list_messages(bob_, room_, true))).back(), "keep");
  const auto unfetched = must(messages().list_messages(bob_, room_, false));
  ASSERT_EQ(unfetched.size(), 2u);
  EXPECT_EQ(unfetched.back().body, "keep");
}

TEST_F(MessageServiceTest, ConcurrentFetchesReturnEachMessageOnce) {
  constexpr int kPosts = 80;
  constexpr int kFetchers = 4;
  std::atomic<bool> posting{true};
  std::atomic<int> failures{0};
  std::vector<std::vector<std::int64_t>> fetched(kFetchers);
  std::thread poster([&] {
    for (int n = 0; n < kPosts; ++n) {
      if (!messages().post_message(alice_, room_, numbered("post ", n), false)) {
        ++failures;
      }
    }
    posting = false;
  });
  std::vector<std::thread> fetchers;
  fetchers.reserve(kFetchers);
  for (int f = 0; f < kFetchers; ++f) {
    fetchers.emplace_back([&, f] {
      auto& mine = fetched[static_cast<std::size_t>(f)];
      while (true) {
        const bool last_round = !posting.load();
        auto batch = messages().list_messages(bob_, room_, false);
        if (!batch) {
          ++failures;
          return;
        }
        for (const core::Message& message : *batch) {
          mine.push_back(message.seq);
        }
        if (last_round) {
          return;
        }
      }
    });
  }
  poster.join();
  for (std::thread& fetcher : fetchers) {
    fetcher.join();
  }
  ASSERT_EQ(failures.load(), 0);
  // Bob's four clients share one cursor: together they saw every message exactly once.
  std::vector<std::int64_t> all;
  for (const auto& mine : fetched) {
    for (std::size_t i = 1; i < mine.size(); ++i) {
      EXPECT_LT(mine[i - 1], mine[i]);
    }
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::int64_t> expected;
  for (std::int64_t seq = 1; seq <= kPosts + 1; ++seq) {
    expected.push_back(seq);
  }
  EXPECT_EQ(all, expected);
  EXPECT_TRUE(must(messages().list_messages(bob_, room_, false)).empty());
}

// --- Ids and time

TEST_F(MessageServiceTest, MessageIdsIncreaseEvenWhenTheClockStepsBack) {
  app_.clock().set_unix_ms(test::kDefaultTestUnixMs + 3'600'000);
  const core::MessageId later = app_.post(alice_, room_, "later");
  app_.clock().set_unix_ms(test::kDefaultTestUnixMs);
  const core::MessageId earlier = app_.post(alice_, room_, "earlier");
  EXPECT_LT(later.value, earlier.value);
  const auto all = app_.all_messages(room_);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].id, later);
  EXPECT_EQ(all[2].id, earlier);
}

// --- Concurrency: counters are exact whatever order posts commit in

TEST_F(MessageServiceTest, ConcurrentPostsKeepCountersExact) {
  constexpr int kThreads = 8;
  constexpr int kPostsPerThread = 25;
  constexpr int kPosts = kThreads * kPostsPerThread;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const core::AccountId author = t % 2 == 0 ? alice_ : bob_;
      for (int n = 0; n < kPostsPerThread; ++n) {
        // Every post mentions Carol; every fourth is a [toall].
        std::string body = n % 4 == 0 ? std::string("[toall] ") : to_tag(carol_);
        body += numbered(numbered("thread ", t, " post "), n);
        if (!messages().post_message(author, room_, body, false)) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  ASSERT_EQ(failures.load(), 0);

  EXPECT_EQ(unread(carol_), (Counts{kPosts, kPosts}));
  const ports::MyStatus carol_status = must(app_.rooms.my_status(carol_));
  EXPECT_EQ(carol_status.unread_num, kPosts);
  EXPECT_EQ(carol_status.mention_num, kPosts);
  EXPECT_EQ(carol_status.unread_room_num, 1);
  EXPECT_EQ(carol_status.mention_room_num, 1);

  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.message_num, kPosts + 1);
  EXPECT_EQ(room.last_seq, kPosts + 1);

  // Each poster has read everything up to their own last post: what follows it, written by the
  // other, is unread; toall posts of the other are their mentions.
  const auto all = app_.all_messages(room_);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kPosts + 1));
  for (core::AccountId poster : {alice_, bob_}) {
    const auto last_own = std::find_if(
        all.rbegin(), all.rend(), [&](const core::Message& m) { return m.account.id == poster; });
    ASSERT_NE(last_own, all.rend());
    std::int64_t expected_unread = 0;
    std::int64_t expected_mentions = 0;
    for (auto it = all.rbegin(); it != last_own; ++it) {
      ++expected_unread;
      if (it->body.rfind("[toall]", 0) == 0) {
        ++expected_mentions;
      }
    }
    EXPECT_EQ(unread(poster), (Counts{expected_unread, expected_mentions}));
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_LT(all[i - 1].id.value, all[i].id.value);
    }
  }
}

TEST_F(MessageServiceTest, ConcurrentReadsAndPostsKeepCountersExact) {
  constexpr int kPosts = 60;
  std::atomic<int> failures{0};
  std::thread poster([&] {
    for (int n = 0; n < kPosts; ++n) {
      if (!messages().post_message(alice_, room_, to_tag(bob_) + numbered(" ", n), false)) {
        ++failures;
      }
    }
  });
  std::thread reader([&] {
    for (int n = 0; n < kPosts; ++n) {
      // Reading everything may race with the posts; the final read below settles it.
      if (!messages().mark_read(bob_, room_, std::nullopt)) {
        ++failures;
      }
    }
  });
  poster.join();
  reader.join();
  ASSERT_EQ(failures.load(), 0);
  const auto status = must(messages().mark_read(bob_, room_, std::nullopt));
  EXPECT_EQ(pair_of(status), (Counts{0, 0}));
  must(messages().mark_unread(bob_, room_, app_.all_messages(room_)[1].id));
  EXPECT_EQ(unread(bob_), (Counts{kPosts, kPosts}));
}

}  // namespace
}  // namespace kaiwa::app
