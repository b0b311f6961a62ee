// Tests for parse_multipart: curl/browser/Ruby framings, binary data, filenames and limits.
#include "edge/multipart.h"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace kaiwa::edge {
namespace {

using namespace std::string_literals;  // NOLINT(google-build-using-namespace): "\0"s literals.

constexpr std::string_view kCurlContentType =
    "multipart/form-data; boundary=------------------------d74496d66958873e";

std::vector<MultipartPart> parse_ok(std::string_view content_type, std::string_view body) {
  auto result = parse_multipart(content_type, body);
  EXPECT_TRUE(result.has_value()) << (result.has_value() ? "" : result.error().message);
  return result.has_value() ? std::move(result).value() : std::vector<MultipartPart>{};
}

void expect_invalid(std::string_view content_type, std::string_view body,
                    std::string_view message = "Invalid multipart body") {
  const auto result = parse_multipart(content_type, body);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().is(core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(result.error().message, message);
}

// What `curl -F message=hello -F file=@a.png` sends.
std::string curl_body(std::string_view file_data) {
  std::string body =
      "--------------------------d74496d66958873e\r\n"
      "Content-Disposition: form-data; name=\"message\"\r\n"
      "\r\n"
      "hello\r\n"
      "--------------------------d74496d66958873e\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
      "Content-Type: image/png\r\n"
      "\r\n";
  body += file_data;
  body += "\r\n--------------------------d74496d66958873e--\r\n";
  return body;
}

TEST(MultipartTest, ParsesCurlUpload) {
  const auto parts = parse_ok(kCurlContentType, curl_body("PNGDATA"));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "message");
  EXPECT_FALSE(parts[0].filename.has_value());
  EXPECT_EQ(parts[0].content_type, "text/plain");
  EXPECT_EQ(parts[0].data, "hello");
  EXPECT_EQ(parts[1].name, "file");
  EXPECT_EQ(parts[1].filename, "a.png");
  EXPECT_EQ(parts[1].content_type, "image/png");
  EXPECT_EQ(parts[1].data, "PNGDATA");
}

TEST(MultipartTest, AcceptsRubyClientWithoutFinalCrlf) {
  // asonas/chatwork-ruby strips the CRLF after the closing boundary.
  std::string body = curl_body("x");
  body.resize(body.size() - 2);
  ASSERT_TRUE(body.ends_with("--"));
  const auto parts = parse_ok(kCurlContentType, body);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data, "x");
}

TEST(MultipartTest, AcceptsEpilogueAndSeveralTrailingCrlfs) {
  const auto parts = parse_ok(kCurlContentType, curl_body("x") + "\r\n\r\nepilogue\r\n");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data, "x");
}

TEST(MultipartTest, AcceptsPreamble) {
  const auto parts = parse_ok(kCurlContentType, "This is a preamble.\r\n" + curl_body("x"));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].data, "hello");
}

TEST(MultipartTest, AcceptsLfOnlyLineEndings) {
  const std::string body =
      "--b\n"
      "Content-Disposition: form-data; name=\"message\"\n"
      "\n"
      "line1\r\nline2\n"
      "--b\n"
      "content-disposition: form-data; name=file; filename=notes.txt\n"
      "\n"
      "text\n"
      "--b--";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].data, "line1\r\nline2");
  EXPECT_EQ(parts[1].filename, "notes.txt");
  EXPECT_EQ(parts[1].content_type, "application/octet-stream");
  EXPECT_EQ(parts[1].data, "text");
}

TEST(MultipartTest, BinaryDataWithCrlfAndDashesSurvives) {
  // Bytes that look like framing: CRLFs, "--", a boundary prefix, a boundary with a suffix, NULs.
  const std::string data =
      "\x89PNG\r\n\x1a\n\0\0\r\n--\r\n--------------------------d74496d66958873\r\n"
      "--------------------------d74496d66958873eX\r\n\r\n--\xff\xfe\r\n"s;
  const auto parts = parse_ok(kCurlContentType, curl_body(data));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data.size(), data.size());
  EXPECT_EQ(parts[1].data, data);
}

TEST(MultipartTest, DataEndingInCrlfKeepsIt) {
  const auto parts = parse_ok(kCurlContentType, curl_body("line\r\n"));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data, "line\r\n");
}

TEST(MultipartTest, EmptyPartData) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\n\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n"
      "--b--\r\n";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].data, "");
  EXPECT_EQ(parts[1].filename, "");
  EXPECT_EQ(parts[1].data, "");
}

TEST(MultipartTest, QuotedBoundaryAndParameterCase) {
  const std::string body =
      "--simple boundary:1\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--simple boundary:1--\r\n";
  const auto parts =
      parse_ok("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"simple boundary:1\"", body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].data, "1");
}

TEST(MultipartTest, NoPartsIsNotAnError) {
  EXPECT_TRUE(parse_ok("multipart/form-data; boundary=b", "--b--\r\n").empty());
}

TEST(MultipartTest, DecodesExtendedUtf8Filename) {
  // "日本.png": filename* wins over the ASCII fallback.
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fallback.png\"; "
      "filename*=UTF-8''%E6%97%A5%E6%9C%AC.png\r\n\r\nx\r\n--b--";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "\xE6\x97\xA5\xE6\x9C\xAC.png");
}

TEST(MultipartTest, DecodesLatin1ExtendedFilenameToUtf8) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=file; filename*=iso-8859-1'en'caf%E9.txt"
      "\r\n\r\nx\r\n--b--";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].filename, "caf\xC3\xA9.txt");
}

TEST(MultipartTest, RawUtf8FilenameAndEscapedQuotes) {
  // Browsers send raw UTF-8; curl backslash-escapes quotes; old IE sends bare backslashes.
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"\xE6\x97\xA5.txt\"\r\n\r\n1"
      "\r\n--b\r\nContent-Disposition: form-data; name=\"f2\"; filename=\"say \\\"hi\\\".txt\""
      "\r\n\r\n2\r\n--b\r\nContent-Disposition: form-data; name=\"f3\"; "
      "filename=\"C:\\dir\\a;b.txt\"\r\n\r\n3\r\n--b--";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].filename, "\xE6\x97\xA5.txt");
  EXPECT_EQ(parts[1].filename, "say \"hi\".txt");
  EXPECT_EQ(parts[2].filename, "C:\\dir\\a;b.txt");
}

TEST(MultipartTest, IgnoresUnknownPartHeaders) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
      "Content-Transfer-Encoding: binary\r\nX-Whatever: 1\r\n\r\nx\r\n--b--";
  const auto parts = parse_ok("multipart/form-data; boundary=b", body);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].content_type, "application/octet-stream");
}

TEST(MultipartTest, MissingBoundaryIsRejected) {
  const std::string body = curl_body("x");
  expect_invalid("multipart/form-data", body, "Missing multipart boundary");
  expect_invalid("multipart/form-data; boundary=", body, "Missing multipart boundary");
  expect_invalid("multipart/form-data; boundary=\"\"", body, "Missing multipart boundary");
  expect_invalid("application/x-www-form-urlencoded; boundary=b", body,
                 "Missing multipart boundary");
  expect_invalid("", body, "Missing multipart boundary");
}

TEST(MultipartTest, MalformedBodiesAreRejected) {
  constexpr std::string_view kType = "multipart/form-data; boundary=b";
  const std::string disposition = "Content-Disposition: form-data; name=\"a\"\r\n";
  expect_invalid(kType, "");
  expect_invalid(kType, "no delimiter at all");
  expect_invalid(kType, "--b");                                // Delimiter without line end.
  expect_invalid(kType, "--b\r\n" + disposition + "\r\nxyz");  // No closing delimiter.
  expect_invalid(kType, "--b\r\n" + disposition);              // Headers never end.
  expect_invalid(kType, "--b\r\n\r\nxyz\r\n--b--");            // No Content-Disposition.
  expect_invalid(kType, "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--");  // No name.
  expect_invalid(kType, "--b\r\nnot a header\r\n\r\nx\r\n--b--");
  expect_invalid(kType, "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--");
  expect_invalid(kType, "--b\r\n" + disposition + "--b--\r\n");  // Delimiter inside headers.
  expect_invalid("multipart/form-data; boundary=b:c",
                 "--b:c\r\n" + disposition + "--b:c\r\n\r\nx\r\n--b:c--");
}

TEST(MultipartTest, AtMostSixteenParts) {
  std::string body;
  for (int i = 0; i < 16; ++i) {
    body +=
        "--b\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  EXPECT_EQ(parse_ok("multipart/form-data; boundary=b", body + "--b--").size(), 16u);
  body += "--b\r\nContent-Disposition: form-data; name=\"f16\"\r\n\r\nv\r\n--b--";
  expect_invalid("multipart/form-data; boundary=b", body, "Too many parts in multipart body");
}

TEST(MultipartTest, FiveMegabyteBodyParsesQuickly) {
  // Adversarial data: many LFs each followed by an almost-boundary, plus a plain 5 MB file.
  std::string data;
  while (data.size() < std::size_t{5} * 1024 * 1024) {
    data += "\n--------------------------d74496d66958873";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto parts = parse_ok(kCurlContentType, curl_body(data));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].data, data);
  // Generous enough for sanitizer builds; a quadratic scan would take minutes.
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace kaiwa::edge
