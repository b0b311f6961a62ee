#include "api/kaiwa/people_api.h"

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/handler_support.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"

namespace kaiwa::api::kaiwa {
namespace {

core::Result<app::ColleagueQuery> colleague_query(const edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RETURN(chatwork::RequestParams params, chatwork::RequestParams::from(request));
  app::ColleagueQuery query;
  query.query = params.optional_text("q").value_or("");
  KAIWA_ASSIGN_OR_RETURN(query.offset, chatwork::count_param(params, "offset", 0));
  KAIWA_ASSIGN_OR_RETURN(query.limit, chatwork::count_param(params, "limit", query.limit));
  return query;
}

std::string colleagues_json(const app::ColleaguePage& page) {
  chatwork::Json json;
  chatwork::JsonWriter& w = json.writer();
  w.StartObject();
  chatwork::write_bool(w, "has_more", page.has_more);
  w.Key("colleagues");
  w.StartArray();
  for (const core::Account& account : page.colleagues) {
    chatwork::write_person(w, account);
  }
  w.EndArray();
  w.EndObject();
  return json.str();
}

}  // namespace

void PeopleApi::add_routes(edge::Router& router) {
  auto route = [this](auto method) {
    return [this, method](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) {
      chatwork_.guard(
          request, respond,
          [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
            answer((this->*method)(caller, request));
          });
    };
  };
  router.add_async("POST", "/kaiwa/v1/contact_requests", route(&PeopleApi::post_contact_request));
  router.add_async("GET", "/kaiwa/v1/colleagues", route(&PeopleApi::get_colleagues));
}

edge::HttpResponse PeopleApi::post_contact_request(core::AccountId caller,
                                                   edge::HttpRequest& request) {
  auto params = chatwork::RequestParams::from(request);
  if (!params) {
    return chatwork::kaiwa_error_response(params.error());
  }
  const std::string message = params->optional_text("message").value_or("");
  auto email = params->optional_text("email");
  if (email && params->contains("account_id")) {
    return chatwork::kaiwa_error_response(
        core::Error::invalid_argument("Give either 'account_id' or 'email', not both"));
  }
  if (email) {
    // The same answer whether or not the email has an account (ContactService).
    if (auto sent = contacts_.send_request_to_email(caller, *email, message); !sent) {
      return chatwork::kaiwa_error_response(sent.error());
    }
    return chatwork::json_response(R"({"status":"sent"})");
  }
  auto target = params->optional_id("account_id");
  if (!target) {
    return chatwork::kaiwa_error_response(target.error());
  }
  if (!*target) {
    return chatwork::kaiwa_error_response(
        core::Error::invalid_argument("Parameter 'account_id' or 'email' is required"));
  }
  auto sent = contacts_.send_request(caller, core::AccountId(**target), message);
  if (!sent) {
    return chatwork::kaiwa_error_response(sent.error());
  }
  chatwork::Json json;
  json.writer().StartObject();
  chatwork::write_string(json.writer(), "status", "sent");
  chatwork::write_int(json.writer(), "request_id", sent->value);
  json.writer().EndObject();
  return chatwork::json_response(json.str());
}

edge::HttpResponse PeopleApi::get_colleagues(core::AccountId caller, edge::HttpRequest& request) {
  auto query = colleague_query(request);
  if (!query) {
    return chatwork::kaiwa_error_response(query.error());
  }
  auto page = colleagues_.list_colleagues(caller, *query);
  if (!page) {
    return chatwork::kaiwa_error_response(page.error());
  }
  return chatwork::json_response(colleagues_json(*page));
}

}  // namespace kaiwa::api::kaiwa
