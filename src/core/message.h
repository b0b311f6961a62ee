// Messages, tasks and files: what members put into a room.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/account.h"
#include "core/ids.h"

namespace kaiwa::core {

struct Message {
  MessageId id;
  RoomId room_id;
  // Position inside the room (1, 2, ...); read state and the fetch cursor compare against it.
  std::int64_t seq = 0;
  Account account;
  std::string body;
  std::int64_t send_time = 0;
  std::int64_t update_time = 0;
};

enum class TaskStatus { kOpen, kDone };
enum class LimitType { kNone, kDate, kTime };

std::string_view to_string(TaskStatus status);
std::string_view to_string(LimitType type);
std::optional<TaskStatus> parse_task_status(std::string_view text);
std::optional<LimitType> parse_limit_type(std::string_view text);

struct Task {
  TaskId id;
  RoomId room_id;
  std::string room_name;
  std::string room_icon_path;
  Account assignee;
  Account assigned_by;
  MessageId message_id;
  std::string body;
  std::int64_t limit_time = 0;
  TaskStatus status = TaskStatus::kOpen;
  LimitType limit_type = LimitType::kNone;
};

struct File {
  FileId id;
  RoomId room_id;
  Account uploader;
  MessageId message_id;
  std::string filename;
  std::int64_t filesize = 0;
  std::string content_type;
  // Where the bytes live in the BlobStore.
  std::string blob_key;
  std::int64_t upload_time = 0;
};

}  // namespace kaiwa::core
