#include "core/room.h"

namespace kaiwa::core {

std::string_view to_string(RoomType type) {
  switch (type) {
    case RoomType::kMy:
      return "my";
    case RoomType::kDirect:
      return "direct";
    case RoomType::kGroup:
      return "group";
  }
  return "group";
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kMember:
      return "member";
    case Role::kReadonly:
      return "readonly";
  }
  return "readonly";
}

std::optional<RoomType> parse_room_type(std::string_view text) {
  if (text == "my") {
    return RoomType::kMy;
  }
  if (text == "direct") {
    return RoomType::kDirect;
  }
  if (text == "group") {
    return RoomType::kGroup;
  }
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") {
    return Role::kAdmin;
  }
  if (text == "member") {
    return Role::kMember;
  }
  if (text == "readonly") {
    return Role::kReadonly;
  }
  return std::nullopt;
}

}  // namespace kaiwa::core
