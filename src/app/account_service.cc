#include "app/account_service.h"

#include "app/event_payload.h"
#include "core/limits.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

constexpr std::string_view kMyChatName = "マイチャット";

}  // namespace

core::Result<core::OrganizationId> AccountService::create_organization(std::string_view name) {
  KAIWA_TRY(core::validate_text("name", name, 1, core::kMaxRoomNameChars));
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.write([&](ports::StoreTx& tx) { return tx.insert_organization(name, now); });
}

core::Result<CreatedAccount> AccountService::create_account(
    core::OrganizationId organization, std::string_view name, std::string_view email,
    std::optional<std::string_view> password) {
  KAIWA_TRY(core::validate_text("name", name, 1, core::kMaxRoomNameChars));
  KAIWA_TRY(core::validate_email(email));
  std::string password_hash;
  if (password) {
    KAIWA_TRY(core::validate_text("password", *password, core::kMinPasswordChars,
                                  core::kMaxPasswordChars));
    KAIWA_ASSIGN_OR_RETURN(password_hash, deps_.crypto.hash_password(*password));
  }
  std::string token = deps_.crypto.new_api_token();
  std::string digest = deps_.crypto.token_digest(token);
  const std::int64_t now_ms = deps_.clock.now_unix_ms();
  const std::int64_t now = now_ms / 1000;
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<CreatedAccount> {
    KAIWA_ASSIGN_OR_RETURN(bool org_exists, tx.organization_exists(organization));
    if (!org_exists) {
      return core::Error::not_found("Organization not found");
    }
    ports::NewAccount row{organization, std::string(name), std::string(email), password_hash, now};
    KAIWA_ASSIGN_OR_RETURN(core::AccountId account, tx.insert_account(row));
    core::Room my_chat;
    my_chat.type = core::RoomType::kMy;
    my_chat.name = kMyChatName;
    my_chat.icon_preset = "group";
    KAIWA_ASSIGN_OR_RETURN(core::RoomId room, tx.insert_room(my_chat, now));
    KAIWA_TRY(tx.put_membership(core::Membership{room, account, core::Role::kAdmin, 0, 0, false}));
    KAIWA_TRY(record_member_added(tx, room, account, core::Role::kAdmin, now_ms));
    KAIWA_TRY(tx.set_my_room(account, room));
    KAIWA_TRY(tx.insert_token(account, digest, now));
    KAIWA_TRY(record_event(
        tx, "room_created", room,
        EventPayload().add("room_id", room.value).add("account_id", account.value), now_ms));
    return CreatedAccount{account, room, token};
  });
}

core::Result<std::string> AccountService::create_token(core::AccountId account) {
  std::string token = deps_.crypto.new_api_token();
  std::string digest = deps_.crypto.token_digest(token);
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.write([&](ports::StoreTx& tx) -> core::Result<std::string> {
    KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_account(account));
    if (!found) {
      return core::Error::not_found("Account not found");
    }
    KAIWA_TRY(tx.insert_token(account, digest, now));
    return token;
  });
}

core::Status AccountService::revoke_token(std::string_view token) {
  std::string digest = deps_.crypto.token_digest(token);
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.run_write(
      [&](ports::StoreTx& tx) { return revoke_token_in(tx, digest, now); });
}

core::Status revoke_token_in(ports::StoreTx& tx, std::string_view token_digest, std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(auto owner, tx.find_account_by_token(token_digest, now));
  KAIWA_ASSIGN_OR_RETURN(bool found, tx.revoke_token(token_digest, now));
  if (!found || !owner) {
    return core::Error::not_found("Token not found");
  }
  return record_token_revoked(tx, *owner, token_digest, now);
}

core::Status record_token_revoked(ports::StoreTx& tx, core::AccountId owner,
                                  std::string_view token_digest, std::int64_t now) {
  // Tells every server to close the streams this token opened (issue 3: within seconds).
  return record_personal_event(tx, "token_revoked", core::RoomId(), owner,
                               EventPayload().add("token_digest", token_digest), now * 1000);
}

core::Result<core::AccountId> authenticate_in(ports::StoreTx& tx, std::string_view token_digest,
                                              std::int64_t now) {
  KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account_by_token(token_digest, now));
  if (!account) {
    return core::Error::unauthenticated("Invalid API token");
  }
  return *account;
}

core::Result<core::AccountId> AccountService::authenticate(std::string_view token) {
  if (token.empty() || token.size() > 256) {
    return core::Error::unauthenticated("Invalid API token");
  }
  return authenticate_digest(deps_.crypto.token_digest(token));
}

core::Result<core::AccountId> AccountService::authenticate_digest(std::string_view token_digest) {
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.read(
      [&](ports::StoreTx& tx) { return authenticate_in(tx, token_digest, now); });
}

core::Result<core::Account> AccountService::me(core::AccountId caller) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<core::Account> {
    KAIWA_ASSIGN_OR_RETURN(auto account, tx.find_account(caller));
    if (!account) {
      return core::Error::not_found("Account not found");
    }
    return std::move(*account);
  });
}

}  // namespace kaiwa::app
