#include "api/kaiwa/history_handlers.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/chatwork/error_mapping.h"

namespace kaiwa::api::kaiwa {
namespace {

// An anchor is a position, so 0 (before every message) is as good as any id; absent or empty
// means no anchor.
core::Result<std::optional<core::MessageId>> anchor_param(const chatwork::RequestParams& params,
                                                          std::string_view name) {
  KAIWA_ASSIGN_OR_RETURN(std::optional<std::int64_t> id, params.optional_int(name));
  if (!id) {
    return std::optional<core::MessageId>();
  }
  if (*id < 0) {
    return core::Error::invalid_argument("Parameter '" + std::string(name) +
                                         "' must be a message id");
  }
  return std::optional<core::MessageId>(core::MessageId(*id));
}

core::Result<std::string> message_page_json(chatwork::HandlerContext& ctx, core::AccountId caller,
                                            edge::HttpRequest& request) {
  constexpr std::int64_t kDefaultLimit = 50;
  KAIWA_ASSIGN_OR_RETURN(std::int64_t room_id, chatwork::path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RETURN(chatwork::RequestParams params, chatwork::RequestParams::from(request));
  ports::MessagePageRequest page_request;
  KAIWA_ASSIGN_OR_RETURN(page_request.before, anchor_param(params, "before"));
  KAIWA_ASSIGN_OR_RETURN(page_request.after, anchor_param(params, "after"));
  KAIWA_ASSIGN_OR_RETURN(std::optional<std::int64_t> limit, params.optional_int("limit"));
  // The use case rejects a limit outside 1..100; a negative one reaches it as 0.
  page_request.limit =
      static_cast<std::size_t>(std::max<std::int64_t>(limit.value_or(kDefaultLimit), 0));
  KAIWA_ASSIGN_OR_RETURN(ports::MessagePage page, ctx.services.messages.page_messages(
                                                      caller, core::RoomId(room_id), page_request));
  chatwork::Json json;
  chatwork::JsonWriter& w = json.writer();
  w.StartObject();
  w.Key("messages");
  w.StartArray();
  for (const core::Message& message : page.messages) {
    chatwork::write_message(w, message);
  }
  w.EndArray();
  chatwork::write_bool(w, "has_more_before", page.has_more_before);
  chatwork::write_bool(w, "has_more_after", page.has_more_after);
  w.EndObject();
  return json.str();
}

}  // namespace

edge::HttpResponse get_room_message_page(chatwork::HandlerContext& ctx, core::AccountId caller,
                                         edge::HttpRequest& request) {
  auto page = message_page_json(ctx, caller, request);
  if (!page) {
    return chatwork::kaiwa_error_response(page.error());
  }
  return chatwork::json_response(std::move(*page));
}

}  // namespace kaiwa::api::kaiwa
