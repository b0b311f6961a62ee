// /me, /my/status, /my/tasks.
#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {

edge::HttpResponse get_me(HandlerContext& ctx, core::AccountId caller, edge::HttpRequest&) {
  KAIWA_ASSIGN_OR_RESPOND(core::Account me, ctx.services.accounts.me(caller));
  Json json;
  write_me(json.writer(), me);
  return json_response(json.str());
}

edge::HttpResponse get_my_status(HandlerContext& ctx, core::AccountId caller, edge::HttpRequest&) {
  KAIWA_ASSIGN_OR_RESPOND(ports::MyStatus status, ctx.services.rooms.my_status(caller));
  Json json;
  write_status(json.writer(), status);
  return json_response(json.str());
}

edge::HttpResponse get_my_tasks(HandlerContext& ctx, core::AccountId caller,
                                edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  ports::TaskFilter filter;
  KAIWA_ASSIGN_OR_RESPOND(filter.status, task_status_param(params));
  KAIWA_ASSIGN_OR_RESPOND(auto assigned_by, params.optional_id("assigned_by_account_id"));
  if (assigned_by) {
    filter.assigned_by = core::AccountId(*assigned_by);
  }
  KAIWA_ASSIGN_OR_RESPOND(auto tasks, ctx.services.tasks.list_my_tasks(caller, filter));
  return json_list(
      tasks, [&](JsonWriter& w, const core::Task& task) { write_my_task(w, ctx.codec, task); },
      ctx.empty_list_no_content);
}

}  // namespace kaiwa::api::chatwork
