// /rooms/{room_id}/tasks.
#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {

edge::HttpResponse get_room_tasks(HandlerContext& ctx, core::AccountId caller,
                                  edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  ports::TaskFilter filter;
  KAIWA_ASSIGN_OR_RESPOND(filter.status, task_status_param(params));
  KAIWA_ASSIGN_OR_RESPOND(auto assignee, params.optional_id("account_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto assigned_by, params.optional_id("assigned_by_account_id"));
  if (assignee) {
    filter.assignee = core::AccountId(*assignee);
  }
  if (assigned_by) {
    filter.assigned_by = core::AccountId(*assigned_by);
  }
  KAIWA_ASSIGN_OR_RESPOND(
      auto tasks, ctx.services.tasks.list_room_tasks(caller, core::RoomId(room_id), filter));
  return json_list(tasks, write_room_task, ctx.empty_list_no_content);
}

edge::HttpResponse post_room_tasks(HandlerContext& ctx, core::AccountId caller,
                                   edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  app::NewTasks tasks;
  KAIWA_ASSIGN_OR_RESPOND(tasks.body, params.required_text("body"));
  KAIWA_ASSIGN_OR_RESPOND(tasks.assignee_ids, params.account_ids("to_ids"));
  KAIWA_ASSIGN_OR_RESPOND(tasks.limit, params.optional_int("limit"));
  if (auto type = params.optional_text("limit_type")) {
    tasks.limit_type = core::parse_limit_type(*type);
    if (!tasks.limit_type) {
      return error_response(400, "Parameter 'limit_type' must be none, date or time");
    }
  }
  KAIWA_ASSIGN_OR_RESPOND(auto ids,
                          ctx.services.tasks.create_tasks(caller, core::RoomId(room_id), tasks));
  Json json;
  json.writer().StartObject();
  json.writer().Key("task_ids");
  json.writer().StartArray();
  for (core::TaskId id : ids) {
    json.writer().Int64(id.value);
  }
  json.writer().EndArray();
  json.writer().EndObject();
  return json_response(json.str());
}

edge::HttpResponse get_room_task(HandlerContext& ctx, core::AccountId caller,
                                 edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t task_id, path_id(request, "task_id"));
  KAIWA_ASSIGN_OR_RESPOND(
      core::Task task,
      ctx.services.tasks.get_task(caller, core::RoomId(room_id), core::TaskId(task_id)));
  Json json;
  write_room_task(json.writer(), task);
  return json_response(json.str());
}

edge::HttpResponse put_room_task_status(HandlerContext& ctx, core::AccountId caller,
                                        edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t task_id, path_id(request, "task_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(std::string body, params.required_text("body"));
  auto status = core::parse_task_status(body);
  if (!status) {
    return error_response(400, "Parameter 'body' must be open or done");
  }
  KAIWA_RESPOND_IF_ERROR(
      ctx.services.tasks.set_status(caller, core::RoomId(room_id), core::TaskId(task_id), *status));
  return id_response("task_id", task_id);
}

}  // namespace kaiwa::api::chatwork
