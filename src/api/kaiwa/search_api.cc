#include "api/kaiwa/search_api.h"

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/handler_support.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"

namespace kaiwa::api::kaiwa {
namespace {

core::Result<std::optional<std::int64_t>> time_param(const chatwork::RequestParams& params,
                                                     std::string_view name) {
  KAIWA_ASSIGN_OR_RETURN(std::optional<std::int64_t> seconds, params.optional_int(name));
  if (seconds && *seconds < 0) {
    return core::Error::invalid_argument("Parameter '" + std::string(name) +
                                         "' must be a unix time in seconds");
  }
  return seconds;
}

core::Result<ports::SearchOrder> order_param(const chatwork::RequestParams& params) {
  const std::string sort = params.optional_text("sort").value_or("newest");
  if (sort == "newest" || sort.empty()) {
    return ports::SearchOrder::kNewest;
  }
  if (sort == "relevance") {
    return ports::SearchOrder::kRelevance;
  }
  return core::Error::invalid_argument("Parameter 'sort' must be newest or relevance");
}

core::Result<app::SearchParams> search_params(const edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RETURN(chatwork::RequestParams params, chatwork::RequestParams::from(request));
  app::SearchParams search;
  search.query = params.optional_text("q").value_or("");  // empty: search_no_word
  KAIWA_ASSIGN_OR_RETURN(search.rooms, params.room_ids("room_id"));
  KAIWA_ASSIGN_OR_RETURN(search.senders, params.account_ids("account_id"));
  KAIWA_ASSIGN_OR_RETURN(search.time_from, time_param(params, "time_from"));
  KAIWA_ASSIGN_OR_RETURN(search.time_to, time_param(params, "time_to"));
  KAIWA_ASSIGN_OR_RETURN(search.order, order_param(params));
  KAIWA_ASSIGN_OR_RETURN(search.offset, chatwork::count_param(params, "offset", 0));
  KAIWA_ASSIGN_OR_RETURN(search.limit, chatwork::count_param(params, "limit", 20));
  return search;
}

void write_hit(chatwork::JsonWriter& w, const app::FoundMessage& found) {
  const ports::SearchHit& hit = found.hit;
  w.StartObject();
  chatwork::write_int(w, "room_id", hit.room.value);
  chatwork::write_string(w, "message_id", chatwork::message_id_text(hit.id));
  chatwork::write_account_mini(w, "account", found.sender);
  chatwork::write_int(w, "send_time", hit.send_time);
  chatwork::write_int(w, "update_time", hit.update_time);
  chatwork::write_int(w, "score", hit.score);
  w.Key("snippet");
  w.StartArray();
  for (const ports::SnippetFragment& fragment : hit.snippet) {
    w.StartObject();
    chatwork::write_string(w, "text", fragment.text);
    chatwork::write_bool(w, "match", fragment.match);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string answer_json(const app::SearchAnswer& answer) {
  chatwork::Json json;
  chatwork::JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_int(w, "total", answer.total);
  chatwork::write_bool(w, "has_more", answer.has_more);
  w.Key("hits");
  w.StartArray();
  for (const app::FoundMessage& found : answer.hits) {
    write_hit(w, found);
  }
  w.EndArray();
  w.EndObject();
  return json.str();
}

}  // namespace

void SearchApi::add_routes(edge::Router& router) {
  router.add_async("GET", "/kaiwa/v1/search",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { search_messages(request, respond); });
}

void SearchApi::search_messages(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(request, respond,
                  [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
                    auto params = search_params(request);
                    if (!params) {
                      answer(chatwork::kaiwa_error_response(params.error()));
                      return;
                    }
                    auto found = search_.search(caller, *params);
                    if (!found) {
                      answer(chatwork::kaiwa_error_response(found.error()));
                      return;
                    }
                    answer(chatwork::json_response(answer_json(*found)));
                  });
}

}  // namespace kaiwa::api::kaiwa
