#include "app/task_service.h"

#include <set>

#include "app/event_payload.h"
#include "app/message_service.h"
#include "app/room_service.h"
#include "app/system_messages.h"
#include "core/limits.h"
#include "core/room_policy.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

// api notes §9.4: a limit without limit_type means "time"; no limit means "none".
core::Result<std::pair<std::int64_t, core::LimitType>> resolve_limit(const NewTasks& request) {
  if (request.limit && *request.limit < 0) {
    return core::Error::invalid_argument("Parameter 'limit' must be a Unix time");
  }
  std::int64_t limit = request.limit.value_or(0);
  core::LimitType type =
      request.limit_type.value_or(limit > 0 ? core::LimitType::kTime : core::LimitType::kNone);
  if (type == core::LimitType::kNone) {
    return std::pair{std::int64_t{0}, type};
  }
  if (limit <= 0) {
    return core::Error::invalid_argument("Parameter 'limit' is required with this limit_type");
  }
  return std::pair{limit, type};
}

}  // namespace

core::Result<std::vector<core::Task>> TaskService::list_room_tasks(core::AccountId caller,
                                                                   core::RoomId room,
                                                                   ports::TaskFilter filter) {
  filter.limit = core::kMaxListedItems;
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::Task>> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return tx.list_room_tasks(room, filter);
  });
}

core::Result<std::vector<core::Task>> TaskService::list_my_tasks(core::AccountId caller,
                                                                 ports::TaskFilter filter) {
  filter.assignee = caller;
  filter.limit = core::kMaxListedItems;
  return deps_.store.read([&](ports::StoreTx& tx) { return tx.list_account_tasks(filter); });
}

core::Result<std::vector<core::TaskId>> TaskService::create_tasks(core::AccountId caller,
                                                                  core::RoomId room,
                                                                  const NewTasks& request) {
  KAIWA_TRY(core::validate_text("body", request.body, 1, core::kMaxMessageChars));
  if (request.assignee_ids.empty()) {
    return core::Error::invalid_argument("Parameter 'to_ids' is required");
  }
  if (request.assignee_ids.size() > core::kMaxIdsInList) {
    return core::Error::invalid_argument("Too many account ids in 'to_ids' (at most 100)");
  }
  if (request.body.size() * request.assignee_ids.size() > core::kMaxTaskBytesPerRequest) {
    return core::Error::invalid_argument(
        "Parameter 'body' is too long for this many assignees; split the request");
  }
  KAIWA_ASSIGN_OR_RETURN(auto limit, resolve_limit(request));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<std::vector<core::TaskId>> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_TRY(core::require_can_write(membership));
    std::vector<core::TaskId> ids;
    std::set<core::AccountId> seen;
    for (core::AccountId assignee : request.assignee_ids) {
      if (!seen.insert(assignee).second) {
        continue;
      }
      KAIWA_ASSIGN_OR_RETURN(auto assignee_membership, tx.find_membership(room, assignee));
      if (!assignee_membership) {
        return core::Error::invalid_argument("Account " + std::to_string(assignee.value) +
                                             " is not a member of this room");
      }
      core::Task task;
      task.room_id = room;
      task.assignee.id = assignee;
      task.assigned_by.id = caller;
      task.body = request.body;
      task.limit_time = limit.first;
      task.limit_type = limit.second;
      KAIWA_ASSIGN_OR_RETURN(
          core::Message notice,
          append_message(tx, room, caller, task_body("task_added", task), false, now_ms));
      task.message_id = notice.id;
      KAIWA_ASSIGN_OR_RETURN(task.id, tx.insert_task(task, now_ms / 1000));
      KAIWA_TRY(record_event(tx, "task_created", room,
                             EventPayload()
                                 .add("room_id", room.value)
                                 .add("task_id", task.id.value)
                                 .add("account_id", assignee.value),
                             now_ms));
      ids.push_back(task.id);
    }
    return ids;
  });
}

core::Result<core::Task> TaskService::get_task(core::AccountId caller, core::RoomId room,
                                               core::TaskId task) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<core::Task> {
    KAIWA_TRY(enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_task(room, task));
    if (!found) {
      return core::Error::not_found("Task not found");
    }
    return std::move(*found);
  });
}

core::Status TaskService::set_status(core::AccountId caller, core::RoomId room, core::TaskId task,
                                     core::TaskStatus status) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.run_write([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room, caller));
    KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_task(room, task));
    if (!found) {
      return core::Error::not_found("Task not found");
    }
    bool involved = found->assignee.id == caller || found->assigned_by.id == caller;
    if (!involved && membership.role != core::Role::kAdmin) {
      return core::Error::permission_denied(
          "Only the assignee, the assigner or an admin may "
          "change this task");
    }
    if (found->status == status) {
      return core::ok();
    }
    KAIWA_TRY(tx.set_task_status(task, status));
    found->status = status;
    if (status == core::TaskStatus::kDone) {
      KAIWA_TRY(append_message(tx, room, caller, task_body("task_done", *found), false, now_ms));
    }
    return record_event(tx, "task_updated", room,
                        EventPayload()
                            .add("room_id", room.value)
                            .add("task_id", task.value)
                            .add("status", core::to_string(status)),
                        now_ms);
  });
}

}  // namespace kaiwa::app
