// Bodies of the messages Kaiwa posts on the user's behalf, byte-for-byte in Chatwork's notation
// (api notes §7.3), so clients that parse them keep working.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/message.h"

namespace kaiwa::app {

std::string room_created_body(std::string_view room_name,
                              const std::vector<core::AccountId>& members);
// Chatwork's notice for a member who joined: "Members <name> joined".
std::string member_joined_body(core::AccountId member);
std::string task_body(std::string_view dtext, const core::Task& task);
std::string file_uploaded_body(std::string_view message, const core::File& file, bool is_image);
// "247.60 KB" as Chatwork prints sizes.
std::string human_file_size(std::int64_t bytes);

}  // namespace kaiwa::app
