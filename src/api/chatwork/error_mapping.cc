#include "api/chatwork/error_mapping.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace kaiwa::api::chatwork {

int http_status(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument:
      return 400;
    case core::ErrorCode::kUnauthenticated:
      return 401;
    case core::ErrorCode::kPermissionDenied:
      return 403;
    case core::ErrorCode::kNotFound:
      return 404;
    case core::ErrorCode::kConflict:
      return 409;
    case core::ErrorCode::kPayloadTooLarge:
      return 413;
    case core::ErrorCode::kRateLimited:
      return 429;
    case core::ErrorCode::kUnavailable:
      return 503;
    case core::ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

edge::HttpResponse error_response(int status, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("errors");
  writer.StartArray();
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndArray();
  writer.EndObject();
  edge::HttpResponse response;
  response.status = status;
  response.body = buffer.GetString();
  if (status == 401) {
    response.set_header("WWW-Authenticate", R"(Bearer error="invalid_token", error_description=")" +
                                                std::string(message) + "\"");
  }
  return response;
}

namespace {

// Internal details stay in the log, never in a client's response.
std::string_view client_message(const core::Error& error, int status) {
  if (status >= 500) {
    return status == 503 ? "Service temporarily unavailable" : "Internal server error";
  }
  return error.message;
}

}  // namespace

std::string_view error_code_name(const core::Error& error) {
  if (!error.reason.empty()) {
    return error.reason;
  }
  switch (error.code) {
    case core::ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case core::ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case core::ErrorCode::kPermissionDenied:
      return "permission_denied";
    case core::ErrorCode::kNotFound:
      return "not_found";
    case core::ErrorCode::kConflict:
      return "conflict";
    case core::ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case core::ErrorCode::kRateLimited:
      return "rate_limited";
    case core::ErrorCode::kUnavailable:
      return "unavailable";
    case core::ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

edge::HttpResponse error_response(const core::Error& error) {
  const int status = http_status(error.code);
  edge::HttpResponse response = error_response(status, client_message(error, status));
  // Chatwork's body stays exactly as it is; the reason rides beside it.
  if (!error.reason.empty()) {
    response.set_header(std::string(kErrorCodeHeader), std::string(error.reason));
  }
  return response;
}

edge::HttpResponse kaiwa_error_response(const core::Error& error) {
  const int status = http_status(error.code);
  const std::string_view message = client_message(error, status);
  const std::string_view code = error_code_name(error);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("errors");
  writer.StartArray();
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndArray();
  writer.Key("code");
  writer.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  writer.EndObject();
  edge::HttpResponse response = error_response(status, message);
  response.body = buffer.GetString();
  response.set_header(std::string(kErrorCodeHeader), std::string(code));
  return response;
}

}  // namespace kaiwa::api::chatwork
