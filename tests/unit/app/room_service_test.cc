// Tests for RoomService against the real SQLite store: creating group chats, the room gate
// (non-members see nothing), admin-only changes, member replacement, leaving and links.
#include "app/room_service.h"

#include <algorithm>
#include <optional>
#include <string>
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
using test::to_tag;

class RoomServiceTest : public test::AppTestBase {
 protected:
  RoomService& rooms() { return app_.rooms; }

  // account id -> role, in account id order.
  std::vector<std::pair<std::int64_t, core::Role>> roles(core::RoomId room) {
    std::vector<std::pair<std::int64_t, core::Role>> out;
    for (const core::Member& member : must(rooms().list_members(alice_, room))) {
      out.emplace_back(member.account.id.value, member.role);
    }
    return out;
  }

  std::size_t room_count(core::AccountId account) {
    return must(rooms().list_rooms(account)).size();
  }
};

using Roles = std::vector<std::pair<std::int64_t, core::Role>>;

// --- Creating

TEST_F(RoomServiceTest, CreateRoomMakesCreatorAdminAndPostsTheNotice) {
  app_.clock().set_unix_ms(1'700'000'000'000);
  NewRoom request;
  request.name = "Launch";
  request.description = "All about the launch";
  request.icon_preset = "star";
  request.members.admin_ids = {alice_};
  request.members.member_ids = {bob_};
  request.members.readonly_ids = {dave_};
  const core::RoomId room = must(rooms().create_room(alice_, request));

  EXPECT_EQ(roles(room), (Roles{{alice_.value, core::Role::kAdmin},
                                {bob_.value, core::Role::kMember},
                                {dave_.value, core::Role::kReadonly}}));
  const core::RoomView view = must(rooms().get_room(bob_, room));
  EXPECT_EQ(view.room.type, core::RoomType::kGroup);
  EXPECT_EQ(view.room.name, "Launch");
  EXPECT_EQ(view.room.description, "All about the launch");
  EXPECT_EQ(view.room.icon_preset, "star");
  EXPECT_EQ(view.room.message_num, 1);
  EXPECT_EQ(view.room.last_update_time, 1'700'000'000);
  EXPECT_EQ(view.role, core::Role::kMember);
  EXPECT_EQ(view.unread_num, 1);
  EXPECT_EQ(view.mention_num, 0);
  EXPECT_EQ(must(rooms().get_room(alice_, room)).unread_num, 0);

  const auto notice = app_.all_messages(room);
  ASSERT_EQ(notice.size(), 1u);
  EXPECT_EQ(notice[0].account.id, alice_);
  EXPECT_EQ(notice[0].body, room_created_body("Launch", {alice_, bob_, dave_}));
}

TEST_F(RoomServiceTest, MarkupInTheRoomNameMentionsNobody) {
  NewRoom request;
  request.name = "[toall] " + to_tag(bob_);
  request.members.admin_ids = {alice_};
  request.members.member_ids = {bob_};
  const core::RoomId room = must(rooms().create_room(alice_, request));
  const core::RoomView view = must(rooms().get_room(bob_, room));
  EXPECT_EQ(view.unread_num, 1);
  EXPECT_EQ(view.mention_num, 0);
}

TEST_F(RoomServiceTest, CreatorWhoIsNotListedJoinsAsAdmin) {
  NewRoom request;
  request.name = "Delegated";
  request.members.admin_ids = {bob_};
  const core::RoomId room = must(rooms().create_room(alice_, request));
  EXPECT_EQ(roles(room),
            (Roles{{alice_.value, core::Role::kAdmin}, {bob_.value, core::Role::kAdmin}}));
}

TEST_F(RoomServiceTest, CreateRoomNeedsAnAdmin) {
  NewRoom request;
  request.name = "No admin";
  request.members.member_ids = {alice_, bob_};
  const std::int64_t rooms_before = app_.count_rows("rooms");
  EXPECT_TRUE(fails_with(rooms().create_room(alice_, request), core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.count_rows("rooms"), rooms_before);
}

TEST_F(RoomServiceTest, CreateRoomRejectsAnAccountListedTwice) {
  NewRoom request;
  request.name = "Twice";
  request.members.admin_ids = {alice_};
  request.members.member_ids = {bob_};
  request.members.readonly_ids = {bob_};
  EXPECT_TRUE(fails_with(rooms().create_room(alice_, request), core::ErrorCode::kInvalidArgument));
}

TEST_F(RoomServiceTest, CreateRoomRejectsBadFields) {
  const std::int64_t rooms_before = app_.count_rows("rooms");
  for (const std::string& name : {std::string(""), std::string(256, 'x'), std::string("\xff")}) {
    NewRoom request;
    request.name = name;
    request.members.admin_ids = {alice_};
    EXPECT_TRUE(
        fails_with(rooms().create_room(alice_, request), core::ErrorCode::kInvalidArgument));
  }
  NewRoom bad_icon;
  bad_icon.name = "Icon";
  bad_icon.icon_preset = "unicorn";
  bad_icon.members.admin_ids = {alice_};
  EXPECT_TRUE(fails_with(rooms().create_room(alice_, bad_icon), core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.count_rows("rooms"), rooms_before);
}

TEST_F(RoomServiceTest, CreateRoomOnlyWithContactsOrColleagues) {
  NewRoom request;
  request.name = "Mixed";
  request.members.admin_ids = {alice_};
  request.members.member_ids = {bob_, erin_};
  const std::int64_t rooms_before = app_.count_rows("rooms");
  EXPECT_TRUE(fails_with(rooms().create_room(alice_, request), core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.count_rows("rooms"), rooms_before);
  EXPECT_EQ(room_count(erin_), 1u);  // their My Chat only

  app_.make_contacts(alice_, erin_);
  const core::RoomId room = must(rooms().create_room(alice_, request));
  EXPECT_TRUE(is_ok(rooms().get_room(erin_, room)));
  // A contact of Alice is not thereby reachable for Bob.
  NewRoom by_bob;
  by_bob.name = "Bob's";
  by_bob.members.admin_ids = {bob_};
  by_bob.members.member_ids = {erin_};
  EXPECT_TRUE(fails_with(rooms().create_room(bob_, by_bob), core::ErrorCode::kInvalidArgument));
}

TEST_F(RoomServiceTest, CreateRoomWithALink) {
  NewRoom request;
  request.name = "Open house";
  request.members.admin_ids = {alice_};
  request.create_link = true;
  request.link_code = "open-house_1";
  request.link_need_acceptance = false;
  const core::RoomId room = must(rooms().create_room(alice_, request));
  const auto link = must(rooms().get_link(alice_, room));
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->code, "open-house_1");
  EXPECT_FALSE(link->need_acceptance);
  EXPECT_EQ(rooms().link_url(*link), "http://kaiwa.test/g/open-house_1");

  // The same code cannot serve a second room.
  request.name = "Copycat";
  EXPECT_TRUE(fails_with(rooms().create_room(alice_, request), core::ErrorCode::kInvalidArgument));
}

// --- The room gate

TEST_F(RoomServiceTest, NonMemberGetsNotFoundEverywhere) {
  const std::int64_t events = app_.count_rows("events");
  for (core::AccountId stranger : {dave_, erin_}) {
    EXPECT_TRUE(fails_with(rooms().get_room(stranger, room_), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().list_members(stranger, room_), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().update_room(stranger, room_, RoomChanges{"Mine", {}, {}}),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(rooms().replace_members(stranger, room_, MemberLists{{stranger}, {}, {}}),
                   core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().leave_or_delete(stranger, room_, LeaveAction::kLeave),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().leave_or_delete(stranger, room_, LeaveAction::kDelete),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().get_link(stranger, room_), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().create_link(stranger, room_, {}), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().update_link(stranger, room_, {}), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(rooms().delete_link(stranger, room_), core::ErrorCode::kNotFound));
  }
  EXPECT_TRUE(
      fails_with(rooms().get_room(alice_, core::RoomId(99'999)), core::ErrorCode::kNotFound));
  EXPECT_EQ(app_.count_rows("events"), events);
  EXPECT_EQ(app_.room(room_).name, "Project room");
}

TEST_F(RoomServiceTest, ListRoomsShowsOnlyOwnRoomsWithCounters) {
  const core::RoomId second = app_.create_group(alice_, {bob_}, {}, {}, "Second");
  app_.post(alice_, second, to_tag(bob_) + " ping");
  const auto views = must(rooms().list_rooms(bob_));
  ASSERT_EQ(views.size(), 3u);  // My Chat, room_, second
  EXPECT_EQ(views[0].room.type, core::RoomType::kMy);
  EXPECT_EQ(views[1].room.id, room_);
  EXPECT_EQ(views[1].unread_num, 0);
  EXPECT_EQ(views[2].room.id, second);
  EXPECT_EQ(views[2].unread_num, 2);  // creation notice and the ping
  EXPECT_EQ(views[2].mention_num, 1);
  EXPECT_EQ(room_count(dave_), 1u);
}

TEST_F(RoomServiceTest, MyStatusAddsUpTheRooms) {
  const core::RoomId second = app_.create_group(alice_, {bob_}, {}, {}, "Second");
  app_.post(alice_, room_, to_tag(bob_) + " one");
  app_.post(alice_, room_, "two");
  app_.post(alice_, second, "[toall] three");
  must(app_.tasks.create_tasks(alice_, second,
                               NewTasks{"Do it", {bob_}, std::nullopt, std::nullopt}));
  const ports::MyStatus status = must(rooms().my_status(bob_));
  EXPECT_EQ(status.unread_num, 2 + 3);  // second: notice, toall, task notice
  EXPECT_EQ(status.mention_num, 2);
  EXPECT_EQ(status.mytask_num, 1);
  EXPECT_EQ(status.unread_room_num, 2);
  EXPECT_EQ(status.mention_room_num, 2);
  EXPECT_EQ(status.mytask_room_num, 1);
}

// --- Updating

TEST_F(RoomServiceTest, OnlyAdminsUpdateTheRoom) {
  for (core::AccountId not_admin : {bob_, carol_}) {
    EXPECT_TRUE(fails_with(rooms().update_room(not_admin, room_, RoomChanges{"Renamed", {}, {}}),
                           core::ErrorCode::kPermissionDenied));
  }
  EXPECT_EQ(app_.room(room_).name, "Project room");

  app_.clock().set_unix_ms(1'800'000'000'000);
  ASSERT_TRUE(
      is_ok(rooms().update_room(alice_, room_, RoomChanges{"Renamed", "New topic", "idea"})));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.name, "Renamed");
  EXPECT_EQ(room.description, "New topic");
  EXPECT_EQ(room.icon_preset, "idea");
  EXPECT_EQ(room.last_update_time, 1'800'000'000);
}

TEST_F(RoomServiceTest, UpdateChangesOnlyTheGivenFields) {
  ASSERT_TRUE(is_ok(rooms().update_room(alice_, room_, RoomChanges{{}, "Only this", {}})));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.name, "Project room");
  EXPECT_EQ(room.description, "Only this");
  EXPECT_EQ(room.icon_preset, "group");
}

TEST_F(RoomServiceTest, UpdateRejectsBadFields) {
  EXPECT_TRUE(fails_with(rooms().update_room(alice_, room_, RoomChanges{"", {}, {}}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(rooms().update_room(alice_, room_, RoomChanges{{}, {}, "unicorn"}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.room(room_).name, "Project room");
}

TEST_F(RoomServiceTest, DirectAndMyChatsCannotBeChanged) {
  app_.make_contacts(alice_, erin_);
  const auto contacts = must(app_.contacts.list_contacts(alice_));
  ASSERT_EQ(contacts.size(), 1u);
  const core::RoomId direct = contacts[0].room_id;
  const core::RoomId my_chat = must(app_.accounts.me(alice_)).my_room_id;
  for (core::RoomId room : {direct, my_chat}) {
    EXPECT_TRUE(fails_with(rooms().update_room(alice_, room, RoomChanges{"X", {}, {}}),
                           core::ErrorCode::kInvalidArgument));
    EXPECT_TRUE(fails_with(rooms().replace_members(alice_, room, MemberLists{{alice_}, {}, {}}),
                           core::ErrorCode::kInvalidArgument));
    EXPECT_TRUE(fails_with(rooms().leave_or_delete(alice_, room, LeaveAction::kLeave),
                           core::ErrorCode::kInvalidArgument));
    EXPECT_TRUE(fails_with(rooms().leave_or_delete(alice_, room, LeaveAction::kDelete),
                           core::ErrorCode::kInvalidArgument));
    EXPECT_TRUE(
        fails_with(rooms().create_link(alice_, room, {}), core::ErrorCode::kInvalidArgument));
    EXPECT_TRUE(app_.room_exists(room));
  }
}

// --- Members

TEST_F(RoomServiceTest, OnlyAdminsReplaceMembers) {
  for (core::AccountId not_admin : {bob_, carol_}) {
    EXPECT_TRUE(fails_with(
        rooms().replace_members(not_admin, room_, MemberLists{{not_admin}, {alice_}, {}}),
        core::ErrorCode::kPermissionDenied));
  }
  EXPECT_EQ(roles(room_), (Roles{{alice_.value, core::Role::kAdmin},
                                 {bob_.value, core::Role::kMember},
                                 {carol_.value, core::Role::kReadonly}}));
}

TEST_F(RoomServiceTest, ReplaceMembersNeedsAtLeastOneAdmin) {
  EXPECT_TRUE(
      fails_with(rooms().replace_members(alice_, room_, MemberLists{{}, {alice_, bob_}, {}}),
                 core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(roles(room_).size(), 3u);
}

TEST_F(RoomServiceTest, ReplaceMembersChangesRolesAddsAndRemoves) {
  const MemberLists wanted{{alice_, bob_}, {dave_}, {}};
  const MemberLists result = must(rooms().replace_members(alice_, room_, wanted));
  EXPECT_EQ(result.admin_ids, wanted.admin_ids);
  EXPECT_EQ(result.member_ids, wanted.member_ids);
  EXPECT_TRUE(result.readonly_ids.empty());
  EXPECT_EQ(roles(room_), (Roles{{alice_.value, core::Role::kAdmin},
                                 {bob_.value, core::Role::kAdmin},
                                 {dave_.value, core::Role::kMember}}));
  EXPECT_TRUE(fails_with(rooms().get_room(carol_, room_), core::ErrorCode::kNotFound));
  EXPECT_TRUE(is_ok(rooms().get_room(dave_, room_)));
}

TEST_F(RoomServiceTest, ReplaceMembersOnlyAddsContactsOrColleagues) {
  EXPECT_TRUE(fails_with(
      rooms().replace_members(alice_, room_, MemberLists{{alice_}, {bob_, erin_}, {carol_}}),
      core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(roles(room_).size(), 3u);
  EXPECT_TRUE(fails_with(
      rooms().replace_members(alice_, room_, MemberLists{{alice_}, {core::AccountId(99'999)}, {}}),
      core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(roles(room_).size(), 3u);

  app_.make_contacts(alice_, erin_);
  EXPECT_TRUE(is_ok(
      rooms().replace_members(alice_, room_, MemberLists{{alice_}, {bob_, erin_}, {carol_}})));
  EXPECT_EQ(roles(room_).size(), 4u);
}

TEST_F(RoomServiceTest, RoleChangeKeepsReadState) {
  app_.post(alice_, room_, to_tag(bob_) + " one");
  app_.post(alice_, room_, "two");
  ASSERT_EQ(unread(bob_), (Counts{2, 1}));
  must(rooms().replace_members(alice_, room_, MemberLists{{alice_}, {}, {bob_, carol_}}));
  EXPECT_EQ(unread(bob_), (Counts{2, 1}));
  must(rooms().replace_members(alice_, room_, MemberLists{{alice_, bob_}, {}, {carol_}}));
  EXPECT_EQ(unread(bob_), (Counts{2, 1}));
}

TEST_F(RoomServiceTest, NewcomerStartsWithTheHistoryRead) {
  app_.post(alice_, room_, "before");
  must(rooms().replace_members(alice_, room_, MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  EXPECT_EQ(unread(dave_), (Counts{0, 0}));
  EXPECT_TRUE(must(app_.messages.list_messages(dave_, room_, false)).empty());
  app_.post(alice_, room_, "after");
  EXPECT_EQ(unread(dave_), (Counts{1, 0}));
}

// --- Leaving and deleting

TEST_F(RoomServiceTest, LastAdminCannotLeave) {
  EXPECT_TRUE(fails_with(rooms().leave_or_delete(alice_, room_, LeaveAction::kLeave),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(roles(room_).size(), 3u);
  EXPECT_TRUE(is_ok(rooms().get_room(alice_, room_)));
}

TEST_F(RoomServiceTest, AdminMayLeaveWhenAnotherAdminRemains) {
  must(rooms().replace_members(alice_, room_, MemberLists{{alice_, bob_}, {}, {carol_}}));
  ASSERT_TRUE(is_ok(rooms().leave_or_delete(alice_, room_, LeaveAction::kLeave)));
  EXPECT_TRUE(fails_with(rooms().get_room(alice_, room_), core::ErrorCode::kNotFound));
  EXPECT_TRUE(is_ok(rooms().get_room(bob_, room_)));
  // Now Bob is the last admin.
  EXPECT_TRUE(fails_with(rooms().leave_or_delete(bob_, room_, LeaveAction::kLeave),
                         core::ErrorCode::kInvalidArgument));
}

TEST_F(RoomServiceTest, MemberLeavingTakesTheirTasksAndFilesAlong) {
  must(app_.tasks.create_tasks(alice_, room_,
                               NewTasks{"Bob's job", {bob_, alice_}, std::nullopt, std::nullopt}));
  must(app_.files.upload(bob_, room_, Upload{"notes.txt", "text/plain", "some notes", ""}));
  ASSERT_EQ(app_.room(room_).task_num, 2);
  ASSERT_EQ(app_.room(room_).file_num, 1);
  ASSERT_TRUE(is_ok(rooms().leave_or_delete(bob_, room_, LeaveAction::kLeave)));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.task_num, 1);
  EXPECT_EQ(room.file_num, 0);
  EXPECT_EQ(must(app_.tasks.list_my_tasks(bob_, {})).size(), 0u);
  EXPECT_EQ(must(rooms().my_status(bob_)).mytask_num, 0);
  EXPECT_EQ(roles(room_),
            (Roles{{alice_.value, core::Role::kAdmin}, {carol_.value, core::Role::kReadonly}}));
}

TEST_F(RoomServiceTest, LastMemberLeavingDeletesTheRoom) {
  const core::RoomId solo = app_.create_group(alice_);
  ASSERT_TRUE(is_ok(rooms().leave_or_delete(alice_, solo, LeaveAction::kLeave)));
  EXPECT_FALSE(app_.room_exists(solo));
}

TEST_F(RoomServiceTest, OnlyAdminsDeleteTheRoom) {
  app_.post(bob_, room_, "some history");
  for (core::AccountId not_admin : {bob_, carol_}) {
    EXPECT_TRUE(fails_with(rooms().leave_or_delete(not_admin, room_, LeaveAction::kDelete),
                           core::ErrorCode::kPermissionDenied));
  }
  ASSERT_TRUE(app_.room_exists(room_));
  ASSERT_TRUE(is_ok(rooms().leave_or_delete(alice_, room_, LeaveAction::kDelete)));
  EXPECT_FALSE(app_.room_exists(room_));
  for (core::AccountId former : {alice_, bob_, carol_}) {
    EXPECT_TRUE(fails_with(rooms().get_room(former, room_), core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(app_.messages.list_messages(former, room_, true), core::ErrorCode::kNotFound));
  }
  EXPECT_EQ(app_.count_rows(test::numbered("messages WHERE room_id = ", room_.value)), 0);
  EXPECT_EQ(app_.count_rows(test::numbered("memberships WHERE room_id = ", room_.value)), 0);
}

// --- Invitation links

TEST_F(RoomServiceTest, OnlyAdminsManageTheLink) {
  for (core::AccountId not_admin : {bob_, carol_}) {
    EXPECT_TRUE(
        fails_with(rooms().create_link(not_admin, room_, {}), core::ErrorCode::kPermissionDenied));
  }
  const core::RoomLink created =
      must(rooms().create_link(alice_, room_, LinkChanges{"team-a", "Join us", false}));
  EXPECT_EQ(created.code, "team-a");
  EXPECT_EQ(created.description, "Join us");
  EXPECT_FALSE(created.need_acceptance);
  for (core::AccountId not_admin : {bob_, carol_}) {
    EXPECT_TRUE(fails_with(rooms().update_link(not_admin, room_, LinkChanges{"mine", {}, {}}),
                           core::ErrorCode::kPermissionDenied));
    EXPECT_TRUE(
        fails_with(rooms().delete_link(not_admin, room_), core::ErrorCode::kPermissionDenied));
    // Members may see it.
    const auto seen = must(rooms().get_link(not_admin, room_));
    ASSERT_TRUE(seen.has_value());
    EXPECT_EQ(seen->code, "team-a");
  }
}

TEST_F(RoomServiceTest, LinkLifecycle) {
  EXPECT_EQ(must(rooms().get_link(alice_, room_)), std::nullopt);
  EXPECT_TRUE(fails_with(rooms().update_link(alice_, room_, LinkChanges{"x", {}, {}}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(rooms().delete_link(alice_, room_), core::ErrorCode::kInvalidArgument));

  const core::RoomLink generated = must(rooms().create_link(alice_, room_, {}));
  EXPECT_EQ(generated.code.size(), 12u);
  EXPECT_TRUE(generated.need_acceptance);
  EXPECT_TRUE(
      fails_with(rooms().create_link(alice_, room_, {}), core::ErrorCode::kInvalidArgument));

  const core::RoomLink updated =
      must(rooms().update_link(alice_, room_, LinkChanges{{}, "Desc", false}));
  EXPECT_EQ(updated.code, generated.code);
  EXPECT_EQ(updated.description, "Desc");
  EXPECT_FALSE(updated.need_acceptance);

  ASSERT_TRUE(is_ok(rooms().delete_link(alice_, room_)));
  EXPECT_EQ(must(rooms().get_link(alice_, room_)), std::nullopt);
}

TEST_F(RoomServiceTest, LinkCodesAreValidatedAndUnique) {
  for (const std::string& bad : {std::string(), std::string("with space"), std::string("slash/"),
                                 std::string("日本語"), std::string(51, 'a')}) {
    EXPECT_TRUE(fails_with(rooms().create_link(alice_, room_, LinkChanges{bad, {}, {}}),
                           core::ErrorCode::kInvalidArgument))
        << bad;
  }
  EXPECT_EQ(must(rooms().get_link(alice_, room_)), std::nullopt);
  must(rooms().create_link(alice_, room_, LinkChanges{"taken", {}, {}}));
  const core::RoomId other = app_.create_group(alice_);
  EXPECT_TRUE(fails_with(rooms().create_link(alice_, other, LinkChanges{"taken", {}, {}}),
                         core::ErrorCode::kInvalidArgument));
  must(rooms().create_link(alice_, other, LinkChanges{"free", {}, {}}));
  EXPECT_TRUE(fails_with(rooms().update_link(alice_, other, LinkChanges{"taken", {}, {}}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(must(rooms().get_link(alice_, other))->code, "free");
}

}  // namespace
}  // namespace kaiwa::app
