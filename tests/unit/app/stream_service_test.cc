// Tests for StreamService against the real SQLite store: which events an account's catch-up
// returns (its rooms from when it joined, its own personal events, nothing else), the log's
// bounds and pruning, and stream tickets.
#include "app/stream_service.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::fails_with;
using test::must;

class StreamServiceTest : public test::AppTestBase {
 protected:
  std::int64_t head() { return must(app_.stream.bounds()).head; }

  // Everything account may see after `after`, as "type@room" strings in pos order.
  std::vector<std::string> seen(core::AccountId account, std::int64_t after = 0) {
    std::vector<std::string> out;
    CatchUpPage page = must(app_.stream.catch_up(account, after, head(), 100000));
    EXPECT_TRUE(page.complete);
    std::int64_t last = after;
    for (const core::Event& event : page.events) {
      EXPECT_GT(event.pos, last) << "positions must increase";
      last = event.pos;
      out.push_back(event.type + "@" + std::to_string(event.room.value));
    }
    return out;
  }

  static bool has(const std::vector<std::string>& events, const std::string& wanted) {
    return std::find(events.begin(), events.end(), wanted) != events.end();
  }

  static std::string at(std::string_view type, core::RoomId room) {
    return std::string(type) + "@" + std::to_string(room.value);
  }
};

TEST_F(StreamServiceTest, MembersSeeTheirRoomsMessagesAndOutsidersDoNot) {
  const std::int64_t before = head();
  app_.post(alice_, room_, "hello team");
  EXPECT_EQ(seen(bob_, before), (std::vector<std::string>{at("message_created", room_)}));
  EXPECT_EQ(seen(carol_, before), (std::vector<std::string>{at("message_created", room_)}));
  EXPECT_TRUE(seen(dave_, before).empty());
  EXPECT_TRUE(seen(erin_, before).empty());
}

TEST_F(StreamServiceTest, MessageEventsCarryTheMessage) {
  const std::int64_t before = head();
  app_.post(alice_, room_, "body with \"quotes\"");
  CatchUpPage page = must(app_.stream.catch_up(bob_, before, head(), 10));
  ASSERT_EQ(page.events.size(), 1U);
  EXPECT_NE(page.events[0].payload_json.find(R"("body":"body with \"quotes\"")"), std::string::npos)
      << page.events[0].payload_json;
}

TEST_F(StreamServiceTest, ANewMemberSeesNothingFromBeforeTheyJoinedEvenFromTheStart) {
  app_.post(alice_, room_, "before Dave");
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  app_.post(alice_, room_, "after Dave");
  const auto dave_sees = seen(dave_);
  // His own My Chat, then the room from his member_added on.
  const auto first_of_room =
      std::find(dave_sees.begin(), dave_sees.end(), at("member_added", room_));
  ASSERT_NE(first_of_room, dave_sees.end());
  EXPECT_EQ(std::count(dave_sees.begin(), dave_sees.end(), at("message_created", room_)), 1);
  EXPECT_EQ(std::count(dave_sees.begin(), first_of_room, at("message_created", room_)), 0);
}

TEST_F(StreamServiceTest, AResumeShowsARemovedMemberTheRoomUpToTheRemovalAndNothingAfter) {
  const std::int64_t before = head();
  app_.post(alice_, room_, "while Bob is here");
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {}, {carol_}}));
  app_.post(alice_, room_, "after Bob left");
  EXPECT_EQ(seen(bob_, before),
            (std::vector<std::string>{at("message_created", room_), at("member_removed", room_)}));
  EXPECT_EQ(seen(carol_, before),
            (std::vector<std::string>{at("message_created", room_), at("member_removed", room_),
                                      at("message_created", room_)}));
}

TEST_F(StreamServiceTest, RoomsFollowedLiveAreThoseOfTheMembershipAtThatPosition) {
  const std::int64_t while_member = head();
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {}, {carol_}}));
  const auto rooms_then = must(app_.stream.catch_up(bob_, while_member, while_member, 10)).rooms;
  EXPECT_NE(std::find(rooms_then.begin(), rooms_then.end(), room_), rooms_then.end());
  const auto rooms_now = must(app_.stream.catch_up(bob_, head(), head(), 10)).rooms;
  EXPECT_EQ(std::find(rooms_now.begin(), rooms_now.end(), room_), rooms_now.end());
}

TEST_F(StreamServiceTest, ALeaverAndTheMembersOfADeletedRoomKeepTheirHistoryUpToTheEnd) {
  const std::int64_t before = head();
  app_.post(alice_, room_, "last words");
  must(app_.rooms.leave_or_delete(bob_, room_, LeaveAction::kLeave));
  EXPECT_EQ(seen(bob_, before),
            (std::vector<std::string>{at("message_created", room_), at("member_left", room_)}));
  must(app_.rooms.leave_or_delete(alice_, room_, LeaveAction::kDelete));
  EXPECT_EQ(seen(carol_, before),
            (std::vector<std::string>{at("message_created", room_), at("member_left", room_),
                                      at("room_deleted", room_)}));
}

TEST_F(StreamServiceTest, ReadStateReachesOnlyTheReader) {
  app_.post(alice_, room_, "read me");
  const std::int64_t before = head();
  must(app_.messages.mark_read(bob_, room_, std::nullopt));
  EXPECT_EQ(seen(bob_, before), (std::vector<std::string>{at("messages_read", room_)}));
  EXPECT_TRUE(seen(alice_, before).empty());
  EXPECT_TRUE(seen(carol_, before).empty());
}

TEST_F(StreamServiceTest, DeletingARoomTellsEachFormerMemberAlone) {
  const std::int64_t before = head();
  must(app_.rooms.leave_or_delete(alice_, room_, LeaveAction::kDelete));
  for (core::AccountId member : {alice_, bob_, carol_}) {
    EXPECT_EQ(seen(member, before), (std::vector<std::string>{at("room_deleted", room_)}));
  }
  EXPECT_TRUE(seen(dave_, before).empty());
}

TEST_F(StreamServiceTest, ContactRequestsReachOnlyTheirRecipient) {
  const std::int64_t before = head();
  must(app_.contacts.send_request(alice_, erin_, "hi"));
  EXPECT_EQ(seen(erin_, before),
            (std::vector<std::string>{at("contact_request_received", core::RoomId())}));
  EXPECT_TRUE(seen(alice_, before).empty());
}

TEST_F(StreamServiceTest, APageThatReachesThroughListsTheRoomsToFollowLive) {
  CatchUpPage page = must(app_.stream.catch_up(bob_, 0, head(), 100000));
  ASSERT_TRUE(page.complete);
  EXPECT_NE(std::find(page.rooms.begin(), page.rooms.end(), room_), page.rooms.end());
  CatchUpPage partial = must(app_.stream.catch_up(bob_, 0, head(), 1));
  EXPECT_FALSE(partial.complete);
  EXPECT_EQ(partial.events.size(), 1U);
}

TEST_F(StreamServiceTest, PruningDropsOldEventsAndMovesTheLowerBound) {
  const std::int64_t old_head = head();
  app_.clock().advance_ms(60'000);
  app_.post(alice_, room_, "recent");
  EXPECT_EQ(must(app_.stream.prune(30'000, 1000)), old_head);
  ports::EventLogBounds bounds = must(app_.stream.bounds());
  EXPECT_EQ(bounds.pruned_through, old_head);
  EXPECT_EQ(bounds.head, old_head + 1);
  EXPECT_EQ(seen(bob_, bounds.pruned_through),
            (std::vector<std::string>{at("message_created", room_)}));
  EXPECT_EQ(must(app_.stream.prune(30'000, 1000)), 0);
}

TEST_F(StreamServiceTest, PruningIsBoundedPerCall) {
  app_.clock().advance_ms(60'000);
  const std::int64_t all = head();
  EXPECT_EQ(must(app_.stream.prune(30'000, 3)), 3);
  EXPECT_EQ(must(app_.stream.bounds()).pruned_through, 3);
  EXPECT_EQ(must(app_.stream.prune(30'000, 100000)), all - 3);
}

TEST_F(StreamServiceTest, ATicketRedeemsForItsTokensAccountUntilItExpires) {
  const std::string token = must(app_.accounts.create_token(bob_));
  StreamCredentials credentials{bob_, app_.crypto().token_digest(token)};
  StreamTicket ticket = app_.stream.issue_ticket(credentials);
  EXPECT_EQ(ticket.expires_in_seconds, StreamService::kTicketSeconds);
  StreamCredentials redeemed = must(app_.stream.redeem_ticket(ticket.ticket));
  EXPECT_EQ(redeemed.account, bob_);
  EXPECT_EQ(redeemed.token_digest, credentials.token_digest);
  app_.clock().advance_ms((StreamService::kTicketSeconds + 1) * 1000);
  EXPECT_TRUE(
      fails_with(app_.stream.redeem_ticket(ticket.ticket), core::ErrorCode::kUnauthenticated));
}

TEST_F(StreamServiceTest, ATicketOpensOneStreamOnly) {
  const std::string token = must(app_.accounts.create_token(bob_));
  StreamTicket ticket = app_.stream.issue_ticket({bob_, app_.crypto().token_digest(token)});
  EXPECT_EQ(must(app_.stream.redeem_ticket(ticket.ticket)).account, bob_);
  EXPECT_TRUE(
      fails_with(app_.stream.redeem_ticket(ticket.ticket), core::ErrorCode::kUnauthenticated));
  // Another ticket for the same token, even in the same second, still works.
  StreamTicket next = app_.stream.issue_ticket({bob_, app_.crypto().token_digest(token)});
  EXPECT_EQ(must(app_.stream.redeem_ticket(next.ticket)).account, bob_);
}

TEST_F(StreamServiceTest, ForgedOrMalformedTicketsAreRefused) {
  const std::string token = must(app_.accounts.create_token(bob_));
  StreamTicket ticket = app_.stream.issue_ticket({bob_, app_.crypto().token_digest(token)});
  std::string as_alice = ticket.ticket;
  as_alice.replace(0, as_alice.find('.'), std::to_string(alice_.value));
  std::string bad_signature = ticket.ticket;
  bad_signature.back() = bad_signature.back() == 'a' ? 'b' : 'a';
  for (const std::string& forged :
       {as_alice, bad_signature, std::string(""), std::string("...."), std::string("1.2.3.4"),
        std::string("x.y.z.w"), ticket.ticket + ".extra"}) {
    EXPECT_TRUE(fails_with(app_.stream.redeem_ticket(forged), core::ErrorCode::kUnauthenticated))
        << forged;
  }
}

TEST_F(StreamServiceTest, ATicketDiesWithItsToken) {
  const std::string token = must(app_.accounts.create_token(bob_));
  StreamTicket ticket = app_.stream.issue_ticket({bob_, app_.crypto().token_digest(token)});
  const std::int64_t before = head();
  must(app_.accounts.revoke_token(token));
  EXPECT_TRUE(
      fails_with(app_.stream.redeem_ticket(ticket.ticket), core::ErrorCode::kUnauthenticated));
  // The revocation is in the log for the hubs, though no client ever sees it.
  EXPECT_EQ(seen(bob_, before), (std::vector<std::string>{at("token_revoked", core::RoomId())}));
}

}  // namespace
}  // namespace kaiwa::app
