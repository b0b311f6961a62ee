// Tests for the WebSocket framing Kaiwa reads from clients and writes to them (RFC 6455 §5).
#include "edge/websocket_frames.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace kaiwa::edge::websocket_frames {
namespace {

using Kind = ReadEvent::Kind;

constexpr std::size_t kLimit = 4096;

// A client frame: masked with a fixed key, final unless `fin` is false.
std::string client_frame(std::uint8_t opcode, std::string_view payload, bool fin = true) {
  const std::string mask = "\x11\x22\x33\x44";
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0x00) | opcode);
  if (payload.size() < 126) {
    frame += static_cast<char>(0x80 | payload.size());
  } else {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>(payload.size() >> 8U);
    frame += static_cast<char>(payload.size() & 0xFFU);
  }
  frame += mask;
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  }
  return frame;
}

// `frame` with its first byte replaced (flags and opcode).
std::string with_first_byte(std::string frame, char first) {
  frame[0] = first;
  return frame;
}

ReadEvent read_one(std::string_view bytes) {
  FrameReader reader(kLimit);
  return reader.next(bytes);
}

TEST(WebSocketFramesTest, ReadsATextMessageAndConsumesExactlyItsFrame) {
  const std::string frame = client_frame(0x1, "hello");
  const ReadEvent event = read_one(frame + "extra");
  EXPECT_EQ(event.kind, Kind::kMessage);
  EXPECT_EQ(event.consumed, frame.size());
}

TEST(WebSocketFramesTest, WaitsForTheRestOfAFrameWithoutConsuming) {
  const std::string frame = client_frame(0x1, "hello");
  FrameReader reader(kLimit);
  for (std::size_t cut = 0; cut < frame.size(); ++cut) {
    const ReadEvent event = reader.next(std::string_view(frame).substr(0, cut));
    EXPECT_EQ(event.kind, Kind::kNeedMore) << "cut at " << cut;
    EXPECT_EQ(event.consumed, 0u);
  }
  EXPECT_EQ(reader.next(frame).kind, Kind::kMessage);
}

TEST(WebSocketFramesTest, AssemblesFragmentsWithControlFramesBetweenThem) {
  FrameReader reader(kLimit);
  const std::string first = client_frame(0x1, "hel", false);
  const std::string ping = client_frame(0x9, "p");
  const std::string last = client_frame(0x0, "lo");
  const ReadEvent a = reader.next(first);
  EXPECT_EQ(a.kind, Kind::kNeedMore);
  EXPECT_EQ(a.consumed, first.size());
  EXPECT_FALSE(reader.idle());
  const ReadEvent b = reader.next(ping);
  EXPECT_EQ(b.kind, Kind::kPing);
  EXPECT_EQ(b.payload, "p");
  EXPECT_EQ(reader.next(last).kind, Kind::kMessage);
  EXPECT_TRUE(reader.idle());
}

TEST(WebSocketFramesTest, ReadsCloseCodesAndReasons) {
  const ReadEvent with_code = read_one(client_frame(0x8, std::string("\x0F\xA0", 2) + "bye"));
  EXPECT_EQ(with_code.kind, Kind::kClose);
  EXPECT_EQ(with_code.code, 4000);
  EXPECT_EQ(with_code.payload, "bye");
  const ReadEvent without = read_one(client_frame(0x8, ""));
  EXPECT_EQ(without.kind, Kind::kClose);
  EXPECT_EQ(without.code, kNoStatus);
}

TEST(WebSocketFramesTest, RefusesWhatRfc6455Forbids) {
  struct Case {
    std::string what;
    std::string bytes;
    std::uint16_t code;
  };

  const std::vector<Case> cases = {
      {"unmasked", std::string("\x81\x05hello", 7), kProtocolError},
      {"reserved bits", with_first_byte(client_frame(0x1, ""), '\xF1'), kProtocolError},
      {"reserved data opcode", client_frame(0x3, "x"), kProtocolError},
      {"reserved control opcode", client_frame(0xB, ""), kProtocolError},
      {"fragmented ping", client_frame(0x9, "", false), kProtocolError},
      {"long ping", client_frame(0x9, std::string(126, 'p')), kProtocolError},
      {"continuation first", client_frame(0x0, "x"), kProtocolError},
      {"close with one byte", client_frame(0x8, "\x03"), kProtocolError},
      {"close code 1005", client_frame(0x8, std::string("\x03\xED", 2)), kProtocolError},
      {"close reason not UTF-8", client_frame(0x8, std::string("\x03\xE8\xFF", 3)),
       kInvalidPayload},
      {"text not UTF-8", client_frame(0x1, "\xC3\x28"), kInvalidPayload},
      {"non-minimal length", std::string("\x81\xFE\x00\x05\x11\x22\x33\x44hello", 13),
       kProtocolError},
  };
  for (const Case& c : cases) {
    const ReadEvent event = read_one(c.bytes);
    EXPECT_EQ(event.kind, Kind::kError) << c.what;
    EXPECT_EQ(event.code, c.code) << c.what;
  }
}

TEST(WebSocketFramesTest, RefusesAMessageOverTheLimitBeforeItsBytesArrive) {
  FrameReader reader(kLimit);
  const std::string big = client_frame(0x1, std::string(kLimit + 1, 'a'));
  const ReadEvent event = reader.next(std::string_view(big).substr(0, 8));  // the header only
  EXPECT_EQ(event.kind, Kind::kError);
  EXPECT_EQ(event.code, kMessageTooBig);

  // The limit counts the whole message across its fragments.
  FrameReader fragments(kLimit);
  EXPECT_EQ(fragments.next(client_frame(0x2, std::string(kLimit, 'a'), false)).kind,
            Kind::kNeedMore);
  EXPECT_EQ(fragments.next(client_frame(0x0, "a")).code, kMessageTooBig);
  // Exactly the limit is fine; binary messages are not checked as text.
  EXPECT_EQ(read_one(client_frame(0x2, std::string(kLimit, '\xFF'))).kind, Kind::kMessage);
}

TEST(WebSocketFramesTest, EncodesServerFramesUnmaskedInTheShortestLengthForm) {
  EXPECT_EQ(frame_header(Opcode::kText, 5), std::string("\x81\x05", 2));
  EXPECT_EQ(frame_header(Opcode::kText, 126), std::string("\x81\x7E\x00\x7E", 4));
  EXPECT_EQ(frame_header(Opcode::kText, 70000),
            std::string("\x81\x7F\x00\x00\x00\x00\x00\x01\x11\x70", 10));
  EXPECT_EQ(control_frame(Opcode::kPong, "ab"), std::string("\x8A\x02"
                                                            "ab",
                                                            4));
  EXPECT_EQ(close_frame(1012, "restart"), std::string("\x88\x09\x03\xF4", 4) + "restart");
}

TEST(WebSocketFramesTest, CutsALongCloseReasonAtACharacterBoundary) {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "再";  // three bytes each: 150 bytes
  }
  const std::string frame = close_frame(4001, text);
  const std::size_t payload = static_cast<std::uint8_t>(frame[1]);
  EXPECT_LE(payload, 125u);
  EXPECT_EQ((payload - 2) % 3, 0u) << "no character is cut";
}

}  // namespace
}  // namespace kaiwa::edge::websocket_frames
