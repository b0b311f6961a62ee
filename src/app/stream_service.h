// Use cases of the event stream (issue 3): reading the log for the fan-out hub, catching one
// account up from a resume position, and the short-lived tickets browsers open streams with.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/dependencies.h"
#include "core/event.h"
#include "core/result.h"

namespace kaiwa::app {

// One page of an account's catch-up.
struct CatchUpPage {
  std::vector<core::Event> events;
  // Set when the page reached `through`: the rooms whose events the account sees live from
  // there on, read in the same snapshot as the events.
  bool complete = false;
  std::vector<core::RoomId> rooms;
};

// Who a ticket or token stands for: the account, and the token's digest (so revoking the token
// closes what it opened).
struct StreamCredentials {
  core::AccountId account;
  std::string token_digest;
};

struct StreamTicket {
  std::string ticket;
  std::int64_t expires_in_seconds = 0;
};

// Thread-safe: a mutex guards the only state, the tickets already redeemed.
class StreamService {
 public:
  static constexpr std::int64_t kTicketSeconds = 30;

  explicit StreamService(Dependencies deps) : deps_(std::move(deps)) {}

  // Every event after `after`, oldest first: what the hub fans out.
  core::Result<std::vector<core::Event>> tail(std::int64_t after, std::size_t limit);
  core::Result<ports::EventLogBounds> bounds();
  // The events in (after, through] the account may see, at most limit of them.
  core::Result<CatchUpPage> catch_up(core::AccountId account, std::int64_t after,
                                     std::int64_t through, std::size_t limit);
  // The account's memberships now and those that ended after `after`: with the recent events a
  // hub keeps in memory, enough to catch a stream up without reading the log.
  core::Result<std::vector<core::MembershipSpan>> membership_spans(core::AccountId account,
                                                                   std::int64_t after);
  // Drops events older than retention_ms, a bounded number per call. Returns how many.
  core::Result<std::int64_t> prune(std::int64_t retention_ms, std::size_t max_events);

  // A ticket that opens one stream for the token's account within kTicketSeconds, so a browser
  // never puts a long-lived token in a URL.
  StreamTicket issue_ticket(const StreamCredentials& credentials);
  // Errors: kUnauthenticated when the ticket is forged, expired, already used, or its token was
  // revoked. Single use, so a ticket that leaks from a URL (logs, proxies) opens nothing more.
  // (Remembered by this process: in a cluster, a ticket is single use per node.)
  core::Result<StreamCredentials> redeem_ticket(std::string_view ticket);

 private:
  static constexpr std::size_t kNonceChars = 16;

  std::string ticket_signature(std::int64_t account, std::int64_t expires,
                               std::string_view token_digest, std::string_view nonce) const;

  // Records the ticket's signature as used; false when it was used before.
  bool first_use(const std::string& signature, std::int64_t expires);

  Dependencies deps_;

  std::mutex redeemed_mutex_;
  std::unordered_map<std::string, std::int64_t> redeemed_;  // signature -> expiry; guarded
  std::size_t sweep_at_ = 1024;                             // guarded by redeemed_mutex_
};

}  // namespace kaiwa::app
