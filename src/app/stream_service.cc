#include "app/stream_service.h"

#include <algorithm>
#include <charconv>

#include "app/account_service.h"
#include "core/constant_time.h"

namespace kaiwa::app {
namespace {

// Splits "a.b.c.d" into exactly `count` parts.
std::vector<std::string_view> split_dots(std::string_view text, std::size_t count) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < count) {
    std::size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      return {};
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

core::Result<std::vector<core::Event>> StreamService::tail(std::int64_t after, std::size_t limit) {
  return deps_.store.read([&](ports::StoreTx& tx) { return tx.read_events(after, limit); });
}

core::Result<ports::EventLogBounds> StreamService::bounds() {
  return deps_.store.read([](ports::StoreTx& tx) { return tx.event_log_bounds(); });
}

core::Result<CatchUpPage> StreamService::catch_up(core::AccountId account, std::int64_t after,
                                                  std::int64_t through, std::size_t limit) {
  return deps_.store.read([&](ports::StoreTx& tx) -> core::Result<CatchUpPage> {
    CatchUpPage page;
    KAIWA_ASSIGN_OR_RETURN(page.events, tx.read_account_events(account, after, through, limit));
    if (page.events.size() < limit) {
      page.complete = true;
      KAIWA_ASSIGN_OR_RETURN(page.rooms, tx.list_rooms_joined_by(account, through));
    }
    return page;
  });
}

core::Result<std::vector<core::MembershipSpan>> StreamService::membership_spans(
    core::AccountId account, std::int64_t after) {
  return deps_.store.read(
      [&](ports::StoreTx& tx) { return tx.list_membership_spans(account, after); });
}

core::Result<std::int64_t> StreamService::prune(std::int64_t retention_ms, std::size_t max_events) {
  const std::int64_t cutoff = deps_.clock.now_unix_ms() - retention_ms;
  return deps_.store.write([&](ports::StoreTx& tx) { return tx.prune_events(cutoff, max_events); });
}

std::string StreamService::ticket_signature(std::int64_t account, std::int64_t expires,
                                            std::string_view token_digest,
                                            std::string_view nonce) const {
  return deps_.crypto.sign("stream-ticket:" + std::to_string(account) + ":" +
                           std::to_string(expires) + ":" + std::string(token_digest) + ":" +
                           std::string(nonce));
}

StreamTicket StreamService::issue_ticket(const StreamCredentials& credentials) {
  const std::int64_t expires = deps_.clock.now_unix() + kTicketSeconds;
  // The nonce makes every ticket distinct, so two asked for in the same second are both usable
  // once. The token's digest is not a credential (the store keeps digests so that it never holds
  // one), so it may travel in the ticket to tie the stream to the token's lifetime.
  const std::string nonce = deps_.crypto.random_code(kNonceChars);
  std::string ticket =
      std::to_string(credentials.account.value) + "." + std::to_string(expires) + "." +
      credentials.token_digest + "." + nonce + "." +
      ticket_signature(credentials.account.value, expires, credentials.token_digest, nonce);
  return StreamTicket{std::move(ticket), kTicketSeconds};
}

core::Result<StreamCredentials> StreamService::redeem_ticket(std::string_view ticket) {
  const auto invalid = core::Error::unauthenticated("Invalid or expired stream ticket");
  auto parts = split_dots(ticket, 5);
  if (parts.empty()) {
    return invalid;
  }
  auto account = parse_int(parts[0]);
  auto expires = parse_int(parts[1]);
  if (!account || !expires || *expires < deps_.clock.now_unix() ||
      !core::constant_time_equal(parts[4],
                                 ticket_signature(*account, *expires, parts[2], parts[3]))) {
    return invalid;
  }
  std::string digest(parts[2]);
  const std::int64_t now = deps_.clock.now_unix();
  auto owner =
      deps_.store.read([&](ports::StoreTx& tx) { return authenticate_in(tx, digest, now); });
  if (!owner || owner->value != *account || !first_use(std::string(parts[4]), *expires)) {
    return invalid;
  }
  return StreamCredentials{*owner, std::move(digest)};
}

bool StreamService::first_use(const std::string& signature, std::int64_t expires) {
  const std::int64_t now = deps_.clock.now_unix();
  std::lock_guard lock(redeemed_mutex_);
  if (redeemed_.size() >= sweep_at_) {
    // Expired tickets fail on their expiry anyway: forget them, and sweep again only once the
    // set has doubled, so the cost per redemption stays constant.
    std::erase_if(redeemed_, [now](const auto& entry) { return entry.second < now; });
    sweep_at_ = std::max<std::size_t>(1024, redeemed_.size() * 2);
  }
  return redeemed_.emplace(signature, expires).second;
}

}  // namespace kaiwa::app
