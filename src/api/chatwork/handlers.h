// Every /v2 operation, named after Chatwork's (conventions.md). Each one: decode, one use case
// call, encode. routes.cc maps them to paths.
#pragma once

#include "api/chatwork/handler_support.h"

namespace kaiwa::api::chatwork {

#define KAIWA_HANDLER(name) \
  edge::HttpResponse name(HandlerContext& ctx, core::AccountId caller, edge::HttpRequest& request)

KAIWA_HANDLER(get_me);
KAIWA_HANDLER(get_my_status);
KAIWA_HANDLER(get_my_tasks);
KAIWA_HANDLER(get_contacts);
KAIWA_HANDLER(get_incoming_requests);
KAIWA_HANDLER(put_incoming_request);
KAIWA_HANDLER(delete_incoming_request);

KAIWA_HANDLER(get_rooms);
KAIWA_HANDLER(post_rooms);
KAIWA_HANDLER(get_room);
KAIWA_HANDLER(put_room);
KAIWA_HANDLER(delete_room);
KAIWA_HANDLER(get_room_members);
KAIWA_HANDLER(put_room_members);
KAIWA_HANDLER(get_room_link);
KAIWA_HANDLER(post_room_link);
KAIWA_HANDLER(put_room_link);
KAIWA_HANDLER(delete_room_link);

KAIWA_HANDLER(get_room_messages);
KAIWA_HANDLER(post_room_message);
KAIWA_HANDLER(put_room_messages_read);
KAIWA_HANDLER(put_room_messages_unread);
KAIWA_HANDLER(get_room_message);
KAIWA_HANDLER(put_room_message);
KAIWA_HANDLER(delete_room_message);

KAIWA_HANDLER(get_room_tasks);
KAIWA_HANDLER(post_room_tasks);
KAIWA_HANDLER(get_room_task);
KAIWA_HANDLER(put_room_task_status);

KAIWA_HANDLER(get_room_files);
KAIWA_HANDLER(post_room_file);
KAIWA_HANDLER(get_room_file);

#undef KAIWA_HANDLER

// The signed download link of a file; needs no token (the signature is the authorization).
edge::HttpResponse get_file_download(HandlerContext& ctx, edge::HttpRequest& request);

}  // namespace kaiwa::api::chatwork
