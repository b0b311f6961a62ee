#include "api/kaiwa/profile_api.h"

#include "api/chatwork/error_mapping.h"
#include "api/chatwork/handler_support.h"
#include "api/chatwork/json_codec.h"
#include "api/chatwork/request_params.h"
#include "edge/multipart.h"

namespace kaiwa::api::kaiwa {
namespace {

constexpr std::string_view kAvatarPath = "/kaiwa/v1/me/avatar";

edge::HttpResponse me_response(const core::Result<core::Account>& account) {
  if (!account) {
    return chatwork::kaiwa_error_response(account.error());
  }
  chatwork::Json json;
  chatwork::write_me(json.writer(), *account);
  edge::HttpResponse response = chatwork::json_response(json.str());
  response.set_header("Cache-Control", "no-store");
  return response;
}

}  // namespace

bool ProfileApi::accepts_upload(std::string_view method, std::string_view path) {
  return method == "PUT" && path == kAvatarPath;
}

void ProfileApi::add_routes(edge::Router& router) {
  router.add_async("PUT", "/kaiwa/v1/me",
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { update_profile(request, respond); });
  router.add_async("PUT", kAvatarPath,
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { put_avatar(request, respond); });
  router.add_async("DELETE", kAvatarPath,
                   [this](edge::HttpRequest& request, const edge::Responder& respond,
                          const edge::BlockingRunner&) { delete_avatar(request, respond); });
  router.add("GET", "/avatars/{account_id}/{file}",
             [this](edge::HttpRequest& request) { return get_avatar(request); });
}

void ProfileApi::update_profile(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(request, respond,
                  [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
                    auto params = chatwork::RequestParams::from(request);
                    if (!params) {
                      answer(chatwork::kaiwa_error_response(params.error()));
                      return;
                    }
                    auto name = params->optional_text("name");
                    if (!name) {
                      answer(chatwork::kaiwa_error_response(
                          core::Error::invalid_argument("Parameter 'name' is required")));
                      return;
                    }
                    app::ProfileUpdate update;
                    update.name = std::move(*name);
                    update.department = params->optional_text("department");
                    update.title = params->optional_text("title");
                    update.url = params->optional_text("url");
                    update.introduction = params->optional_text("introduction");
                    update.tel_organization = params->optional_text("tel_organization");
                    update.tel_extension = params->optional_text("tel_extension");
                    update.tel_mobile = params->optional_text("tel_mobile");
                    update.skype = params->optional_text("skype");
                    update.facebook = params->optional_text("facebook");
                    update.twitter = params->optional_text("twitter");
                    answer(me_response(profiles_.update_profile(caller, update)));
                  });
}

void ProfileApi::put_avatar(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(request, respond,
                  [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
                    auto parts =
                        edge::parse_multipart(request.header("content-type"), request.body);
                    if (!parts) {
                      answer(chatwork::kaiwa_error_response(parts.error()));
                      return;
                    }
                    for (const edge::MultipartPart& part : *parts) {
                      if (part.name == "file" && part.filename) {
                        answer(me_response(profiles_.set_avatar(caller, part.data)));
                        return;
                      }
                    }
                    answer(chatwork::kaiwa_error_response(
                        core::Error::invalid_argument("Parameter 'file' is required")));
                  });
}

void ProfileApi::delete_avatar(edge::HttpRequest& request, const edge::Responder& respond) {
  chatwork_.guard(request, respond,
                  [&](core::AccountId caller, const std::string&, const edge::Responder& answer) {
                    answer(me_response(profiles_.remove_avatar(caller)));
                  });
}

edge::HttpResponse ProfileApi::get_avatar(edge::HttpRequest& request) {
  auto id = chatwork::path_id(request, "account_id");
  if (!id) {
    return chatwork::kaiwa_error_response(core::Error::not_found("Not found"));
  }
  auto image = profiles_.avatar(core::AccountId(*id), request.path_param("file"));
  if (!image) {
    return chatwork::kaiwa_error_response(image.error());
  }
  edge::HttpResponse response;
  response.content_type = std::move(image->content_type);
  response.body = std::move(image->bytes);
  // The URL names the picture's content (its SHA-256): a new picture gets a new URL.
  response.set_header("Cache-Control", "public, max-age=31536000, immutable");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
  return response;
}

}  // namespace kaiwa::api::kaiwa
