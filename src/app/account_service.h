// Use cases of organizations, accounts and API tokens: administration and authentication.
#pragma once

#include <optional>
#include <string>

#include "app/dependencies.h"
#include "core/account.h"
#include "core/result.h"

namespace kaiwa::app {

struct CreatedAccount {
  core::AccountId account_id;
  core::RoomId my_room_id;
  std::string api_token;
};

// Thread-safe (stateless beyond its dependencies).
class AccountService {
 public:
  explicit AccountService(Dependencies deps) : deps_(std::move(deps)) {}

  core::Result<core::OrganizationId> create_organization(std::string_view name);
  // Creates the account with its My Chat and a first API token (returned once, stored hashed).
  // Errors: kNotFound unknown organization; kInvalidArgument bad name/email/password;
  // kConflict email taken.
  core::Result<CreatedAccount> create_account(core::OrganizationId organization,
                                              std::string_view name, std::string_view email,
                                              std::optional<std::string_view> password);
  core::Result<std::string> create_token(core::AccountId account);
  // Errors: kNotFound when no live token matches.
  core::Status revoke_token(std::string_view token);

  // The account a token belongs to. Errors: kUnauthenticated.
  core::Result<core::AccountId> authenticate(std::string_view token);
  // The same for a token already digested (Crypto::token_digest).
  core::Result<core::AccountId> authenticate_digest(std::string_view token_digest);
  core::Result<core::Account> me(core::AccountId caller);

 private:
  Dependencies deps_;
};

// Authentication inside a transaction the caller already runs. Errors: kUnauthenticated.
core::Result<core::AccountId> authenticate_in(ports::StoreTx& tx, std::string_view token_digest,
                                              std::int64_t now);
// Revokes a live token inside a transaction and records token_revoked, which closes the streams
// it opened. Errors: kNotFound when no live token has that digest.
core::Status revoke_token_in(ports::StoreTx& tx, std::string_view token_digest, std::int64_t now);
// Records token_revoked for a token already revoked in this transaction.
core::Status record_token_revoked(ports::StoreTx& tx, core::AccountId owner,
                                  std::string_view token_digest, std::int64_t now);

}  // namespace kaiwa::app
