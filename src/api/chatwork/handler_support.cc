#include "api/chatwork/handler_support.h"

namespace kaiwa::api::chatwork {

edge::HttpResponse json_response(std::string body, int status) {
  edge::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

edge::HttpResponse id_response(std::string_view key, std::int64_t id) {
  Json json;
  json.writer().StartObject();
  write_int(json.writer(), key, id);
  json.writer().EndObject();
  return json_response(json.str());
}

edge::HttpResponse message_id_response(core::MessageId id) {
  Json json;
  json.writer().StartObject();
  write_string(json.writer(), "message_id", message_id_text(id));
  json.writer().EndObject();
  return json_response(json.str());
}

edge::HttpResponse no_content() {
  edge::HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

// Status filter shared by /my/tasks and /rooms/{id}/tasks: open (default) or done.
core::Result<core::TaskStatus> task_status_param(const RequestParams& params) {
  auto text = params.optional_text("status");
  if (!text) {
    return core::TaskStatus::kOpen;
  }
  auto status = core::parse_task_status(*text);
  if (!status) {
    return core::Error::invalid_argument("Parameter 'status' must be open or done");
  }
  return *status;
}

}  // namespace kaiwa::api::chatwork
