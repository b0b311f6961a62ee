#include "core/message.h"

namespace kaiwa::core {

std::string_view to_string(TaskStatus status) {
  return status == TaskStatus::kDone ? "done" : "open";
}

std::string_view to_string(LimitType type) {
  switch (type) {
    case LimitType::kNone:
      return "none";
    case LimitType::kDate:
      return "date";
    case LimitType::kTime:
      return "time";
  }
  return "none";
}

std::optional<TaskStatus> parse_task_status(std::string_view text) {
  if (text == "open") {
    return TaskStatus::kOpen;
  }
  if (text == "done") {
    return TaskStatus::kDone;
  }
  return std::nullopt;
}

std::optional<LimitType> parse_limit_type(std::string_view text) {
  if (text == "none") {
    return LimitType::kNone;
  }
  if (text == "date") {
    return LimitType::kDate;
  }
  if (text == "time") {
    return LimitType::kTime;
  }
  return std::nullopt;
}

}  // namespace kaiwa::core
