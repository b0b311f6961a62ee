#include "app/system_messages.h"

#include <array>
#include <cstdio>

namespace kaiwa::app {

std::string room_created_body(std::string_view room_name,
                              const std::vector<core::AccountId>& members) {
  std::string body =
      "[info][title][dtext:chatroom_groupchat_created][/title][dtext:chatroom_chatname_is]";
  body += room_name;
  body += "[dtext:chatroom_set]\n\n[dtext:chatroom_member_is]";
  for (core::AccountId member : members) {
    body += "[piconname:" + std::to_string(member.value) + "]";
  }
  body += "[dtext:chatroom_added][/info]";
  return body;
}

std::string member_joined_body(core::AccountId member) {
  return "[info][dtext:chatroom_member_is][piconname:" + std::to_string(member.value) +
         "][dtext:chatroom_added][/info]";
}

std::string task_body(std::string_view dtext, const core::Task& task) {
  std::string body = "[info][title][dtext:";
  body += dtext;
  body += "][/title][task aid=" + std::to_string(task.assignee.id.value) +
          " st=" + std::string(core::to_string(task.status)) +
          " lt=" + std::to_string(task.limit_time) +
          " ltype=" + std::string(core::to_string(task.limit_type)) + "]";
  body += task.body;
  body += "[/task][/info]";
  return body;
}

std::string human_file_size(std::int64_t bytes) {
  static constexpr std::array<const char*, 4> kUnits = {"B", "KB", "MB", "GB"};
  auto size = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (size >= 1024.0 && unit + 1 < kUnits.size()) {
    size /= 1024.0;
    ++unit;
  }
  std::array<char, 32> text{};
  if (unit == 0) {
    std::snprintf(text.data(), text.size(), "%lld B", static_cast<long long>(bytes));
  } else {
    std::snprintf(text.data(), text.size(), "%.2f %s", size, kUnits[unit]);
  }
  return text.data();
}

std::string file_uploaded_body(std::string_view message, const core::File& file, bool is_image) {
  std::string body;
  if (!message.empty()) {
    body += message;
    body += "\n";
  }
  const std::string id = std::to_string(file.id.value);
  body += "[info][title][dtext:file_uploaded][/title]";
  if (is_image) {
    body += "[preview id=" + id + " ht=16]";
  }
  body += "[download:" + id + "]";
  body += file.filename;
  body += " (" + human_file_size(file.filesize) + ")[/download][/info]";
  return body;
}

}  // namespace kaiwa::app
