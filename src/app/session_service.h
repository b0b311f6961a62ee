// Browser sign-in (issue 5): email and password (Argon2id hashes), sessions that expire, a CSRF
// token bound to each session, sign-out, password change, and throttled failed attempts.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/dependencies.h"
#include "core/result.h"

namespace kaiwa::app {

struct SignedIn {
  // Goes to the browser (in an HttpOnly cookie) and nowhere else; the store keeps its digest.
  std::string token;
  std::string token_digest;
  core::AccountId account;
  std::int64_t expires_at = 0;
};

// Thread-safe: a mutex guards the failed-attempt counters, the only state.
class SessionService {
 public:
  static constexpr std::int64_t kSessionSeconds = std::int64_t{30} * 24 * 3600;
  // Failed sign-ins allowed per email, and per client address (higher: a whole office may sign
  // in through one address), in a window; then kRateLimited until the window ends. Slows
  // password guessing without locking anyone out for good.
  static constexpr int kMaxFailures = 10;
  static constexpr int kMaxFailuresPerClient = 100;
  static constexpr std::int64_t kFailureWindowSeconds = std::int64_t{15} * 60;

  explicit SessionService(Dependencies deps) : deps_(std::move(deps)) {}

  // Errors: kInvalidArgument (missing email or password), kUnauthenticated (wrong email or
  // password: the same answer, after the same work, for both), kRateLimited.
  core::Result<SignedIn> sign_in(std::string_view email, std::string_view password,
                                 std::string_view client_address);
  // Revokes the session (its streams close). Errors: kNotFound when it is not live.
  core::Status sign_out(std::string_view token_digest);
  // Errors: kInvalidArgument (current password wrong; new one too short or long). Signs out
  // every other session of the account.
  core::Status change_password(core::AccountId account, std::string_view session_digest,
                               std::string_view current_password, std::string_view new_password);

  // The token a page must echo (X-CSRF-Token) on state-changing calls made with the session's
  // cookie: derived from the session, so nothing more is stored, and unknowable cross-site.
  std::string csrf_token(std::string_view session_digest) const;
  bool csrf_matches(std::string_view session_digest, std::string_view presented) const;

 private:
  struct Failures {
    int count = 0;
    std::int64_t window_start = 0;
  };

  bool throttled(const std::string& key, int max_failures, std::int64_t now);
  void record_failure(const std::string& key, std::int64_t now);
  const std::string& decoy_hash();

  Dependencies deps_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;  // guarded by mutex_
  std::string decoy_hash_;                              // guarded by mutex_
};

}  // namespace kaiwa::app
