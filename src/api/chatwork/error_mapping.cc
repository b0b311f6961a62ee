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

edge::HttpResponse error_response(const core::Error& error) {
  const int status = http_status(error.code);
  // Internal details stay in the log, never in a client's response.
  if (status >= 500) {
    return error_response(
        status, status == 503 ? "Service temporarily unavailable" : "Internal server error");
  }
  return error_response(status, error.message);
}

}  // namespace kaiwa::api::chatwork
