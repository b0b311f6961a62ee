#include "api/kaiwa/history_handlers.h"

#include "api/chatwork/error_mapping.h"

namespace kaiwa::api::kaiwa {

// Placeholder until the history use case lands (issue 3, item 6): answers 501 in Chatwork's
// error format rather than pretending to page.
edge::HttpResponse get_room_message_page(chatwork::HandlerContext&, core::AccountId,
                                         edge::HttpRequest&) {
  return chatwork::error_response(501, "Not implemented yet");
}

}  // namespace kaiwa::api::kaiwa
