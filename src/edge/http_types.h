// The request and response that cross from edge/ into the API layers: plain structs, so handlers
// never see Beast (design.md §3).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edge/websocket.h"

namespace kaiwa::edge {

struct HttpRequest {
  std::string method;
  // Target path without the query string, as sent (not percent-decoded).
  std::string path;
  // Raw query string after '?', possibly empty.
  std::string query;
  // Header names in lower case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The peer's IP address as the server saw it (a proxy's, behind one), or "".
  std::string remote_address;
  // Filled by the router: values of {name} segments of the matched pattern.
  std::vector<std::pair<std::string, std::string>> path_params;

  // First value of the header (name in lower case), or "" when absent.
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) {
        return value;
      }
    }
    return {};
  }

  std::string_view path_param(std::string_view name) const {
    for (const auto& [key, value] : path_params) {
      if (key == name) {
        return value;
      }
    }
    return {};
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Tells the session to close the connection after this response.
  bool close = false;
  // With status 101: accept the WebSocket upgrade and hand the connection to this listener.
  std::shared_ptr<WebSocketListener> websocket;

  HttpResponse& set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Answers a request exactly once, from any thread.
using Responder = std::function<void(HttpResponse)>;
// Runs work that may block (the store) on the server's worker pool.
using BlockingRunner = std::function<void(std::function<void()>)>;

}  // namespace kaiwa::edge
