// Unit tests of ws_fanout's protocol pieces: they are what can be checked without a server,
// and a decoding mistake would show up in the benchmark as loss or latency, not as a failure.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fanout/histogram.h"
#include "fanout/seq_set.h"
#include "fanout/session.h"
#include "fanout/stream_events.h"
#include "fanout/ws_codec.h"

namespace fanout {
namespace {

// A server frame (unmasked), as RFC 6455 §5.2 lays it out.
std::string server_frame(ws::Opcode opcode, std::string_view payload, bool fin = true) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<int>(opcode)));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    frame.push_back(126);
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    frame.push_back(127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
    }
  }
  frame.append(payload);
  return frame;
}

struct RecordingSink : ws::FrameSink {
  std::vector<std::string> messages;
  std::vector<std::string> pings;
  int close_code = 0;
  std::string close_reason;

  void on_message(ws::Opcode, std::string_view payload) override { messages.emplace_back(payload); }

  void on_ping(std::string_view payload) override { pings.emplace_back(payload); }

  void on_close(int code, std::string_view reason) override {
    close_code = code;
    close_reason = reason;
  }
};

TEST(WsDecoder, ReassemblesFramesCutAtEveryByte) {
  const std::string big(70000, 'x');   // 64-bit length
  const std::string medium(300, 'm');  // 16-bit length
  const std::string stream = server_frame(ws::Opcode::kText, R"([{"type":"ready","pos":1}])") +
                             server_frame(ws::Opcode::kText, medium) +
                             server_frame(ws::Opcode::kText, big);
  for (const std::size_t cut : {1u, 2u, 3u, 7u, 100u, 4096u}) {
    ws::Decoder decoder;
    RecordingSink sink;
    for (std::size_t at = 0; at < stream.size(); at += cut) {
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(at, cut), sink)) << cut;
    }
    ASSERT_EQ(sink.messages.size(), 3u) << cut;
    EXPECT_EQ(sink.messages[1], medium);
    EXPECT_EQ(sink.messages[2], big);
  }
}

TEST(WsDecoder, JoinsFragmentsAroundAPing) {
  const std::string stream = server_frame(ws::Opcode::kText, "[{\"a\":", false) +
                             server_frame(ws::Opcode::kPing, "hi") +
                             server_frame(ws::Opcode::kContinuation, "1}]", true);
  ws::Decoder decoder;
  RecordingSink sink;
  ASSERT_TRUE(decoder.feed(stream, sink));
  ASSERT_EQ(sink.messages.size(), 1u);
  EXPECT_EQ(sink.messages[0], "[{\"a\":1}]");
  ASSERT_EQ(sink.pings.size(), 1u);
  EXPECT_EQ(sink.pings[0], "hi");
}

TEST(WsDecoder, ReportsCloseCodeAndIgnoresWhatFollows) {
  const std::string stream = server_frame(ws::Opcode::kClose, std::string("\x0f\xa1slow", 6)) +
                             server_frame(ws::Opcode::kText, "late");
  ws::Decoder decoder;
  RecordingSink sink;
  ASSERT_TRUE(decoder.feed(stream, sink));
  EXPECT_EQ(sink.close_code, 4001);
  EXPECT_EQ(sink.close_reason, "slow");
  EXPECT_TRUE(sink.messages.empty());
}

TEST(WsDecoder, RejectsMaskedServerFrames) {
  std::string frame = server_frame(ws::Opcode::kText, "x");
  frame[1] = static_cast<char>(frame[1] | 0x80);
  frame.append("\0\0\0\0", 4);
  ws::Decoder decoder;
  RecordingSink sink;
  EXPECT_FALSE(decoder.feed(frame, sink));
}

TEST(WsCodec, ClientFramesAreMasked) {
  std::string out;
  ws::append_client_frame(out, ws::Opcode::kPong, "abc", 0x01020304);
  ASSERT_EQ(out.size(), 2u + 4u + 3u);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x8A);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 0x83);
  std::string unmasked;
  for (std::size_t i = 0; i < 3; ++i) {
    unmasked.push_back(static_cast<char>(out[6 + i] ^ out[2 + i % 4]));
  }
  EXPECT_EQ(unmasked, "abc");
}

TEST(WsCodec, AcceptKeyMatchesRfcExample) {
  EXPECT_EQ(ws::expected_accept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  const std::string answer =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n" +
      server_frame(ws::Opcode::kText, "");
  const ws::HandshakeResult result = ws::parse_handshake(answer, "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(result.state, ws::HandshakeResult::State::kAccepted);
  EXPECT_EQ(answer.size() - result.header_bytes, 2u);
  const ws::HandshakeResult refused =
      ws::parse_handshake("HTTP/1.1 401 Unauthorized\r\n\r\n", "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(refused.state, ws::HandshakeResult::State::kRefused);
  EXPECT_EQ(refused.status_line, "HTTP/1.1 401 Unauthorized");
}

TEST(StreamEvents, ParsesTheStreamsObjects) {
  const std::string body = make_body(123456789, 42, 120);
  const std::string frame =
      R"([{"pos":7,"type":"message_created","created_at_ms":1,"data":{"room_id":5,)"
      R"("message_id":"9","account_id":3,"body":")" +
      body +
      R"(","send_time":1,"update_time":0}},{"type":"ready","pos":8},)"
      R"({"type":"resync","pos":99},{"pos":9,"type":"message_created","data":{"room_id":5,)"
      R"("body":"[info]\"}{\"[/info]"}}])";
  FrameObjects objects(frame);
  std::vector<StreamEvent> events;
  std::string_view object;
  while (objects.next(object)) {
    events.push_back(parse_event(object));
  }
  EXPECT_FALSE(objects.malformed());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type, StreamEvent::Type::kMessageCreated);
  EXPECT_EQ(events[0].pos, 7);
  EXPECT_EQ(events[0].room_id, 5);
  EXPECT_TRUE(events[0].has_marker);
  EXPECT_EQ(events[0].sent_ns, 123456789);
  EXPECT_EQ(events[0].seq, 42u);
  EXPECT_EQ(events[1].type, StreamEvent::Type::kReady);
  EXPECT_EQ(events[1].pos, 8);
  EXPECT_EQ(events[2].type, StreamEvent::Type::kResync);
  EXPECT_EQ(events[2].pos, 99);
  EXPECT_FALSE(events[3].has_marker);  // a room notice: counted as foreign
}

TEST(StreamEvents, BodyHasTheRequestedSizeInWholeCharacters) {
  const std::string body = make_body(1, 2, 120);
  EXPECT_LE(body.size(), 120u);
  EXPECT_GT(body.size(), 115u);
  EXPECT_LT(static_cast<unsigned char>(body.back()), 0x80 + 0x40);  // not a lead byte
  std::int64_t t = 0;
  std::uint64_t seq = 0;
  EXPECT_TRUE(parse_marker(body, t, seq));
  EXPECT_FALSE(parse_marker("t=12;seq=x;", t, seq));
}

TEST(StreamEvents, NatsFrameScansLikeAKaiwaFrame) {
  const std::string frame = make_event_frame(5, 77, 1, make_body(1000, 3, 120));
  FrameObjects objects(frame);
  std::string_view object;
  ASSERT_TRUE(objects.next(object));
  const StreamEvent event = parse_event(object);
  EXPECT_EQ(event.room_id, 77);
  EXPECT_EQ(event.seq, 3u);
  EXPECT_EQ(event.sent_ns, 1000);
  EXPECT_FALSE(objects.next(object));
}

TEST(Histogram, PercentilesWithinThreePercent) {
  Histogram histogram;
  for (std::int64_t v = 1; v <= 100000; ++v) {
    histogram.record(v * 1000);
  }
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.5)), 50e6, 50e6 * 0.03);
  EXPECT_NEAR(static_cast<double>(histogram.percentile(0.99)), 99e6, 99e6 * 0.03);
  EXPECT_GE(histogram.percentile(0.99), 99'000'000);
  EXPECT_EQ(histogram.percentile(1.0), 100'000'000);
}

TEST(SeqSet, TracksPrefixDuplicatesAndMissing) {
  SeqSet received;
  EXPECT_TRUE(received.insert(1));
  EXPECT_EQ(received.prefix(), 0u);
  EXPECT_TRUE(received.insert(0));
  EXPECT_EQ(received.prefix(), 2u);
  EXPECT_FALSE(received.insert(1));
  EXPECT_TRUE(received.insert(200));
  SeqSet expected;
  for (std::uint64_t seq = 0; seq < 201; ++seq) {
    expected.insert(seq);
  }
  EXPECT_EQ(received.missing_from(expected), 198u);
}

struct RecordingEvents : SessionEvents {
  int ready = 0;
  std::vector<StreamEvent> events;
  int close_code = 0;

  void on_ready(std::int64_t) override { ++ready; }

  void on_event(const StreamEvent& event) override { events.push_back(event); }

  void on_remote_close(int code, std::string_view) override { close_code = code; }
};

TEST(NatsSession, SubscribesAndReadsSplitMessages) {
  auto session = make_nats_session("room.5");
  RecordingEvents events;
  std::string out;
  session->start(out);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(session->feed("INFO {\"server_id\":\"x\"}\r\n", out, events));
  EXPECT_NE(out.find("SUB room.5 1\r\nPING\r\n"), std::string::npos);
  out.clear();
  const std::string payload = make_event_frame(1, 5, 1, make_body(10, 0, 120));
  const std::string wire =
      "PONG\r\nMSG room.5 1 " + std::to_string(payload.size()) + "\r\n" + payload + "\r\nPING\r\n";
  for (std::size_t at = 0; at < wire.size(); at += 5) {
    ASSERT_TRUE(session->feed(std::string_view(wire).substr(at, 5), out, events));
  }
  EXPECT_EQ(events.ready, 1);
  ASSERT_EQ(events.events.size(), 1u);
  EXPECT_EQ(events.events[0].room_id, 5);
  EXPECT_EQ(out, "PONG\r\n");
}

TEST(KaiwaSession, UpgradesThenDeliversAndAnswersPing) {
  auto session = make_kaiwa_session({.host = "h:1", .token = "tok", .since = 41, .seed = 7});
  std::string out;
  session->start(out);
  EXPECT_TRUE(out.starts_with("GET /kaiwa/v1/stream?since=41 HTTP/1.1\r\n"));
  EXPECT_NE(out.find("X-ChatWorkToken: tok\r\n"), std::string::npos);
  const std::size_t key_at = out.find("Sec-WebSocket-Key: ") + 19;
  const std::string key = out.substr(key_at, out.find("\r\n", key_at) - key_at);
  out.clear();
  const std::string answer =
      "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + ws::expected_accept(key) +
      "\r\n\r\n" + server_frame(ws::Opcode::kText, R"([{"type":"ready","pos":41}])") +
      server_frame(ws::Opcode::kPing, "p");
  RecordingEvents events;
  ASSERT_TRUE(session->feed(answer, out, events)) << session->error();
  EXPECT_EQ(events.ready, 1);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x8A);  // masked pong
  const std::string close = server_frame(ws::Opcode::kClose, std::string("\x03\xf4", 2));
  ASSERT_TRUE(session->feed(close, out, events));
  EXPECT_EQ(events.close_code, 1012);
}

TEST(KaiwaSession, RefusedUpgradeIsReportedAsRefused) {
  auto session = make_kaiwa_session({.host = "h:1", .token = "bad", .since = -1, .seed = 1});
  std::string out;
  session->start(out);
  EXPECT_NE(out.find("GET /kaiwa/v1/stream HTTP/1.1"), std::string::npos);
  RecordingEvents events;
  EXPECT_FALSE(
      session->feed("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", out, events));
  EXPECT_TRUE(session->refused());
}

}  // namespace
}  // namespace fanout
