// GET /kaiwa/v1/rooms/{room_id}/messages: pages a room's history from a message id.
#pragma once

#include "api/chatwork/handler_support.h"

namespace kaiwa::api::kaiwa {

edge::HttpResponse get_room_message_page(chatwork::HandlerContext& ctx, core::AccountId caller,
                                         edge::HttpRequest& request);

}  // namespace kaiwa::api::kaiwa
