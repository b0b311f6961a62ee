// Tests for TaskService against the real SQLite store: one task per assignee, limits, who may
// assign and complete tasks, and the mytask counters.
#include "app/task_service.h"

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
using test::numbered;

constexpr std::int64_t kLimit = 1'737'000'000;

class TaskServiceTest : public test::AppTestBase {
 protected:
  TaskService& tasks() { return app_.tasks; }

  static NewTasks request(std::vector<core::AccountId> assignees,
                          std::string body = "Review the spec",
                          std::optional<std::int64_t> limit = std::nullopt,
                          std::optional<core::LimitType> limit_type = std::nullopt) {
    return NewTasks{std::move(body), std::move(assignees), limit, limit_type};
  }

  core::TaskId create_one(core::AccountId assignee, std::string body = "Review the spec") {
    const auto ids =
        must(tasks().create_tasks(alice_, room_, request({assignee}, std::move(body))));
    if (ids.size() != 1) {
      throw std::runtime_error("expected one task");
    }
    return ids.front();
  }

  ports::TaskFilter status_filter(core::TaskStatus status) {
    ports::TaskFilter filter;
    filter.status = status;
    return filter;
  }
};

TEST_F(TaskServiceTest, CreatesOneTaskAndOneNoticePerAssignee) {
  const auto ids = must(tasks().create_tasks(alice_, room_, request({bob_, carol_})));
  ASSERT_EQ(ids.size(), 2u);
  const core::Task for_bob = must(tasks().get_task(bob_, room_, ids[0]));
  const core::Task for_carol = must(tasks().get_task(bob_, room_, ids[1]));
  EXPECT_EQ(for_bob.assignee.id, bob_);
  EXPECT_EQ(for_carol.assignee.id, carol_);
  for (const core::Task& task : {for_bob, for_carol}) {
    EXPECT_EQ(task.room_id, room_);
    EXPECT_EQ(task.assigned_by.id, alice_);
    EXPECT_EQ(task.body, "Review the spec");
    EXPECT_EQ(task.status, core::TaskStatus::kOpen);
    EXPECT_EQ(task.limit_type, core::LimitType::kNone);
    EXPECT_EQ(task.limit_time, 0);
    const core::Message notice = must(app_.messages.get_message(bob_, room_, task.message_id));
    EXPECT_EQ(notice.account.id, alice_);
    EXPECT_EQ(notice.body, task_body("task_added", task));
  }
  EXPECT_NE(for_bob.message_id, for_carol.message_id);
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.task_num, 2);
  EXPECT_EQ(room.message_num, 3);
  // The notices are ordinary unread messages for everyone but the assigner.
  EXPECT_EQ(unread(bob_), (Counts{2, 0}));
  EXPECT_EQ(unread(alice_), (Counts{0, 0}));
}

TEST_F(TaskServiceTest, ABodyTooLargeForItsAssigneesIsRefusedWithNothingWritten) {
  std::vector<core::AccountId> team;
  team.reserve(9);
  for (int i = 0; i < 9; ++i) {
    team.push_back(app_.create_account(org_, numbered("member", i)));
  }
  const core::RoomId big_room = app_.create_group(alice_, team);
  const std::int64_t tasks_before = app_.count_rows("tasks");
  const std::int64_t messages_before = app_.count_rows("messages");
  // A body of the longest allowed kind (65,535 four-byte characters) for 9 assignees would make
  // the writer store over 2 MiB for one request.
  std::string body;
  for (int i = 0; i < 65'535; ++i) {
    body += "\xF0\x9F\x98\x80";
  }
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, big_room, request(team, body)),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.count_rows("tasks"), tasks_before);
  EXPECT_EQ(app_.count_rows("messages"), messages_before);
  // The same body for one assignee is fine.
  EXPECT_TRUE(is_ok(tasks().create_tasks(alice_, big_room, request({team.front()}, body))));
}

TEST_F(TaskServiceTest, ARepeatedAssigneeGetsOneTask) {
  const auto ids = must(tasks().create_tasks(alice_, room_, request({bob_, bob_, alice_, bob_})));
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(must(tasks().get_task(alice_, room_, ids[0])).assignee.id, bob_);
  EXPECT_EQ(must(tasks().get_task(alice_, room_, ids[1])).assignee.id, alice_);
  EXPECT_EQ(app_.room(room_).task_num, 2);
}

TEST_F(TaskServiceTest, LimitWithoutLimitTypeMeansTime) {
  const auto ids = must(tasks().create_tasks(alice_, room_, request({bob_}, "Due", kLimit)));
  const core::Task task = must(tasks().get_task(bob_, room_, ids.at(0)));
  EXPECT_EQ(task.limit_type, core::LimitType::kTime);
  EXPECT_EQ(task.limit_time, kLimit);
}

TEST_F(TaskServiceTest, ExplicitLimitTypeIsKept) {
  const auto ids = must(
      tasks().create_tasks(alice_, room_, request({bob_}, "Due", kLimit, core::LimitType::kDate)));
  const core::Task task = must(tasks().get_task(bob_, room_, ids.at(0)));
  EXPECT_EQ(task.limit_type, core::LimitType::kDate);
  EXPECT_EQ(task.limit_time, kLimit);
}

TEST_F(TaskServiceTest, LimitTypeNoneDropsTheLimit) {
  const auto ids = must(tasks().create_tasks(
      alice_, room_, request({bob_}, "Whenever", kLimit, core::LimitType::kNone)));
  const core::Task task = must(tasks().get_task(bob_, room_, ids.at(0)));
  EXPECT_EQ(task.limit_type, core::LimitType::kNone);
  EXPECT_EQ(task.limit_time, 0);
}

TEST_F(TaskServiceTest, BadLimitsAreRejected) {
  EXPECT_TRUE(
      fails_with(tasks().create_tasks(alice_, room_,
                                      request({bob_}, "x", std::nullopt, core::LimitType::kDate)),
                 core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(
      tasks().create_tasks(alice_, room_, request({bob_}, "x", 0, core::LimitType::kTime)),
      core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({bob_}, "x", -5)),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.room(room_).task_num, 0);
}

TEST_F(TaskServiceTest, BadBodyOrNoAssigneesIsRejectedWithNothingWritten) {
  const std::int64_t events = app_.count_rows("events");
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({bob_}, "")),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({bob_}, "\xc3\x28")),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      fails_with(tasks().create_tasks(alice_, room_, request({bob_}, std::string(65'536, 't'))),
                 core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({})),
                         core::ErrorCode::kInvalidArgument));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.task_num, 0);
  EXPECT_EQ(room.message_num, 1);
  EXPECT_EQ(app_.count_rows("events"), events);
}

TEST_F(TaskServiceTest, AssigneesMustBeMembers) {
  const std::int64_t events = app_.count_rows("events");
  // Bob is valid, Dave is not: the whole request fails and Bob's task is not kept either.
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({bob_, dave_})),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(tasks().create_tasks(alice_, room_, request({erin_})),
                         core::ErrorCode::kInvalidArgument));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.task_num, 0);
  EXPECT_EQ(room.message_num, 1);
  EXPECT_EQ(app_.count_rows("tasks"), 0);
  EXPECT_EQ(app_.count_rows("events"), events);
  EXPECT_EQ(unread(bob_), (Counts{0, 0}));
}

TEST_F(TaskServiceTest, ReadonlyMemberCannotCreateTasks) {
  EXPECT_TRUE(fails_with(tasks().create_tasks(carol_, room_, request({carol_})),
                         core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(app_.room(room_).task_num, 0);
  // A readonly member may still be given a task.
  EXPECT_TRUE(is_ok(tasks().create_tasks(bob_, room_, request({carol_}))));
}

TEST_F(TaskServiceTest, NonMemberGetsNotFoundEverywhere) {
  const core::TaskId task = create_one(bob_);
  for (core::AccountId stranger : {dave_, erin_}) {
    EXPECT_TRUE(fails_with(tasks().create_tasks(stranger, room_, request({bob_})),
                           core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(tasks().list_room_tasks(stranger, room_, {}), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(tasks().get_task(stranger, room_, task), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(tasks().set_status(stranger, room_, task, core::TaskStatus::kDone),
                           core::ErrorCode::kNotFound));
  }
  EXPECT_EQ(must(tasks().get_task(bob_, room_, task)).status, core::TaskStatus::kOpen);
}

TEST_F(TaskServiceTest, UnknownTaskIsNotFound) {
  EXPECT_TRUE(
      fails_with(tasks().get_task(alice_, room_, core::TaskId(4242)), core::ErrorCode::kNotFound));
  EXPECT_TRUE(
      fails_with(tasks().set_status(alice_, room_, core::TaskId(4242), core::TaskStatus::kDone),
                 core::ErrorCode::kNotFound));
  // A task of another room is unknown here.
  const core::RoomId other = app_.create_group(alice_, {bob_});
  const auto elsewhere = must(tasks().create_tasks(alice_, other, request({bob_})));
  EXPECT_TRUE(
      fails_with(tasks().get_task(bob_, room_, elsewhere.at(0)), core::ErrorCode::kNotFound));
}

TEST_F(TaskServiceTest, StatusChangesMoveTheMytaskCounters) {
  const core::TaskId task = create_one(bob_);
  create_one(alice_);
  ports::MyStatus status = must(app_.rooms.my_status(bob_));
  EXPECT_EQ(status.mytask_num, 1);
  EXPECT_EQ(status.mytask_room_num, 1);
  EXPECT_EQ(must(app_.rooms.get_room(bob_, room_)).mytask_num, 1);
  EXPECT_EQ(must(tasks().list_my_tasks(bob_, {})).size(), 1u);

  ASSERT_TRUE(is_ok(tasks().set_status(bob_, room_, task, core::TaskStatus::kDone)));
  EXPECT_EQ(must(tasks().get_task(alice_, room_, task)).status, core::TaskStatus::kDone);
  status = must(app_.rooms.my_status(bob_));
  EXPECT_EQ(status.mytask_num, 0);
  EXPECT_EQ(status.mytask_room_num, 0);
  EXPECT_EQ(must(app_.rooms.get_room(bob_, room_)).mytask_num, 0);
  EXPECT_TRUE(must(tasks().list_my_tasks(bob_, {})).empty());
  const auto done = must(tasks().list_my_tasks(bob_, status_filter(core::TaskStatus::kDone)));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].id, task);
  // Task totals count every task, open or done.
  EXPECT_EQ(app_.room(room_).task_num, 2);

  ASSERT_TRUE(is_ok(tasks().set_status(bob_, room_, task, core::TaskStatus::kOpen)));
  EXPECT_EQ(must(app_.rooms.my_status(bob_)).mytask_num, 1);
}

TEST_F(TaskServiceTest, CompletingPostsTheDoneNoticeOnce) {
  const core::TaskId task = create_one(bob_);
  const std::int64_t before = app_.room(room_).message_num;
  ASSERT_TRUE(is_ok(tasks().set_status(bob_, room_, task, core::TaskStatus::kDone)));
  EXPECT_EQ(app_.room(room_).message_num, before + 1);
  const auto all = app_.all_messages(room_);
  const core::Task done = must(tasks().get_task(bob_, room_, task));
  EXPECT_EQ(all.back().account.id, bob_);
  EXPECT_EQ(all.back().body, task_body("task_done", done));
  // Setting the same status again changes nothing.
  ASSERT_TRUE(is_ok(tasks().set_status(bob_, room_, task, core::TaskStatus::kDone)));
  EXPECT_EQ(app_.room(room_).message_num, before + 1);
}

TEST_F(TaskServiceTest, OnlyAssigneeAssignerOrAdminChangesStatus) {
  must(app_.rooms.replace_members(alice_, room_, MemberLists{{alice_}, {bob_, dave_}, {carol_}}));
  const auto ids = must(tasks().create_tasks(bob_, room_, request({carol_})));
  const core::TaskId task = ids.at(0);
  EXPECT_TRUE(fails_with(tasks().set_status(dave_, room_, task, core::TaskStatus::kDone),
                         core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(must(tasks().get_task(dave_, room_, task)).status, core::TaskStatus::kOpen);
  EXPECT_TRUE(is_ok(tasks().set_status(carol_, room_, task, core::TaskStatus::kDone)));  // assignee
  EXPECT_TRUE(is_ok(tasks().set_status(bob_, room_, task, core::TaskStatus::kOpen)));    // assigner
  EXPECT_TRUE(is_ok(tasks().set_status(alice_, room_, task, core::TaskStatus::kDone)));  // admin
  EXPECT_EQ(must(tasks().get_task(dave_, room_, task)).status, core::TaskStatus::kDone);
}

TEST_F(TaskServiceTest, ListRoomTasksFilters) {
  const core::TaskId for_bob = create_one(bob_, "for bob");
  must(tasks().create_tasks(bob_, room_, request({carol_}, "from bob")));
  const core::TaskId done = create_one(carol_, "done one");
  must(tasks().set_status(carol_, room_, done, core::TaskStatus::kDone));

  EXPECT_EQ(must(tasks().list_room_tasks(carol_, room_, {})).size(), 2u);
  ports::TaskFilter by_assignee;
  by_assignee.assignee = bob_;
  const auto bobs = must(tasks().list_room_tasks(carol_, room_, by_assignee));
  ASSERT_EQ(bobs.size(), 1u);
  EXPECT_EQ(bobs[0].id, for_bob);
  ports::TaskFilter by_assigner;
  by_assigner.assigned_by = bob_;
  const auto from_bob = must(tasks().list_room_tasks(carol_, room_, by_assigner));
  ASSERT_EQ(from_bob.size(), 1u);
  EXPECT_EQ(from_bob[0].body, "from bob");
  const auto finished =
      must(tasks().list_room_tasks(carol_, room_, status_filter(core::TaskStatus::kDone)));
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].id, done);
}

TEST_F(TaskServiceTest, MyTasksSpanRoomsAndCarryTheRoom) {
  const core::RoomId other = app_.create_group(bob_, {alice_}, {}, {}, "Other room");
  create_one(bob_, "here");
  must(tasks().create_tasks(bob_, other, request({bob_}, "there")));
  const auto mine = must(tasks().list_my_tasks(bob_, {}));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].room_id, room_);
  EXPECT_EQ(mine[0].room_name, "Project room");
  EXPECT_EQ(mine[1].room_id, other);
  EXPECT_EQ(mine[1].room_name, "Other room");
  ports::TaskFilter from_alice;
  from_alice.assigned_by = alice_;
  const auto assigned_by_alice = must(tasks().list_my_tasks(bob_, from_alice));
  ASSERT_EQ(assigned_by_alice.size(), 1u);
  EXPECT_EQ(assigned_by_alice[0].body, "here");
  EXPECT_EQ(must(app_.rooms.my_status(bob_)).mytask_room_num, 2);
}

}  // namespace
}  // namespace kaiwa::app
