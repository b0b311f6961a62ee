#include "app/contact_service.h"

#include "app/event_payload.h"
#include "core/limits.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

// Creates the direct chat of a and b and records them as contacts, in the caller's transaction.
core::Result<core::RoomId> connect(ports::StoreTx& tx, core::AccountId a, core::AccountId b,
                                   std::int64_t now_ms) {
  core::Room direct;
  direct.type = core::RoomType::kDirect;
  direct.icon_preset = "group";
  KAIWA_ASSIGN_OR_RETURN(core::RoomId room, tx.insert_room(direct, now_ms / 1000));
  for (core::AccountId member : {a, b}) {
    KAIWA_TRY(tx.put_membership(core::Membership{room, member, core::Role::kAdmin, 0, 0, false}));
    KAIWA_TRY(record_member_added(tx, room, member, core::Role::kAdmin, now_ms));
  }
  KAIWA_TRY(tx.insert_contact(a, b, room));
  KAIWA_TRY(record_event(tx, "contact_added", room,
                         EventPayload()
                             .add("room_id", room.value)
                             .add("account_id", a.value)
                             .add("contact_id", b.value),
                         now_ms));
  return room;
}

// Seen by the one it was sent to, so their other sessions drop it from the pending list.
core::Status record_request_answered(ports::StoreTx& tx,
                                     const ports::PendingContactRequest& request,
                                     std::string_view answer, std::int64_t now_ms) {
  return record_personal_event(tx, "contact_request_answered", core::RoomId(), request.to,
                               EventPayload()
                                   .add("request_id", request.id.value)
                                   .add("account_id", request.from.value)
                                   .add("answer", answer),
                               now_ms);
}

core::Status require_account(ports::StoreTx& tx, core::AccountId id) {
  KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account(id));
  if (!account) {
    return core::Error::not_found("Account not found").because(core::reason::kAccountNotFound);
  }
  return core::ok();
}

core::Error already_contact() {
  return core::Error::invalid_argument("This account is already a contact")
      .because(core::reason::kContactExists);
}

core::Error to_self() {
  return core::Error::invalid_argument("You cannot send a contact request to yourself")
      .because(core::reason::kContactSelf);
}

// Records the request from caller to target and tells target, in the caller's transaction.
// Errors: kConflict when caller already has a request pending to target.
core::Result<core::RequestId> insert_request(ports::StoreTx& tx, core::AccountId caller,
                                             core::AccountId target, std::string_view message,
                                             std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(core::RequestId request,
                         tx.insert_contact_request(caller, target, message, now));
  KAIWA_TRY(record_personal_event(tx, "contact_request_received", core::RoomId(), target,
                                  EventPayload()
                                      .add("request_id", request.value)
                                      .add("account_id", caller.value)
                                      .add("message", message),
                                  now * 1000));
  return request;
}

}  // namespace

core::Result<std::vector<core::Contact>> ContactService::list_contacts(core::AccountId caller) {
  return deps_.store.read([&](ports::StoreTx& tx) { return tx.list_contacts(caller); });
}

core::Status ContactService::add_contact(core::AccountId a, core::AccountId b) {
  if (a == b) {
    return core::Error::invalid_argument("An account cannot be its own contact");
  }
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto added = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_TRY(require_account(tx, a));
    KAIWA_TRY(require_account(tx, b));
    KAIWA_ASSIGN_OR_RETURN(bool already, tx.are_contacts(a, b));
    if (already) {
      return false;
    }
    KAIWA_TRY(connect(tx, a, b, now_ms));
    return true;
  });
  if (!added) {
    return added.error();
  }
  return core::ok();
}

core::Result<core::RequestId> ContactService::send_request(core::AccountId caller,
                                                           core::AccountId target,
                                                           std::string_view message) {
  KAIWA_TRY(core::validate_text("message", message, 0, core::kMaxMessageChars));
  if (caller == target) {
    return to_self();
  }
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::RequestId> {
    KAIWA_TRY(require_account(tx, target));
    KAIWA_ASSIGN_OR_RETURN(bool already, tx.are_contacts(caller, target));
    if (already) {
      return already_contact();
    }
    auto request = insert_request(tx, caller, target, message, now);
    if (!request && request.error().is(core::ErrorCode::kConflict)) {
      return core::Error::invalid_argument(request.error().message)
          .because(core::reason::kContactRequestPending);
    }
    return request;
  });
}

core::Status ContactService::send_request_to_email(core::AccountId caller, std::string_view email,
                                                   std::string_view message) {
  KAIWA_TRY(core::validate_email(email));
  KAIWA_TRY(core::validate_text("message", message, 0, core::kMaxMessageChars));
  const std::int64_t now = deps_.clock.now_unix();
  // Every outcome that says nothing about the email's owner takes the same path through one
  // write transaction, so neither the answer nor (roughly) its timing tells them apart.
  auto sent = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_ASSIGN_OR_RETURN(auto target, tx.find_account_by_email(email));
    if (!target) {
      return false;
    }
    if (*target == caller) {
      return to_self();  // the caller knows their own email
    }
    KAIWA_ASSIGN_OR_RETURN(bool already, tx.are_contacts(caller, *target));
    if (already) {
      return already_contact();  // the caller knows their contacts
    }
    auto request = insert_request(tx, caller, *target, message, now);
    if (!request && !request.error().is(core::ErrorCode::kConflict)) {
      return request.error();
    }
    return true;  // sent now, or pending from before: the same answer
  });
  if (!sent) {
    return sent.error();
  }
  return core::ok();
}

core::Result<std::vector<core::ContactRequest>> ContactService::incoming_requests(
    core::AccountId caller) {
  return deps_.store.read(
      [&](ports::StoreTx& tx) { return tx.list_incoming_requests(caller, core::kMaxListedItems); });
}

core::Result<core::Contact> ContactService::accept_request(core::AccountId caller,
                                                           core::RequestId request) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<core::Contact> {
    KAIWA_ASSIGN_OR_RETURN(auto pending, tx.find_contact_request(request));
    if (!pending || pending->to != caller) {
      return core::Error::not_found("Contact request not found");
    }
    KAIWA_TRY(tx.delete_contact_request(request));
    KAIWA_TRY(record_request_answered(tx, *pending, "accepted", now_ms));
    // Two people who asked each other: accepting the second request just answers with the
    // contact the first one made.
    KAIWA_ASSIGN_OR_RETURN(auto contacts, tx.list_contacts(caller));
    for (core::Contact& contact : contacts) {
      if (contact.account.id == pending->from) {
        return std::move(contact);
      }
    }
    KAIWA_ASSIGN_OR_RETURN(core::RoomId room, connect(tx, caller, pending->from, now_ms));
    KAIWA_ASSIGN_OR_RETURN(auto requester, tx.find_account(pending->from));
    if (!requester) {
      return core::Error::not_found("Account not found");
    }
    return core::Contact{std::move(*requester), room};
  });
}

core::Status ContactService::reject_request(core::AccountId caller, core::RequestId request) {
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  auto rejected = deps_.store.write([&](ports::StoreTx& tx) -> core::Result<bool> {
    KAIWA_ASSIGN_OR_RETURN(auto pending, tx.find_contact_request(request));
    if (!pending || pending->to != caller) {
      return core::Error::not_found("Contact request not found");
    }
    KAIWA_TRY(tx.delete_contact_request(request));
    KAIWA_TRY(record_request_answered(tx, *pending, "rejected", now_ms));
    return true;
  });
  if (!rejected) {
    return rejected.error();
  }
  return core::ok();
}

}  // namespace kaiwa::app
