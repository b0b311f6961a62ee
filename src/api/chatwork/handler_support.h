// What every /v2 handler shares: the services it calls, the codec settings, response builders.
#pragma once

#include <string>
#include <vector>

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"
#include "app/account_service.h"
#include "app/contact_service.h"
#include "app/file_service.h"
#include "app/message_service.h"
#include "app/room_service.h"
#include "app/session_service.h"
#include "app/task_service.h"
#include "edge/http_types.h"
#include "edge/router.h"

namespace kaiwa::api::chatwork {

struct ChatworkServices {
  app::AccountService& accounts;
  app::ContactService& contacts;
  app::RoomService& rooms;
  app::MessageService& messages;
  app::TaskService& tasks;
  app::FileService& files;
  // Browser sessions: the guard accepts their cookie and checks their CSRF token.
  app::SessionService& sessions;
};

// Shared, read-only after start: safe from any thread.
struct HandlerContext {
  ChatworkServices services;
  CodecContext codec;
  // Chatwork reportedly answers 204 for empty lists other than the message diff (api notes §9.2);
  // one switch, so a deployment serving strict JSON clients can turn it off.
  bool empty_list_no_content = true;
};

using AuthedHandler = edge::HttpResponse (*)(HandlerContext& ctx, core::AccountId caller,
                                             edge::HttpRequest& request);

edge::HttpResponse json_response(std::string body, int status = 200);
// {"<key>": <id>} bodies that most writes answer with.
edge::HttpResponse id_response(std::string_view key, std::int64_t id);
edge::HttpResponse message_id_response(core::MessageId id);
// The status filter of task lists: open (default) or done.
core::Result<core::TaskStatus> task_status_param(const RequestParams& params);
edge::HttpResponse no_content();

// A JSON array of items, or 204 when empty and the context says so.
template <typename T, typename WriteItem>
edge::HttpResponse json_list(const std::vector<T>& items, WriteItem write_item,
                             bool empty_is_no_content) {
  if (items.empty() && empty_is_no_content) {
    return no_content();
  }
  Json json;
  json.writer().StartArray();
  for (const T& item : items) {
    write_item(json.writer(), item);
  }
  json.writer().EndArray();
  return json_response(json.str());
}

}  // namespace kaiwa::api::chatwork

// In a handler: assigns lhs from a Result, or returns the Chatwork error response.
#define KAIWA_ASSIGN_OR_RESPOND(lhs, expr) \
  KAIWA_ASSIGN_OR_RESPOND_IMPL(KAIWA_CONCAT(kaiwa_response_, __LINE__), lhs, expr)
// lhs may be a declaration (`auto x`) and tmp is a declared name, so neither can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define KAIWA_ASSIGN_OR_RESPOND_IMPL(tmp, lhs, expr)            \
  auto tmp = (expr);                                            \
  if (!tmp.has_value()) {                                       \
    return ::kaiwa::api::chatwork::error_response(tmp.error()); \
  }                                                             \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

#define KAIWA_RESPOND_IF_ERROR(expr)                                        \
  do {                                                                      \
    auto kaiwa_status_ = (expr);                                            \
    if (!kaiwa_status_.has_value()) {                                       \
      return ::kaiwa::api::chatwork::error_response(kaiwa_status_.error()); \
    }                                                                       \
  } while (false)
