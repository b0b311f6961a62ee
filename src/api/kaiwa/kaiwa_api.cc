#include "api/kaiwa/kaiwa_api.h"

#include "api/kaiwa/history_handlers.h"

namespace kaiwa::api::kaiwa {

void add_history_routes(chatwork::ChatworkApi& chatwork, edge::Router& router) {
  router.add_async("GET", "/kaiwa/v1/rooms/{room_id}/messages",
                   chatwork.authenticated(get_room_message_page));
}

}  // namespace kaiwa::api::kaiwa
