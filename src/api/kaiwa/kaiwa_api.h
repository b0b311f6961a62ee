// Kaiwa's own API (docs/api/kaiwa-openapi.yaml) beside /v2: history paging and the event stream.
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Adds the /kaiwa/v1 routes; they share /v2's authentication and rate limit.
void add_history_routes(chatwork::ChatworkApi& chatwork, edge::Router& router);

}  // namespace kaiwa::api::kaiwa
