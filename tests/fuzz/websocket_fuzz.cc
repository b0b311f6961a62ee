// What a client may send on the event stream after the handshake: any bytes, read by Beast's
// WebSocket parser configured as edge::WebSocketSession configures it (message size limit, no
// auto-fragmenting). A malformed frame must end the read with an error, never crash, leak or
// deliver a message over the limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "edge/http_server.h"

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

constexpr std::string_view kHandshake =
    "GET /kaiwa/v1/stream HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Upgrade: websocket\r\n"
    "Connection: upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

}  // namespace

// libFuzzer calls this name.
extern "C" int LLVMFuzzerTestOneInput(  // NOLINT(readability-identifier-naming)
    const std::uint8_t* data, std::size_t size) {
  const std::size_t max_message_bytes =
      kaiwa::edge::HttpServerOptions{}.websocket_max_message_bytes;
  boost::asio::io_context io;
  beast::test::stream server_end(io);
  beast::test::stream client_end(io);
  server_end.connect(client_end);
  // Everything the client sends is in place before the server reads, then the client hangs up,
  // so every read below completes without an event loop.
  server_end.append(kHandshake);
  server_end.append(std::string_view(reinterpret_cast<const char*>(data), size));
  client_end.close();

  websocket::stream<beast::test::stream&> ws(server_end);
  ws.read_message_max(max_message_bytes);
  ws.auto_fragment(false);
  beast::error_code ec;
  ws.accept(ec);
  if (ec) {
    std::abort();  // the handshake is fixed and valid
  }
  beast::flat_buffer buffer;
  while (!ec) {
    ws.read(buffer, ec);
    if (!ec && buffer.size() > max_message_bytes) {
      std::abort();
    }
    buffer.clear();
  }
  return 0;
}
