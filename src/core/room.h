// Rooms (my, direct and group chats) and the membership of an account in one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/account.h"
#include "core/ids.h"

namespace kaiwa::core {

enum class RoomType { kMy, kDirect, kGroup };

// Ordered by privilege: a lower value may do everything a higher one may.
enum class Role { kAdmin, kMember, kReadonly };

std::string_view to_string(RoomType type);
std::string_view to_string(Role role);
std::optional<RoomType> parse_room_type(std::string_view text);
std::optional<Role> parse_role(std::string_view text);

struct Room {
  RoomId id;
  RoomType type = RoomType::kGroup;
  std::string name;
  std::string description;
  std::string icon_preset;
  std::int64_t message_num = 0;
  std::int64_t file_num = 0;
  std::int64_t task_num = 0;
  std::int64_t last_update_time = 0;
  // Sequence of the newest message; read positions of members are compared against it.
  std::int64_t last_seq = 0;
};

struct Membership {
  RoomId room_id;
  AccountId account_id;
  Role role = Role::kMember;
  // Messages with seq <= read_seq are read by this member.
  std::int64_t read_seq = 0;
  // Messages with seq <= fetched_seq were already returned by GET /messages without force.
  std::int64_t fetched_seq = 0;
  bool sticky = false;
};

// One row of the caller's room list: the room with the caller's own view of it.
struct RoomView {
  Room room;
  Role role = Role::kMember;
  bool sticky = false;
  std::int64_t unread_num = 0;
  std::int64_t mention_num = 0;
  std::int64_t mytask_num = 0;
};

struct Member {
  Account account;
  Role role = Role::kMember;
};

struct RoomLink {
  RoomId room_id;
  std::string code;
  std::string description;
  bool need_acceptance = true;
};

// An account's request to join a group chat through its invitation link, waiting for an admin
// (links with need_acceptance). account holds the short form: id, name, avatar, organization.
struct JoinRequest {
  JoinRequestId id;
  RoomId room_id;
  Account account;
  std::int64_t requested_at = 0;
};

}  // namespace kaiwa::core
