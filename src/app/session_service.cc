#include "app/session_service.h"

#include "app/account_service.h"
#include "core/constant_time.h"
#include "core/limits.h"
#include "core/validation.h"

namespace kaiwa::app {
namespace {

constexpr std::size_t kMaxFailureKeys = 100000;

std::string email_key(std::string_view email) { return "email:" + std::string(email); }

std::string client_key(std::string_view address) { return "client:" + std::string(address); }

}  // namespace

core::Result<SignedIn> SessionService::sign_in(std::string_view email, std::string_view password,
                                               std::string_view client_address) {
  if (email.empty() || password.empty()) {
    return core::Error::invalid_argument("Parameters 'email' and 'password' are required");
  }
  if (password.size() > core::kMaxPasswordChars * 4) {
    return core::Error::unauthenticated("Wrong email or password");
  }
  const std::int64_t now = deps_.clock.now_unix();
  const std::string by_email = email_key(email);
  const std::string by_client = client_key(client_address);
  if (throttled(by_email, kMaxFailures, now) || throttled(by_client, kMaxFailuresPerClient, now)) {
    return core::Error{core::ErrorCode::kRateLimited,
                       "Too many failed sign-ins; try again in a few minutes"};
  }
  KAIWA_ASSIGN_OR_RETURN(
      auto login, deps_.store.read([&](ports::StoreTx& tx) { return tx.find_login(email); }));
  // An unknown email costs the same hash as a known one, so timing does not tell them apart.
  const bool has_password = login && !login->password_hash.empty();
  const bool matches = deps_.crypto.password_matches(
      password, has_password ? std::string_view(login->password_hash) : decoy_hash());
  if (!has_password || !matches) {
    record_failure(by_email, now);
    record_failure(by_client, now);
    return core::Error::unauthenticated("Wrong email or password");
  }
  SignedIn session;
  session.token = deps_.crypto.new_api_token();
  session.token_digest = deps_.crypto.token_digest(session.token);
  session.account = login->account;
  session.expires_at = now + kSessionSeconds;
  KAIWA_TRY(deps_.store.run_write([&](ports::StoreTx& tx) {
    return tx.insert_session(session.account, session.token_digest, now, session.expires_at);
  }));
  return session;
}

core::Status SessionService::sign_out(std::string_view token_digest) {
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.run_write(
      [&](ports::StoreTx& tx) { return revoke_token_in(tx, token_digest, now); });
}

core::Status SessionService::change_password(core::AccountId account,
                                             std::string_view session_digest,
                                             std::string_view current_password,
                                             std::string_view new_password) {
  KAIWA_TRY(core::validate_text("new_password", new_password, core::kMinPasswordChars,
                                core::kMaxPasswordChars));
  // The account's login record, read in one snapshot.
  KAIWA_ASSIGN_OR_RETURN(
      auto login,
      deps_.store.read([&](ports::StoreTx& tx) -> core::Result<std::optional<ports::LoginRecord>> {
        KAIWA_ASSIGN_OR_RETURN(auto found, tx.find_account(account));
        if (!found) {
          return core::Error::not_found("Account not found");
        }
        return tx.find_login(found->login_mail);
      }));
  if (!login || login->password_hash.empty() ||
      !deps_.crypto.password_matches(current_password, login->password_hash)) {
    return core::Error::invalid_argument("Parameter 'current_password' is wrong");
  }
  KAIWA_ASSIGN_OR_RETURN(std::string new_hash, deps_.crypto.hash_password(new_password));
  const std::int64_t now = deps_.clock.now_unix();
  return deps_.store.run_write([&](ports::StoreTx& tx) -> core::Status {
    KAIWA_TRY(tx.set_password_hash(account, new_hash));
    KAIWA_ASSIGN_OR_RETURN(std::vector<std::string> revoked,
                           tx.revoke_sessions(account, session_digest, now));
    for (const std::string& digest : revoked) {
      KAIWA_TRY(record_token_revoked(tx, account, digest, now));
    }
    return core::ok();
  });
}

std::string SessionService::csrf_token(std::string_view session_digest) const {
  return deps_.crypto.sign("csrf:" + std::string(session_digest));
}

bool SessionService::csrf_matches(std::string_view session_digest,
                                  std::string_view presented) const {
  return !presented.empty() && core::constant_time_equal(presented, csrf_token(session_digest));
}

bool SessionService::throttled(const std::string& key, int max_failures, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto found = failures_.find(key);
  if (found == failures_.end()) {
    return false;
  }
  if (now - found->second.window_start >= kFailureWindowSeconds) {
    failures_.erase(found);
    return false;
  }
  return found->second.count >= max_failures;
}

void SessionService::record_failure(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= kMaxFailureKeys) {
    // Bounded memory under a flood of made-up emails: forget windows that have ended.
    std::erase_if(failures_, [now](const auto& entry) {
      return now - entry.second.window_start >= kFailureWindowSeconds;
    });
  }
  Failures& failures = failures_[key];
  if (failures.count == 0 || now - failures.window_start >= kFailureWindowSeconds) {
    failures = Failures{0, now};
  }
  ++failures.count;
}

const std::string& SessionService::decoy_hash() {
  std::lock_guard lock(mutex_);
  if (decoy_hash_.empty()) {
    auto hash = deps_.crypto.hash_password("kaiwa decoy password for unknown emails");
    decoy_hash_ = hash ? std::move(*hash) : std::string("$argon2id$invalid");
  }
  return decoy_hash_;
}

}  // namespace kaiwa::app
