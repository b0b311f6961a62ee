// Makes the server do, once per account, the work a client's first requests cost (token lookup,
// rate-limit window, the store's page cache for the account and its rooms), so that the idle run's
// RSS delta counts what each WebSocket connection costs rather than caches filled by a cold start.
#pragma once

#include <cstddef>

#include "fanout/setup.h"
#include "fanout/subscriber_loop.h"

namespace fanout {

// GET /v2/me and /v2/rooms with every subscriber's token over `connections` keep-alive connections
// (few, so the request handling itself leaves little freed memory behind for the connections to
// reuse). Throws std::runtime_error when the server does not answer 200.
void warm_up_accounts(const Endpoint& endpoint, const Layout& layout, std::size_t connections);

}  // namespace fanout
