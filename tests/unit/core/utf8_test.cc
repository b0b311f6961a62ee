// Tests for UTF-8 validation, code point counting and the forbidden-character check.
#include "core/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace kaiwa::core {
namespace {

using std::string_literals::operator""s;

TEST(Utf8Test, EmptyIsValid) { EXPECT_TRUE(is_valid_utf8("")); }

TEST(Utf8Test, AsciiIsValid) { EXPECT_TRUE(is_valid_utf8("Hello, [To:1] world!\t\r\n")); }

TEST(Utf8Test, MultibyteTextIsValid) {
  EXPECT_TRUE(is_valid_utf8("é"));                 // 2 bytes
  EXPECT_TRUE(is_valid_utf8("会議"));              // 3 bytes each
  EXPECT_TRUE(is_valid_utf8("ｋｕｂｅ"));          // full-width
  EXPECT_TRUE(is_valid_utf8("🎉"));                 // 4 bytes
  EXPECT_TRUE(is_valid_utf8("mixed: aé会🎉 end"));  // all lengths together
}

TEST(Utf8Test, BoundaryCodePointsAreValid) {
  EXPECT_TRUE(is_valid_utf8("\x7f"));              // U+007F
  EXPECT_TRUE(is_valid_utf8("\xc2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xdf\xbf"));          // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));      // U+0800
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(is_valid_utf8("\xee\x80\x80"));      // U+E000, just above the surrogates
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbd"));      // U+FFFD
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8Test, NulIsValidUtf8) { EXPECT_TRUE(is_valid_utf8("a\0b"s)); }

TEST(Utf8Test, OverlongEncodingsAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));                  // U+0000 in two bytes
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));                  // '/' in two bytes
  EXPECT_FALSE(is_valid_utf8("\xc1\xbf"));                  // U+007F in two bytes
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));              // '/' in three bytes
  EXPECT_FALSE(is_valid_utf8("\xe0\x9f\xbf"));              // U+07FF in three bytes
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));          // '/' in four bytes
  EXPECT_FALSE(is_valid_utf8("\xf0\x8f\xbf\xbf"));          // U+FFFF in four bytes
  EXPECT_FALSE(is_valid_utf8("\xf8\x88\x80\x80\x80"));      // five-byte form
  EXPECT_FALSE(is_valid_utf8("\xfc\x84\x80\x80\x80\x80"));  // six-byte form
}

TEST(Utf8Test, SurrogatesAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));              // U+D800
  EXPECT_FALSE(is_valid_utf8("\xed\xaf\xbf"));              // U+DBFF
  EXPECT_FALSE(is_valid_utf8("\xed\xb0\x80"));              // U+DC00
  EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));              // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\xbd\xed\xb8\x80"));  // CESU-8 pair for U+1F600
}

TEST(Utf8Test, CodePointsAboveMaxAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xf5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xf7\xbf\xbf\xbf"));
}

TEST(Utf8Test, InvalidBytesAreRejected) {
  for (int byte = 0xf5; byte <= 0xff; ++byte) {
    const std::string text(1, static_cast<char>(byte));
    EXPECT_FALSE(is_valid_utf8(text)) << byte;
    EXPECT_FALSE(is_valid_utf8(text + "\x80\x80\x80")) << byte;
  }
  EXPECT_FALSE(is_valid_utf8("\xc0"));
  EXPECT_FALSE(is_valid_utf8("\xc1"));
}

TEST(Utf8Test, StrayContinuationBytesAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xbf"));
  EXPECT_FALSE(is_valid_utf8("a\x80z"));
  EXPECT_FALSE(is_valid_utf8("\xc3\xa9\xa9"));  // é followed by an extra continuation
}

TEST(Utf8Test, TruncatedSequencesAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xe4\xbc"));
  EXPECT_FALSE(is_valid_utf8("\xe4"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x8e"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f"));
  EXPECT_FALSE(is_valid_utf8("\xf0"));
  EXPECT_FALSE(is_valid_utf8("ok\xe4\xbc"));  // truncated at the very end
}

TEST(Utf8Test, InterruptedSequencesAreRejected) {
  EXPECT_FALSE(is_valid_utf8("\xc3z"));
  EXPECT_FALSE(is_valid_utf8("\xe4\xbcz"));
  EXPECT_FALSE(is_valid_utf8("\xe4z\xbc"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x8ez"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\xc3\xa9"));
  EXPECT_FALSE(is_valid_utf8("\xe4\xbc\0"s));
}

// Every two-byte pattern, checked against a decoder that follows the definition literally.
TEST(Utf8Test, AllTwoByteSequencesMatchTheDefinition) {
  for (int first = 0xc0; first <= 0xdf; ++first) {
    for (int second = 0; second <= 0xff; ++second) {
      const std::string text{static_cast<char>(first), static_cast<char>(second)};
      const bool is_continuation = (second & 0xc0) == 0x80;
      const int code_point = ((first & 0x1f) << 6) | (second & 0x3f);
      const bool expected = is_continuation && code_point >= 0x80;
      EXPECT_EQ(is_valid_utf8(text), expected) << first << " " << second;
    }
  }
}

TEST(Utf8Test, AllThreeByteLeadsMatchTheDefinition) {
  for (int first = 0xe0; first <= 0xef; ++first) {
    for (int second = 0x80; second <= 0xbf; ++second) {
      const std::string text{static_cast<char>(first), static_cast<char>(second), '\x80'};
      const int code_point = ((first & 0x0f) << 12) | ((second & 0x3f) << 6);
      const bool expected = code_point >= 0x800 && !(code_point >= 0xd800 && code_point <= 0xdfff);
      EXPECT_EQ(is_valid_utf8(text), expected) << first << " " << second;
    }
  }
}

TEST(Utf8Test, AllFourByteLeadsMatchTheDefinition) {
  for (int first = 0xf0; first <= 0xf4; ++first) {
    for (int second = 0x80; second <= 0xbf; ++second) {
      const std::string text{static_cast<char>(first), static_cast<char>(second), '\x80', '\x80'};
      const int code_point = ((first & 0x07) << 18) | ((second & 0x3f) << 12);
      const bool expected = code_point >= 0x10000 && code_point <= 0x10ffff;
      EXPECT_EQ(is_valid_utf8(text), expected) << first << " " << second;
    }
  }
}

TEST(Utf8Test, CountsAsciiCodePoints) {
  EXPECT_EQ(count_code_points(""), 0U);
  EXPECT_EQ(count_code_points("abc"), 3U);
}

TEST(Utf8Test, CountsMultibyteCodePoints) {
  EXPECT_EQ(count_code_points("é"), 1U);
  EXPECT_EQ(count_code_points("会議"), 2U);
  EXPECT_EQ(count_code_points("🎉"), 1U);
  EXPECT_EQ(count_code_points("aé会🎉"), 4U);
  EXPECT_EQ(count_code_points("\xf4\x8f\xbf\xbf"), 1U);
}

TEST(Utf8Test, CountsNulAsACodePoint) { EXPECT_EQ(count_code_points("a\0b"s), 3U); }

TEST(Utf8Test, CountsTheMessageLimitExactly) {
  std::string body;
  for (int i = 0; i < 65535; ++i) {
    body += "あ";
  }
  EXPECT_TRUE(is_valid_utf8(body));
  EXPECT_EQ(count_code_points(body), 65535U);
}

TEST(Utf8Test, CountOnInvalidInputIsBounded) {
  const std::string junk = "\x80\x80\xff\xc3";
  EXPECT_LE(count_code_points(junk), junk.size());
}

TEST(Utf8Test, NulIsForbidden) {
  EXPECT_TRUE(has_forbidden_controls("\0"s));
  EXPECT_TRUE(has_forbidden_controls("abc\0"s));
  EXPECT_TRUE(has_forbidden_controls("\0abc"s));
  EXPECT_TRUE(has_forbidden_controls("会\0議"s));
}

TEST(Utf8Test, OtherControlsAreAllowed) {
  EXPECT_FALSE(has_forbidden_controls(""));
  EXPECT_FALSE(has_forbidden_controls("line1\nline2\r\n\ttabbed"));
  for (int c = 1; c < 0x20; ++c) {
    EXPECT_FALSE(has_forbidden_controls(std::string(1, static_cast<char>(c)))) << c;
  }
  EXPECT_FALSE(has_forbidden_controls("\x7f"));
  EXPECT_FALSE(has_forbidden_controls("\xc2\x85"));  // U+0085 NEL
}

TEST(Utf8Test, OverlongNulIsNotValidUtf8) {
  // Modified UTF-8 smuggles NUL as C0 80; it never gets past validation.
  EXPECT_FALSE(is_valid_utf8("a\xc0\x80z"));
}

}  // namespace
}  // namespace kaiwa::core
