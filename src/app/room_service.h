// Use cases of rooms: the room list and status, creating and changing group chats, their
// members and their invitation links.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/dependencies.h"
#include "core/room.h"
#include "ports/store.h"

namespace kaiwa::app {

struct MemberLists {
  std::vector<core::AccountId> admin_ids;
  std::vector<core::AccountId> member_ids;
  std::vector<core::AccountId> readonly_ids;
};

struct NewRoom {
  std::string name;
  std::string description;
  std::string icon_preset = "group";
  MemberLists members;
  bool create_link = false;
  std::optional<std::string> link_code;
  bool link_need_acceptance = true;
};

struct RoomChanges {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> icon_preset;
};

struct LinkChanges {
  std::optional<std::string> code;
  std::optional<std::string> description;
  std::optional<bool> need_acceptance;
};

enum class LeaveAction { kLeave, kDelete };

// Thread-safe (stateless beyond its dependencies).
class RoomService {
 public:
  explicit RoomService(Dependencies deps) : deps_(std::move(deps)) {}

  core::Result<std::vector<core::RoomView>> list_rooms(core::AccountId caller);
  core::Result<core::RoomView> get_room(core::AccountId caller, core::RoomId room);
  core::Result<ports::MyStatus> my_status(core::AccountId caller);

  // Errors: kInvalidArgument bad fields, or a member who is neither a contact nor a colleague.
  core::Result<core::RoomId> create_room(core::AccountId caller, const NewRoom& request);
  // Errors: kNotFound not a member; kPermissionDenied not admin; kInvalidArgument not a group.
  core::Status update_room(core::AccountId caller, core::RoomId room, const RoomChanges& changes);
  core::Status leave_or_delete(core::AccountId caller, core::RoomId room, LeaveAction action);

  core::Result<std::vector<core::Member>> list_members(core::AccountId caller, core::RoomId room);
  // Replaces the whole membership; returns the resulting lists.
  core::Result<MemberLists> replace_members(core::AccountId caller, core::RoomId room,
                                            const MemberLists& lists);
  // Administration (kaiwa admin room add-members): adds accounts to a group room with role, in
  // one transaction and without the API's list limit, e.g. to move a whole team in. Members
  // already in the room keep their role. Errors: kNotFound room or account; kInvalidArgument
  // not a group.
  core::Status add_members_as_operator(core::RoomId room,
                                       const std::vector<core::AccountId>& accounts,
                                       core::Role role);

  // nullopt when the room has no link.
  core::Result<std::optional<core::RoomLink>> get_link(core::AccountId caller, core::RoomId room);
  // Errors: kInvalidArgument when a link exists already or the code is taken.
  core::Result<core::RoomLink> create_link(core::AccountId caller, core::RoomId room,
                                           const LinkChanges& changes);
  // Errors: kInvalidArgument when the room has no link.
  core::Result<core::RoomLink> update_link(core::AccountId caller, core::RoomId room,
                                           const LinkChanges& changes);
  core::Status delete_link(core::AccountId caller, core::RoomId room);

  std::string link_url(const core::RoomLink& link) const;

 private:
  core::Result<core::RoomView> view_for(ports::StoreTx& tx, core::AccountId caller,
                                        core::RoomId room);

  Dependencies deps_;
};

// Membership of caller in room through the room gate (not a member: the room does not exist).
core::Result<core::Membership> enter_room(ports::StoreTx& tx, core::RoomId room,
                                          core::AccountId caller);

// The room, for a caller who must be an admin of a group chat to do `action` there: the room
// gate first (not a member: not found), then the room's kind, then the role.
core::Result<core::Room> enter_group_as_admin(ports::StoreTx& tx, core::RoomId room_id,
                                              core::AccountId caller, std::string_view action);

}  // namespace kaiwa::app
