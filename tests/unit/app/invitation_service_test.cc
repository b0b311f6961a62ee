// Tests for InvitationService against the real SQLite store: the preview of a link, joining at
// once or by request, admins answering requests, and requests ending with their link or room.
#include "app/invitation_service.h"

#include <string>

#include <gtest/gtest.h>

#include "app/room_service.h"
#include "app/system_messages.h"
#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::fails_with;
using test::is_ok;
using test::must;

class InvitationServiceTest : public test::AppTestBase {
 protected:
  // room_ (Alice admin, Bob member, Carol readonly) gets a link with this code.
  void link(bool need_acceptance, const std::string& code = "team-link") {
    LinkChanges changes;
    changes.code = code;
    changes.description = "Come in";
    changes.need_acceptance = need_acceptance;
    must(app_.rooms.create_link(alice_, room_, changes));
  }

  std::int64_t events(const std::string& where) { return app_.count_rows("events WHERE " + where); }

  InvitationService invitations_{app_.deps()};
};

TEST_F(InvitationServiceTest, PreviewShowsTheRoomToAnyoneAndTheCallersStanding) {
  link(true);
  const InvitationPreview outsider = must(invitations_.preview(erin_, "team-link"));
  EXPECT_EQ(outsider.room_name, must(app_.rooms.get_room(alice_, room_)).room.name);
  EXPECT_EQ(outsider.description, "Come in");
  EXPECT_EQ(outsider.member_count, 3);
  EXPECT_TRUE(outsider.need_acceptance);
  EXPECT_FALSE(outsider.member_of.has_value());
  EXPECT_FALSE(outsider.pending_request.has_value());
  EXPECT_EQ(must(invitations_.preview(bob_, "team-link")).member_of, room_);
}

TEST_F(InvitationServiceTest, EveryMissIsTheSameNotFound) {
  link(false);
  must(app_.rooms.delete_link(alice_, room_));
  for (const std::string code : {"team-link", "nobody-made-this", "bad code", "", "x/y"}) {
    auto preview = invitations_.preview(erin_, code);
    ASSERT_TRUE(fails_with(preview, core::ErrorCode::kNotFound)) << code;
    EXPECT_EQ(preview.error().message, "Invitation link not found");
    auto joined = invitations_.join(erin_, code);
    ASSERT_TRUE(fails_with(joined, core::ErrorCode::kNotFound)) << code;
    EXPECT_EQ(joined.error().message, "Invitation link not found");
  }
}

TEST_F(InvitationServiceTest, JoinWithoutAcceptanceAddsAMemberWithTheNotice) {
  link(false);
  const JoinOutcome outcome = must(invitations_.join(erin_, "team-link"));
  EXPECT_EQ(outcome.status, JoinStatus::kJoined);
  EXPECT_EQ(outcome.room_id, room_);
  ASSERT_TRUE(app_.membership(room_, erin_).has_value());
  EXPECT_EQ(app_.membership(room_, erin_)->role, core::Role::kMember);
  EXPECT_EQ(app_.all_messages(room_).back().body, member_joined_body(erin_));
  const std::string added = "type = 'member_added' AND room_id = " + std::to_string(room_.value) +
                            " AND recipient_id = " + std::to_string(erin_.value);
  EXPECT_EQ(events(added), 1);
  EXPECT_EQ(must(invitations_.join(erin_, "team-link")).status, JoinStatus::kAlreadyMember);
  EXPECT_EQ(events(added), 1);
}

TEST_F(InvitationServiceTest, RequestWaitsForAnAdminWhoApprovesIt) {
  link(true);
  const JoinOutcome outcome = must(invitations_.join(erin_, "team-link"));
  ASSERT_EQ(outcome.status, JoinStatus::kRequested);
  ASSERT_TRUE(outcome.request.has_value());
  EXPECT_FALSE(app_.membership(room_, erin_).has_value());
  const core::JoinRequestId id = outcome.request->id;
  EXPECT_EQ(must(invitations_.join(erin_, "team-link")).request->id, id);
  // One to the requester, one to the room's only admin; none to the others.
  EXPECT_EQ(events("type = 'join_request_created'"), 2);
  EXPECT_EQ(events("type = 'join_request_created' AND to_room_members = 1"), 0);
  EXPECT_EQ(must(invitations_.preview(erin_, "team-link")).pending_request, id);

  EXPECT_TRUE(
      fails_with(invitations_.list_requests(bob_, room_), core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(
      fails_with(invitations_.approve(bob_, room_, id), core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(fails_with(invitations_.approve(erin_, room_, id), core::ErrorCode::kNotFound));
  const auto pending = must(invitations_.list_requests(alice_, room_));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].account.id, erin_);
  EXPECT_EQ(pending[0].account.organization_name, "Other Corp");

  must(invitations_.approve(alice_, room_, id));
  EXPECT_EQ(app_.membership(room_, erin_)->role, core::Role::kMember);
  EXPECT_TRUE(must(invitations_.list_requests(alice_, room_)).empty());
  EXPECT_EQ(events("type = 'join_request_approved'"), 2);
  EXPECT_TRUE(fails_with(invitations_.approve(alice_, room_, id), core::ErrorCode::kNotFound));
}

TEST_F(InvitationServiceTest, RejectedRequesterMayAskAgain) {
  link(true);
  const core::JoinRequestId first = must(invitations_.join(erin_, "team-link")).request->id;
  must(invitations_.reject(alice_, room_, first));
  EXPECT_FALSE(app_.membership(room_, erin_).has_value());
  EXPECT_EQ(events("type = 'join_request_rejected'"), 2);
  const core::JoinRequestId second = must(invitations_.join(erin_, "team-link")).request->id;
  EXPECT_NE(second, first);
}

TEST_F(InvitationServiceTest, RemovingTheLinkEndsPendingRequests) {
  link(true);
  const core::JoinRequestId id = must(invitations_.join(erin_, "team-link")).request->id;
  must(app_.rooms.delete_link(alice_, room_));
  EXPECT_EQ(app_.count_rows("join_requests"), 0);
  EXPECT_EQ(events("type = 'join_request_cancelled' AND payload LIKE '%link_removed%'"), 2);
  link(true, "new-link");
  EXPECT_TRUE(must(invitations_.list_requests(alice_, room_)).empty());
  EXPECT_TRUE(fails_with(invitations_.approve(alice_, room_, id), core::ErrorCode::kNotFound));
}

TEST_F(InvitationServiceTest, DeletingTheRoomEndsPendingRequests) {
  link(true);
  must(invitations_.join(erin_, "team-link"));
  EXPECT_TRUE(is_ok(app_.rooms.leave_or_delete(alice_, room_, LeaveAction::kDelete)));
  EXPECT_EQ(app_.count_rows("join_requests"), 0);
  EXPECT_EQ(
      events("type = 'join_request_cancelled' AND recipient_id = " + std::to_string(erin_.value)),
      1);
  EXPECT_TRUE(fails_with(invitations_.preview(erin_, "team-link"), core::ErrorCode::kNotFound));
}

}  // namespace
}  // namespace kaiwa::app
