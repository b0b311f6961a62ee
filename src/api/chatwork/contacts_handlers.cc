// /contacts and /incoming_requests (sending a request is Kaiwa's: api/kaiwa/people_api.cc).
#include "api/chatwork/handlers.h"

namespace kaiwa::api::chatwork {

edge::HttpResponse get_contacts(HandlerContext& ctx, core::AccountId caller, edge::HttpRequest&) {
  KAIWA_ASSIGN_OR_RESPOND(auto contacts, ctx.services.contacts.list_contacts(caller));
  return json_list(contacts, write_contact, ctx.empty_list_no_content);
}

edge::HttpResponse get_incoming_requests(HandlerContext& ctx, core::AccountId caller,
                                         edge::HttpRequest&) {
  KAIWA_ASSIGN_OR_RESPOND(auto requests, ctx.services.contacts.incoming_requests(caller));
  return json_list(requests, write_incoming_request, ctx.empty_list_no_content);
}

edge::HttpResponse put_incoming_request(HandlerContext& ctx, core::AccountId caller,
                                        edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t id, path_id(request, "request_id"));
  KAIWA_ASSIGN_OR_RESPOND(core::Contact contact,
                          ctx.services.contacts.accept_request(caller, core::RequestId(id)));
  Json json;
  write_contact(json.writer(), contact);
  return json_response(json.str());
}

edge::HttpResponse delete_incoming_request(HandlerContext& ctx, core::AccountId caller,
                                           edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t id, path_id(request, "request_id"));
  KAIWA_RESPOND_IF_ERROR(ctx.services.contacts.reject_request(caller, core::RequestId(id)));
  return no_content();
}

}  // namespace kaiwa::api::chatwork
