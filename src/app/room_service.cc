#include "app/room_service.h"

#include <algorithm>
#include <set>

#include "app/event_payload.h"
#include "app/invitation_service.h"
#include "app/message_service.h"
#include "app/system_messages.h"
#include "core/limits.h"
#include "core/room_policy.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

constexpr std::size_t kGeneratedLinkCodeChars = 12;

core::Status validate_member_lists(const MemberLists& lists) {
  if (lists.admin_ids.empty()) {
    return core::Error::invalid_argument("Parameter 'members_admin_ids' requires at least one id")
        .because(core::reason::kLastAdmin);
  }
  std::set<core::AccountId> seen;
  for (const auto* list : {&lists.admin_ids, &lists.member_ids, &lists.readonly_ids}) {
    if (list->size() > core::kMaxIdsInList) {
      return core::Error::invalid_argument("Too many account ids (at most 100 per list)");
    }
    for (core::AccountId id : *list) {
      if (!seen.insert(id).second) {
        return core::Error::invalid_argument("Account " + std::to_string(id.value) +
                                             " is listed more than once");
      }
    }
  }
  return core::ok();
}

core::Status validate_room_fields(const std::optional<std::string>& name,
                                  const std::optional<std::string>& description,
                                  const std::optional<std::string>& icon_preset) {
  if (name) {
    KAIWA_TRY(core::validate_text("name", *name, 1, core::kMaxRoomNameChars));
  }
  if (description) {
    KAIWA_TRY(core::validate_text("description", *description, 0, core::kMaxDescriptionChars));
  }
  if (icon_preset && !core::is_icon_preset(*icon_preset)) {
    return core::Error::invalid_argument("Parameter 'icon_preset' is not a known icon");
  }
  return core::ok();
}

// Room members must be contacts of the one who adds them, or colleagues in their organization.
core::Status require_reachable(ports::StoreTx& tx, const core::Account& caller,
                               core::AccountId candidate) {
  if (candidate == caller.id) {
    return core::ok();
  }
  KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account(candidate));
  const std::string refused =
      "Account " + std::to_string(candidate.value) + " is not a contact or colleague of yours";
  if (!account) {
    return core::Error::invalid_argument(refused);
  }
  if (account->organization_id == caller.organization_id) {
    return core::ok();
  }
  KAIWA_ASSIGN_OR_RETURN(bool is_contact, tx.are_contacts(caller.id, candidate));
  if (!is_contact) {
    return core::Error::invalid_argument(refused);
  }
  return core::ok();
}

core::Result<core::Account> load_account(ports::StoreTx& tx, core::AccountId id) {
  KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account(id));
  if (!account) {
    return core::Error::not_found("Account not found");
  }
  return std::move(*account);
}

core::Result<core::Room> load_room(ports::StoreTx& tx, core::RoomId id) {
  KAIWA_ASSIGN_OR_RETURN(auto room, tx.find_room(id));
  if (!room) {
    return core::Error::not_found("Room not found");
  }
  return std::move(*room);
}

std::vector<std::pair<core::AccountId, core::Role>> with_roles(const MemberLists& lists) {
  std::vector<std::pair<core::AccountId, core::Role>> out;
  for (core::AccountId id : lists.admin_ids) {
    out.emplace_back(id, core::Role::kAdmin);
  }
  for (core::AccountId id : lists.member_ids) {
    out.emplace_back(id, core::Role::kMember);
  }
  for (core::AccountId id : lists.readonly_ids) {
    out.emplace_back(id, core::Role::kReadonly);
  }
  return out;
}

core::Status validate_link_changes(const LinkChanges& changes) {
  if (changes.code) {
    KAIWA_TRY(core::validate_link_code(*changes.code));
  }
  if (changes.description) {
    KAIWA_TRY(
        core::validate_text("description", *changes.description, 0, core::kMaxDescriptionChars));
  }
  return core::ok();
}

core::Status store_link(ports::StoreTx& tx, const core::RoomLink& link) {
  core::Status put = tx.put_link(link);
  if (!put && put.error().is(core::ErrorCode::kConflict)) {
    return core::Error::invalid_argument("This link code is already in use");
  }
  return put;
}

}  // namespace

core::Result<core::Membership> enter_room(ports::StoreTx& tx, core::RoomId room,
                                          core::AccountId caller) {
  KAIWA_ASSIGN_OR_RETURN(auto membership, tx.find_membership(room, caller));
  KAIWA_TRY(core::require_member(membership));
  return *membership;
}

core::Result<core::Room> enter_group_as_admin(ports::StoreTx& tx, core::RoomId room_id,
                                              core::AccountId caller, std::string_view action) {
  KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room_id, caller));
  KAIWA_ASSIGN_OR_RETURN(core::Room room, load_room(tx, room_id));
  KAIWA_TRY(core::require_group(room, action));
  KAIWA_TRY(core::require_admin(membership));
  return room;
}

core::Result<core::RoomView> RoomService::view_for(ports::StoreTx& tx, core::AccountId caller,
                                                   core::RoomId room) {
  KAIWA_ASSIGN_OR_RETURN(auto view, tx.find_room_view(room, caller));
  if (!view) {
    return core::Error::not_found("Room not found");
  }
  // A direct chat is named after the other person, so each side sees a different name.
  if (view->room.type == core::RoomType::kDirect) {
    KAIWA_ASSIGN_OR_RETURN(auto members, tx.list_members(room));
    for (const core::Member& member : members) {
      if (member.account.id != caller) {
        view->room.name = member.account.name;
      }
    }
  }
  return std::move(*view);
}

core::Result<std::vector<core::RoomView>> RoomService::list_rooms(core::AccountId caller) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::RoomView>> {
    KAIWA_ASSIGN_OR_RETURN(auto views, tx.list_room_views(caller));
    for (core::RoomView& view : views) {
      if (view.room.type == core::RoomType::kDirect) {
        KAIWA_ASSIGN_OR_RETURN(view, view_for(tx, caller, view.room.id));
      }
    }
    return views;
  });
}

core::Result<core::RoomView> RoomService::get_room(core::AccountId caller, core::RoomId room) {
  return deps_.store.read([&](ports::StoreTx& tx) { return view_for(tx, caller, room); });
}

core::Result<ports::MyStatus> RoomService::my_status(core::AccountId caller) {
  return deps_.store.read([&](ports::StoreTx& tx) { return tx.my_status(caller); });
}

core::Result<core::RoomId> RoomService::create_room(core::AccountId caller,
                                                    const NewRoom& request) {
  KAIWA_TRY(validate_room_fields(request.name, request.description, request.icon_preset));
  KAIWA_TRY(validate_member_lists(request.members));
  if (request.link_code) {
    KAIWA_TRY(core::validate_link_code(*request.link_code));
  }
  MemberLists lists = request.members;
  auto listed = with_roles(lists);
  bool caller_listed = std::any_of(listed.begin(), listed.end(),
                                   [&](const auto& entry) { return entry.first == caller; });
  if (!caller_listed) {
    // The creator always belongs to the room they make.
    lists.admin_ids.insert(lists.admin_ids.begin(), caller);
    listed = with_roles(lists);
  }
  std::string link_code =
      request.link_code.value_or(deps_.crypto.random_code(kGeneratedLinkCodeChars));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  const std::int64_t now = now_ms / 1000;
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::RoomId> {
    KAIWA_ASSIGN_OR_RETURN(core::Account creator, load_account(tx, caller));
    for (const auto& [id, role] : listed) {
      KAIWA_TRY(require_reachable(tx, creator, id));
    }
    core::Room room;
    room.type = core::RoomType::kGroup;
    room.name = request.name;
    room.description = request.description;
    room.icon_preset = request.icon_preset;
    KAIWA_ASSIGN_OR_RETURN(room.id, tx.insert_room(room, now));
    std::vector<core::AccountId> member_ids;
    for (const auto& [id, role] : listed) {
      KAIWA_TRY(tx.put_membership(core::Membership{room.id, id, role, 0, 0, false}));
      KAIWA_TRY(record_member_added(tx, room.id, id, role, now_ms));
      member_ids.push_back(id);
    }
    if (request.create_link) {
      KAIWA_TRY(
          store_link(tx, core::RoomLink{room.id, link_code, "", request.link_need_acceptance}));
    }
    KAIWA_TRY(record_event(
        tx, "room_created", room.id,
        EventPayload().add("room_id", room.id.value).add("account_id", caller.value), now_ms));
    KAIWA_TRY(append_notice(tx, room.id, caller, room_created_body(room.name, member_ids), now_ms));
    return room.id;
  });
}

core::Status RoomService::update_room(core::AccountId caller, core::RoomId room_id,
                                      const RoomChanges& changes) {
  KAIWA_TRY(validate_room_fields(changes.name, changes.description, changes.icon_preset));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto updated = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_ASSIGN_OR_RETURN(core::Room room,
                           enter_group_as_admin(tx, room_id, caller, "change the room"));
    room.name = changes.name.value_or(room.name);
    room.description = changes.description.value_or(room.description);
    room.icon_preset = changes.icon_preset.value_or(room.icon_preset);
    room.last_update_time = now_ms / 1000;
    KAIWA_TRY(tx.update_room(room));
    KAIWA_TRY(record_event(
        tx, "room_updated", room_id,
        EventPayload().add("room_id", room_id.value).add("account_id", caller.value), now_ms));
    return true;
  });
  if (!updated) {
    return updated.error();
  }
  return core::ok();
}

core::Status RoomService::leave_or_delete(core::AccountId caller, core::RoomId room_id,
                                          LeaveAction action) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto done = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_ASSIGN_OR_RETURN(core::Membership membership, enter_room(tx, room_id, caller));
    KAIWA_ASSIGN_OR_RETURN(core::Room room, load_room(tx, room_id));
    if (action == LeaveAction::kDelete) {
      KAIWA_TRY(core::require_group(room, "delete the room"));
      KAIWA_TRY(core::require_admin(membership));
      KAIWA_TRY(cancel_join_requests(tx, room_id, "room_deleted", now_ms));
      KAIWA_ASSIGN_OR_RETURN(auto members, tx.list_members(room_id));
      // One per member: once the room is gone, no membership is left to address them by.
      for (const core::Member& member : members) {
        KAIWA_TRY(record_room_deleted(tx, room_id, member.account.id, caller, now_ms));
      }
      KAIWA_TRY(tx.delete_room(room_id));
      return true;
    }
    KAIWA_TRY(core::require_group(room, "leave the room"));
    KAIWA_ASSIGN_OR_RETURN(auto members, tx.list_members(room_id));
    const auto admins = std::count_if(members.begin(), members.end(),
                                      [](const auto& m) { return m.role == core::Role::kAdmin; });
    if (membership.role == core::Role::kAdmin && admins == 1 && members.size() > 1) {
      return core::Error::invalid_argument(
                 "The last admin cannot leave; make another member an admin first")
          .because(core::reason::kLastAdmin);
    }
    // Leaving takes the leaver's tasks and uploads in the room with them (RAML action_type).
    KAIWA_TRY(record_member_gone(tx, "member_left", room_id, caller, now_ms));
    KAIWA_TRY(tx.delete_tasks_of_assignee(room_id, caller));
    KAIWA_TRY(tx.delete_files_of_uploader(room_id, caller));
    KAIWA_TRY(tx.delete_membership(room_id, caller));
    if (members.size() == 1) {
      KAIWA_TRY(cancel_join_requests(tx, room_id, "room_deleted", now_ms));
      KAIWA_TRY(tx.delete_room(room_id));
    }
    return true;
  });
  if (!done) {
    return done.error();
  }
  return core::ok();
}

core::Result<std::vector<core::Member>> RoomService::list_members(core::AccountId caller,
                                                                  core::RoomId room) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::vector<core::Member>> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return tx.list_members(room);
  });
}

core::Result<MemberLists> RoomService::replace_members(core::AccountId caller, core::RoomId room_id,
                                                       const MemberLists& lists) {
  KAIWA_TRY(validate_member_lists(lists));
  const auto wanted = with_roles(lists);
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<MemberLists> {
    KAIWA_ASSIGN_OR_RETURN(core::Room room,
                           enter_group_as_admin(tx, room_id, caller, "change members"));
    KAIWA_ASSIGN_OR_RETURN(core::Account changer, load_account(tx, caller));
    KAIWA_ASSIGN_OR_RETURN(auto current, tx.list_members(room_id));
    std::set<core::AccountId> kept;
    for (const auto& [id, role] : wanted) {
      kept.insert(id);
      KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_membership(room_id, id));
      if (existing && existing->role == role) {
        continue;
      }
      if (!existing) {
        KAIWA_TRY(require_reachable(tx, changer, id));
      }
      // Newcomers start with the history read: they join the conversation from now on.
      KAIWA_TRY(tx.put_membership(
          core::Membership{room_id, id, role, room.last_seq, room.last_seq, false}));
      if (existing) {
        KAIWA_TRY(record_event(tx, "member_role_changed", room_id,
                               EventPayload()
                                   .add("room_id", room_id.value)
                                   .add("account_id", id.value)
                                   .add("role", core::to_string(role)),
                               now_ms));
      } else {
        KAIWA_TRY(record_member_added(tx, room_id, id, role, now_ms));
      }
    }
    for (const core::Member& member : current) {
      if (kept.count(member.account.id) == 0) {
        KAIWA_TRY(record_member_gone(tx, "member_removed", room_id, member.account.id, now_ms));
        KAIWA_TRY(tx.delete_membership(room_id, member.account.id));
      }
    }
    return lists;
  });
}

core::Status RoomService::add_members_as_operator(core::RoomId room_id,
                                                  const std::vector<core::AccountId>& accounts,
                                                  core::Role role) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto added = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_ASSIGN_OR_RETURN(core::Room room, load_room(tx, room_id));
    KAIWA_TRY(core::require_group(room, "add members"));
    for (core::AccountId id : accounts) {
      KAIWA_TRY(load_account(tx, id));
      KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_membership(room_id, id));
      if (existing) {
        continue;
      }
      KAIWA_TRY(tx.put_membership(
          core::Membership{room_id, id, role, room.last_seq, room.last_seq, false}));
      KAIWA_TRY(record_member_added(tx, room_id, id, role, now_ms));
    }
    return true;
  });
  if (!added) {
    return added.error();
  }
  return core::ok();
}

core::Result<std::optional<core::RoomLink>> RoomService::get_link(core::AccountId caller,
                                                                  core::RoomId room) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::optional<core::RoomLink>> {
    KAIWA_TRY(enter_room(tx, room, caller));
    return tx.find_link(room);
  });
}

core::Result<core::RoomLink> RoomService::create_link(core::AccountId caller, core::RoomId room_id,
                                                      const LinkChanges& changes) {
  KAIWA_TRY(validate_link_changes(changes));
  std::string generated = deps_.crypto.random_code(kGeneratedLinkCodeChars);
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::RoomLink> {
    KAIWA_TRY(enter_group_as_admin(tx, room_id, caller, "create an invitation link"));
    KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_link(room_id));
    if (existing) {
      return core::Error::invalid_argument("This room already has an invitation link");
    }
    core::RoomLink link{room_id, changes.code.value_or(generated), changes.description.value_or(""),
                        changes.need_acceptance.value_or(true)};
    KAIWA_TRY(store_link(tx, link));
    KAIWA_TRY(record_event(tx, "link_changed", room_id,
                           EventPayload().add("room_id", room_id.value), now_ms));
    return link;
  });
}

core::Result<core::RoomLink> RoomService::update_link(core::AccountId caller, core::RoomId room_id,
                                                      const LinkChanges& changes) {
  KAIWA_TRY(validate_link_changes(changes));
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::RoomLink> {
    KAIWA_TRY(enter_group_as_admin(tx, room_id, caller, "change an invitation link"));
    KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_link(room_id));
    if (!existing) {
      return core::Error::invalid_argument("This room has no invitation link");
    }
    core::RoomLink link = *existing;
    link.code = changes.code.value_or(link.code);
    link.description = changes.description.value_or(link.description);
    link.need_acceptance = changes.need_acceptance.value_or(link.need_acceptance);
    KAIWA_TRY(store_link(tx, link));
    KAIWA_TRY(record_event(tx, "link_changed", room_id,
                           EventPayload().add("room_id", room_id.value), now_ms));
    return link;
  });
}

core::Status RoomService::delete_link(core::AccountId caller, core::RoomId room_id) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto deleted = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_TRY(enter_group_as_admin(tx, room_id, caller, "delete an invitation link"));
    KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_link(room_id));
    if (!existing) {
      return core::Error::invalid_argument("This room has no invitation link");
    }
    KAIWA_TRY(cancel_join_requests(tx, room_id, "link_removed", now_ms));
    KAIWA_TRY(tx.delete_link(room_id));
    KAIWA_TRY(record_event(tx, "link_changed", room_id,
                           EventPayload().add("room_id", room_id.value), now_ms));
    return true;
  });
  if (!deleted) {
    return deleted.error();
  }
  return core::ok();
}

std::string RoomService::link_url(const core::RoomLink& link) const {
  return deps_.public_url + "/g/" + link.code;
}

}  // namespace kaiwa::app
