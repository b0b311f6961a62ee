// The event stream's endpoints (docs/api/kaiwa-openapi.yaml): GET /kaiwa/v1/stream upgrades to
// a WebSocket fed by the EventHub; POST /kaiwa/v1/stream/tickets lets a browser open one without
// putting its token in the URL.
#pragma once

#include "api/chatwork/chatwork_api.h"
#include "api/kaiwa/event_hub.h"
#include "app/stream_service.h"
#include "edge/router.h"

namespace kaiwa::api::kaiwa {

// Thread-safe once routes are added; must outlive the server's connections.
class StreamApi {
 public:
  StreamApi(chatwork::ChatworkApi& chatwork, app::StreamService& stream_service, EventHub& hub)
      : chatwork_(chatwork), stream_service_(stream_service), hub_(hub) {}

  void add_routes(edge::Router& router);

 private:
  void open_stream(edge::HttpRequest& request, const edge::Responder& respond);
  void create_ticket(edge::HttpRequest& request, const edge::Responder& respond);

  chatwork::ChatworkApi& chatwork_;
  app::StreamService& stream_service_;
  EventHub& hub_;
};

}  // namespace kaiwa::api::kaiwa
