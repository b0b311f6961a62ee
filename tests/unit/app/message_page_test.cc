// Tests for MessageService::page_messages (history paging, issue 3 item 6) against the real
// SQLite store: paging both ways from a message id, limits and has_more flags, deleted messages,
// anchors that are no message of the room, membership, and that paging changes no read state.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/message_service.h"
#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::Counts;
using test::fails_with;
using test::is_ok;
using test::must;
using test::numbered;

class MessagePageTest : public test::AppTestBase {
 protected:
  // Posts "m1".."mn" in room_, one millisecond apart (so their ids leave gaps between them), and
  // returns their ids; the room's creation notice comes before them.
  std::vector<core::MessageId> post_numbered(int n) {
    std::vector<core::MessageId> ids;
    ids.reserve(static_cast<std::size_t>(n));
    for (int i = 1; i <= n; ++i) {
      app_.clock().advance_ms(1);
      ids.push_back(app_.post(alice_, room_, numbered("m", i)));
    }
    return ids;
  }

  ports::MessagePage page(core::AccountId caller, std::optional<core::MessageId> before,
                          std::optional<core::MessageId> after, std::size_t limit) {
    ports::MessagePageRequest request;
    request.before = before;
    request.after = after;
    request.limit = limit;
    return must(app_.messages.page_messages(caller, room_, request), "page_messages");
  }

  ports::MessagePage latest(std::size_t limit) {
    return page(bob_, std::nullopt, std::nullopt, limit);
  }

  ports::MessagePage before(core::MessageId anchor, std::size_t limit) {
    return page(bob_, anchor, std::nullopt, limit);
  }

  ports::MessagePage after(core::MessageId anchor, std::size_t limit) {
    return page(bob_, std::nullopt, anchor, limit);
  }

  static std::vector<std::string> bodies(const ports::MessagePage& page) {
    std::vector<std::string> out;
    out.reserve(page.messages.size());
    for (const core::Message& message : page.messages) {
      out.push_back(message.body);
    }
    return out;
  }

  static std::vector<std::int64_t> ids_of(const std::vector<core::Message>& messages) {
    std::vector<std::int64_t> out;
    out.reserve(messages.size());
    for (const core::Message& message : messages) {
      out.push_back(message.id.value);
    }
    return out;
  }

  // {has_more_before, has_more_after}, so gtest prints both on failure.
  static std::pair<bool, bool> more(const ports::MessagePage& page) {
    return {page.has_more_before, page.has_more_after};
  }

  using Strings = std::vector<std::string>;
  using More = std::pair<bool, bool>;
};

// --- The latest page

TEST_F(MessagePageTest, WithoutAnAnchorReturnsTheLatestMessagesOldestFirst) {
  post_numbered(5);
  const ports::MessagePage got = latest(3);
  EXPECT_EQ(bodies(got), (Strings{"m3", "m4", "m5"}));
  EXPECT_EQ(more(got), (More{true, false}));
}

TEST_F(MessagePageTest, LatestPageHoldingTheWholeRoomHasNothingMore) {
  post_numbered(2);
  const ports::MessagePage got = latest(50);
  ASSERT_EQ(got.messages.size(), 3u);  // the creation notice, m1, m2
  EXPECT_EQ(got.messages[1].body, "m1");
  EXPECT_EQ(got.messages[2].body, "m2");
  EXPECT_EQ(more(got), (More{false, false}));
}

TEST_F(MessagePageTest, MessagesCarryWhatTheV2ListCarries) {
  const core::MessageId id = post_numbered(1)[0];
  const core::Message listed = must(app_.messages.get_message(bob_, room_, id));
  const core::Message paged = latest(1).messages.at(0);
  EXPECT_EQ(paged.id, listed.id);
  EXPECT_EQ(paged.room_id, room_);
  EXPECT_EQ(paged.account.id, alice_);
  EXPECT_EQ(paged.account.name, "Alice");
  EXPECT_EQ(paged.body, "m1");
  EXPECT_EQ(paged.send_time, listed.send_time);
  EXPECT_EQ(paged.update_time, listed.update_time);
}

// --- Backwards and forwards from a message

TEST_F(MessagePageTest, BeforePagesBackwardsFromAMessage) {
  const std::vector<core::MessageId> m = post_numbered(10);
  ports::MessagePage got = before(m[7], 3);  // before m8
  EXPECT_EQ(bodies(got), (Strings{"m5", "m6", "m7"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = before(got.messages.front().id, 3);
  EXPECT_EQ(bodies(got), (Strings{"m2", "m3", "m4"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = before(got.messages.front().id, 3);
  ASSERT_EQ(got.messages.size(), 2u);  // the creation notice and m1: the start of the room
  EXPECT_EQ(got.messages[1].body, "m1");
  EXPECT_EQ(more(got), (More{false, true}));
}

TEST_F(MessagePageTest, AfterPagesForwardsFromAMessage) {
  const std::vector<core::MessageId> m = post_numbered(10);
  ports::MessagePage got = after(m[2], 3);  // after m3
  EXPECT_EQ(bodies(got), (Strings{"m4", "m5", "m6"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = after(got.messages.back().id, 3);
  EXPECT_EQ(bodies(got), (Strings{"m7", "m8", "m9"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = after(got.messages.back().id, 3);
  EXPECT_EQ(bodies(got), (Strings{"m10"}));
  EXPECT_EQ(more(got), (More{true, false}));
}

TEST_F(MessagePageTest, APageThatEndsExactlyAtTheRoomsEndHasNothingMoreThere) {
  const std::vector<core::MessageId> m = post_numbered(6);
  EXPECT_EQ(more(after(m[2], 3)), (More{true, false}));  // m4..m6
  EXPECT_EQ(more(latest(7)), (More{false, false}));      // notice, m1..m6
  ports::MessagePage first = before(m[0], 1);            // the notice alone
  EXPECT_EQ(first.messages.size(), 1u);
  EXPECT_EQ(more(first), (More{false, true}));
}

TEST_F(MessagePageTest, PagingToTheEndFromEitherSideVisitsEveryMessageOnce) {
  app_.append_many(bob_, room_, 23);
  const std::vector<std::int64_t> all = ids_of(app_.all_messages(room_));
  std::vector<std::int64_t> backwards;
  ports::MessagePage got = latest(4);
  while (true) {
    std::vector<std::int64_t> ids = ids_of(got.messages);
    backwards.insert(backwards.begin(), ids.begin(), ids.end());
    if (!got.has_more_before) {
      break;
    }
    got = before(got.messages.front().id, 4);
  }
  EXPECT_EQ(backwards, all);
  std::vector<std::int64_t> forwards;
  got = after(core::MessageId(0), 5);
  while (true) {
    std::vector<std::int64_t> ids = ids_of(got.messages);
    forwards.insert(forwards.end(), ids.begin(), ids.end());
    if (!got.has_more_after) {
      break;
    }
    got = after(got.messages.back().id, 5);
  }
  EXPECT_EQ(forwards, all);
}

TEST_F(MessagePageTest, EmptyPagesStillSayWhatLiesBeyondTheAnchor) {
  const std::vector<core::MessageId> m = post_numbered(3);
  ports::MessagePage got = after(m[2], 10);
  EXPECT_TRUE(got.messages.empty());
  EXPECT_EQ(more(got), (More{true, false}));
  got = before(core::MessageId(0), 10);
  EXPECT_TRUE(got.messages.empty());
  EXPECT_EQ(more(got), (More{false, true}));
}

// --- Limits and arguments

TEST_F(MessagePageTest, LimitMustBeBetweenOneAndOneHundred) {
  app_.append_many(alice_, room_, 120);
  ports::MessagePageRequest request;
  request.limit = 0;
  EXPECT_TRUE(fails_with(app_.messages.page_messages(bob_, room_, request),
                         core::ErrorCode::kInvalidArgument));
  request.limit = 101;
  EXPECT_TRUE(fails_with(app_.messages.page_messages(bob_, room_, request),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(latest(1).messages.size(), 1u);
  const ports::MessagePage hundred = latest(100);
  EXPECT_EQ(hundred.messages.size(), 100u);
  EXPECT_EQ(hundred.messages.back().body, "message 120");
  EXPECT_EQ(more(hundred), (More{true, false}));
}

TEST_F(MessagePageTest, BeforeAndAfterTogetherAreInvalid) {
  const std::vector<core::MessageId> m = post_numbered(3);
  ports::MessagePageRequest request;
  request.before = m[2];
  request.after = m[0];
  EXPECT_TRUE(fails_with(app_.messages.page_messages(bob_, room_, request),
                         core::ErrorCode::kInvalidArgument));
}

// --- Deleted messages

TEST_F(MessagePageTest, DeletedMessagesAreNeitherReturnedNorCounted) {
  const std::vector<core::MessageId> m = post_numbered(8);
  for (int i : {1, 2, 5}) {  // m2, m3, m6
    must(app_.messages.delete_message(alice_, room_, m[static_cast<std::size_t>(i)]));
  }
  ports::MessagePage got = before(m[7], 3);  // before m8
  EXPECT_EQ(bodies(got), (Strings{"m4", "m5", "m7"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = after(m[0], 2);  // after m1
  EXPECT_EQ(bodies(got), (Strings{"m4", "m5"}));
  EXPECT_EQ(more(got), (More{true, true}));
  got = latest(5);
  EXPECT_EQ(bodies(got), (Strings{"m1", "m4", "m5", "m7", "m8"}));
  EXPECT_EQ(more(got), (More{true, false}));  // the notice
}

TEST_F(MessagePageTest, OnlyDeletedMessagesBeyondThePageMeanNothingMore) {
  const std::vector<core::MessageId> m = post_numbered(4);
  must(app_.messages.delete_message(alice_, room_, m[2]));
  must(app_.messages.delete_message(alice_, room_, m[3]));
  ports::MessagePage got = after(m[0], 5);
  EXPECT_EQ(bodies(got), (Strings{"m2"}));
  EXPECT_EQ(more(got), (More{true, false}));
  // A deleted anchor still marks its place.
  got = before(m[3], 5);
  EXPECT_EQ(got.messages.back().body, "m2");
  EXPECT_EQ(more(got), (More{false, false}));
  got = after(m[2], 5);
  EXPECT_TRUE(got.messages.empty());
  EXPECT_EQ(more(got), (More{true, false}));
}

// --- Anchors that are no message of the room

TEST_F(MessagePageTest, AnUnknownIdStandsWhereItWouldFallAmongTheRoomsIds) {
  const std::vector<core::MessageId> m = post_numbered(6);
  ASSERT_LT(m[2].value + 1, m[3].value);
  const core::MessageId between(m[2].value + 1);  // after m3, before m4, no message
  EXPECT_EQ(bodies(before(between, 2)), (Strings{"m2", "m3"}));
  EXPECT_EQ(bodies(after(between, 2)), (Strings{"m4", "m5"}));
  EXPECT_EQ(more(after(between, 2)), (More{true, true}));

  const core::MessageId beyond(std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(bodies(before(beyond, 2)), (Strings{"m5", "m6"}));
  EXPECT_EQ(more(before(beyond, 2)), (More{true, false}));
  EXPECT_TRUE(after(beyond, 2).messages.empty());
  EXPECT_EQ(more(after(beyond, 2)), (More{true, false}));
}

TEST_F(MessagePageTest, AnotherRoomsMessageIdIsAPositionHere) {
  const core::RoomId other = app_.create_group(alice_, {bob_});
  const std::vector<core::MessageId> m = post_numbered(3);
  app_.clock().advance_ms(1);
  const core::MessageId elsewhere = app_.post(alice_, other, "elsewhere");
  app_.clock().advance_ms(1);
  app_.post(alice_, room_, "m4");
  EXPECT_EQ(bodies(before(elsewhere, 2)), (Strings{"m2", "m3"}));
  EXPECT_EQ(bodies(after(elsewhere, 2)), (Strings{"m4"}));
  EXPECT_EQ(more(after(elsewhere, 2)), (More{true, false}));
}

// Every anchor, message or not, pages exactly like the definition: before X is the live messages
// with smaller ids, after X those with larger ones. Rooms interleave and some messages are
// deleted, so the bisection behind unknown anchors meets gaps, foreign ids and deleted rows.
TEST_F(MessagePageTest, EveryAnchorMatchesTheDefinitionInALongInterleavedRoom) {
  const core::RoomId other = app_.create_group(alice_, {bob_});
  std::vector<core::MessageId> ours;
  std::vector<core::MessageId> foreign;
  for (int i = 1; i <= 60; ++i) {
    app_.clock().advance_ms(i % 3);
    ours.push_back(app_.post(alice_, room_, numbered("m", i)));
    if (i % 4 == 0) {
      foreign.push_back(app_.post(bob_, other, numbered("x", i)));
    }
  }
  for (std::size_t i = 0; i < ours.size(); i += 7) {
    must(app_.messages.delete_message(alice_, room_, ours[i]));
  }
  const std::vector<core::Message> live = app_.all_messages(room_);
  std::vector<std::int64_t> anchors = {0, std::numeric_limits<std::int64_t>::max()};
  for (const std::vector<core::MessageId>* list : {&ours, &foreign}) {
    for (core::MessageId id : *list) {
      anchors.insert(anchors.end(), {id.value - 1, id.value, id.value + 1});
    }
  }
  for (std::int64_t anchor : anchors) {
    for (std::size_t limit : {1u, 4u, 100u}) {
      SCOPED_TRACE(
          numbered("anchor ", anchor, numbered(" limit ", static_cast<std::int64_t>(limit))));
      std::vector<std::int64_t> older;
      std::vector<std::int64_t> newer;
      for (const core::Message& message : live) {
        if (message.id.value < anchor) {
          older.push_back(message.id.value);
        } else if (message.id.value > anchor) {
          newer.push_back(message.id.value);
        }
      }
      const bool anchor_is_live = older.size() + newer.size() < live.size();
      ports::MessagePage got = before(core::MessageId(anchor), limit);
      const std::size_t older_page = std::min(limit, older.size());
      EXPECT_EQ(ids_of(got.messages),
                std::vector<std::int64_t>(older.end() - static_cast<std::ptrdiff_t>(older_page),
                                          older.end()));
      EXPECT_EQ(more(got), (More{older.size() > limit, anchor_is_live || !newer.empty()}));
      got = after(core::MessageId(anchor), limit);
      const std::size_t newer_page = std::min(limit, newer.size());
      EXPECT_EQ(ids_of(got.messages),
                std::vector<std::int64_t>(newer.begin(),
                                          newer.begin() + static_cast<std::ptrdiff_t>(newer_page)));
      EXPECT_EQ(more(got), (More{anchor_is_live || !older.empty(), newer.size() > limit}));
    }
  }
}

// --- Who may page, and what paging leaves alone

TEST_F(MessagePageTest, EveryMemberMayPageReadonlyIncluded) {
  post_numbered(2);
  for (core::AccountId member : {alice_, bob_, carol_}) {
    const auto got = app_.messages.page_messages(member, room_, ports::MessagePageRequest{});
    ASSERT_TRUE(is_ok(got));
    EXPECT_EQ(got->messages.size(), 3u);
  }
}

TEST_F(MessagePageTest, NonMembersAndUnknownRoomsAreNotFound) {
  post_numbered(2);
  EXPECT_TRUE(fails_with(app_.messages.page_messages(dave_, room_, ports::MessagePageRequest{}),
                         core::ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(app_.messages.page_messages(erin_, room_, ports::MessagePageRequest{}),
                         core::ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(
      app_.messages.page_messages(bob_, core::RoomId(987654), ports::MessagePageRequest{}),
      core::ErrorCode::kNotFound));
}

TEST_F(MessagePageTest, AFormerMemberIsNotFound) {
  post_numbered(2);
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {}, {carol_}}));
  EXPECT_TRUE(fails_with(app_.messages.page_messages(bob_, room_, ports::MessagePageRequest{}),
                         core::ErrorCode::kNotFound));
}

TEST_F(MessagePageTest, PagingChangesNeitherReadNorFetchedState) {
  const std::vector<core::MessageId> m = post_numbered(4);
  ASSERT_EQ(unread(bob_), (Counts{4, 0}));
  const std::int64_t events = app_.count_rows("events");
  latest(50);
  before(m[3], 2);
  after(m[0], 2);
  EXPECT_EQ(unread(bob_), (Counts{4, 0}));
  EXPECT_EQ(app_.count_rows("events"), events);
  // Bob has still fetched nothing, so the /v2 diff still holds all four (and the notice).
  const std::vector<core::Message> unfetched =
      must(app_.messages.list_messages(bob_, room_, false));
  EXPECT_EQ(unfetched.size(), 5u);
}

}  // namespace
}  // namespace kaiwa::app
