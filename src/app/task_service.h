// Use cases of tasks: assigning work from a room to its members and completing it.
#pragma once

#include <optional>
#include <vector>

#include "app/dependencies.h"
#include "core/message.h"
#include "ports/store.h"

namespace kaiwa::app {

struct NewTasks {
  std::string body;
  std::vector<core::AccountId> assignee_ids;
  std::optional<std::int64_t> limit;
  std::optional<core::LimitType> limit_type;
};

// Thread-safe (stateless beyond its dependencies).
class TaskService {
 public:
  explicit TaskService(Dependencies deps) : deps_(std::move(deps)) {}

  core::Result<std::vector<core::Task>> list_room_tasks(core::AccountId caller, core::RoomId room,
                                                        ports::TaskFilter filter);
  // Tasks assigned to the caller in every room they belong to.
  core::Result<std::vector<core::Task>> list_my_tasks(core::AccountId caller,
                                                      ports::TaskFilter filter);
  // One task, and one notice message, per assignee. Errors: kInvalidArgument bad body, limit, or
  // an assignee who is not a member; kPermissionDenied readonly caller.
  core::Result<std::vector<core::TaskId>> create_tasks(core::AccountId caller, core::RoomId room,
                                                       const NewTasks& request);
  core::Result<core::Task> get_task(core::AccountId caller, core::RoomId room, core::TaskId task);
  // Assignee, assigner or a room admin may change the status.
  core::Status set_status(core::AccountId caller, core::RoomId room, core::TaskId task,
                          core::TaskStatus status);

 private:
  Dependencies deps_;
};

}  // namespace kaiwa::app
