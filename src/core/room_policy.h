// Who may do what in a room (design.md §4, api notes §4 "room gate"). Every use case asks here
// instead of comparing roles itself, so the rules live in one place.
#pragma once

#include <optional>

#include "core/ids.h"
#include "core/result.h"
#include "core/room.h"

namespace kaiwa::core {

// The room gate: a room the caller is not a member of does not exist for them.
Status require_member(const std::optional<Membership>& membership);

// Posting messages, adding tasks and uploading files: admins and members, never readonly.
Status require_can_write(const Membership& membership);

// Changing the room, its members and its invitation link: admins only.
Status require_admin(const Membership& membership);

// My and direct chats have fixed membership and no settings; Chatwork answers 400 for them.
Status require_group(const Room& room, std::string_view action);

// Only the author edits or deletes a message.
Status require_author(AccountId author, AccountId caller);

}  // namespace kaiwa::core
