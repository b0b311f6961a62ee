// The /v2 surface: authentication, the rate limit and the route table in front of the handlers.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "api/chatwork/handler_support.h"
#include "edge/rate_limiter.h"
#include "edge/router.h"
#include "ports/crypto.h"

namespace kaiwa::api::chatwork {

struct ChatworkApiOptions {
  std::string public_url;
  int rate_limit = 300;
  std::chrono::seconds rate_window{300};
  bool empty_list_no_content = true;
};

// Thread-safe once routes are added: handlers share only internally locked state (the rate
// limiter and the set of known tokens). Must outlive the store's pending writes, whose
// completions call back into it.
class ChatworkApi {
 public:
  ChatworkApi(ChatworkServices services, ports::Crypto& crypto, ports::Clock& clock,
              const ChatworkApiOptions& options);

  void add_routes(edge::Router& router);

  // The answer for a /v2 path or method that does not exist: authenticated and counted like
  // any other request, so even errors carry the rate-limit headers.
  void unmatched(edge::HttpRequest& request, const edge::Responder& respond, int status,
                 std::string_view message);

  // POST /v2/rooms/{room_id}/messages on the connection's strand: the token is checked inside
  // the write transaction, so a post costs no read and no worker thread of its own. Requests
  // it cannot parse take the ordinary path, so errors keep their usual precedence (401 first).
  void post_message_inline(edge::HttpRequest& request, const edge::Responder& respond,
                           const edge::BlockingRunner& run_blocking);

  // A handler behind the same authentication and rate limit as /v2 (for Kaiwa's own API).
  edge::AsyncHandler authenticated(AuthedHandler handler);

  // Authenticates and counts the request (blocking: reads the store), then lets
  // handle(caller, token_digest, answer) answer it; the answer carries the rate-limit headers.
  using GuardedHandle =
      std::function<void(core::AccountId, const std::string&, const edge::Responder&)>;
  void guard(edge::HttpRequest& request, const edge::Responder& respond,
             const GuardedHandle& handle);

  const HandlerContext& context() const { return context_; }

 private:
  void remember_token(const std::string& digest);
  void forget_token(const std::string& digest);
  bool is_known_token(const std::string& digest) const;

  static constexpr std::size_t kMaxTokenBytes = 256;
  static constexpr std::size_t kMaxKnownTokens = 100000;

  HandlerContext context_;
  ports::Crypto& crypto_;
  ports::Clock& clock_;
  edge::RateLimiter rate_limiter_;
  edge::AsyncHandler post_message_blocking_;
  // The Origin a browser sends from Kaiwa's own pages (from the public URL).
  std::string own_origin_;

  // Digests of tokens that authenticated: only those take the fast path.
  mutable std::mutex known_tokens_mutex_;
  std::unordered_set<std::string> known_tokens_;  // guarded by known_tokens_mutex_
};

// The token of a request: X-ChatWorkToken, or an Authorization Bearer token.
std::string_view request_token(const edge::HttpRequest& request);

// The browser session cookie's name, and its value in a request ("" when absent).
inline constexpr std::string_view kSessionCookie = "kaiwa_session";
std::string_view session_cookie(const edge::HttpRequest& request);
std::string origin_of(std::string_view url);

}  // namespace kaiwa::api::chatwork
