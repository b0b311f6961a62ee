// Tests for FormParams: urlencoded decoding, Chatwork's rejection of PHP arrays, and merging.
#include "edge/form_params.h"

#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace kaiwa::edge {
namespace {

FormParams parse_ok(std::string_view encoded) {
  auto result = FormParams::parse_urlencoded(encoded);
  EXPECT_TRUE(result.has_value()) << "input: " << encoded;
  return result.has_value() ? std::move(result).value() : FormParams{};
}

void expect_invalid(std::string_view encoded, std::string_view message) {
  const auto result = FormParams::parse_urlencoded(encoded);
  ASSERT_FALSE(result.has_value()) << "input: " << encoded;
  EXPECT_TRUE(result.error().is(core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(result.error().message, message);
}

TEST(FormParamsTest, ParsesSimplePairsInOrder) {
  const FormParams params = parse_ok("body=hello&self_unread=1");
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params.entries()[0].first, "body");
  EXPECT_EQ(params.entries()[1].first, "self_unread");
  EXPECT_EQ(params.get("body"), "hello");
  EXPECT_EQ(params.get("self_unread"), "1");
  EXPECT_EQ(params.get("missing"), std::nullopt);
  EXPECT_TRUE(params.contains("body"));
  EXPECT_FALSE(params.contains("Body"));
}

TEST(FormParamsTest, PlusDecodesToSpace) {
  EXPECT_EQ(parse_ok("body=hello+world+").get("body"), "hello world ");
  EXPECT_EQ(parse_ok("a+b=c").get("a b"), "c");
}

TEST(FormParamsTest, PercentEscapesDecodeInEitherCase) {
  const FormParams params = parse_ok("body=%5Bto%3a123%5d%2B%25%0d%0A");
  EXPECT_EQ(params.get("body"), "[to:123]+%\r\n");
}

TEST(FormParamsTest, DecodesPercentEncodedJapanese) {
  // "こんにちは" in UTF-8, as every client encodes it.
  const FormParams params =
      parse_ok("name=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF&body=%E6%97%A5%E6%9C%AC");
  EXPECT_EQ(params.get("name"), "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF");
  EXPECT_EQ(params.get("body"), "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(FormParamsTest, RawUtf8BytesPassThrough) {
  EXPECT_EQ(parse_ok("body=\xE6\x97\xA5").get("body"), "\xE6\x97\xA5");
}

TEST(FormParamsTest, DoesNotValidateUtf8) {
  // The caller owns UTF-8 validation, so an invalid byte sequence is returned as is.
  EXPECT_EQ(parse_ok("body=%FF%FE").get("body"), "\xFF\xFE");
}

TEST(FormParamsTest, EmptyInputYieldsNoParams) {
  EXPECT_TRUE(parse_ok("").empty());
  EXPECT_TRUE(parse_ok("&&&").empty());
}

TEST(FormParamsTest, KeyWithoutEqualsHasEmptyValue) {
  const FormParams params = parse_ok("force&body=x");
  EXPECT_EQ(params.get("force"), "");
  EXPECT_EQ(params.get("body"), "x");
}

TEST(FormParamsTest, EmptyValueIsKept) {
  // PHP sends `members_member_ids=` for an empty list.
  const FormParams params = parse_ok("members_member_ids=&name=r");
  EXPECT_TRUE(params.contains("members_member_ids"));
  EXPECT_EQ(params.get("members_member_ids"), "");
}

TEST(FormParamsTest, EmptyKeysAreSkipped) {
  const FormParams params = parse_ok("=orphan&a=1&=&b=2");
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params.get(""), std::nullopt);
  EXPECT_EQ(params.get("a"), "1");
  EXPECT_EQ(params.get("b"), "2");
}

TEST(FormParamsTest, ValueMayContainEquals) {
  EXPECT_EQ(parse_ok("body=a=b==c").get("body"), "a=b==c");
}

TEST(FormParamsTest, RepeatedKeyKeepsFirstValue) {
  const FormParams params = parse_ok("body=first&body=second");
  EXPECT_EQ(params.size(), 2u);
  EXPECT_EQ(params.get("body"), "first");
}

TEST(FormParamsTest, MalformedEscapesAreRejected) {
  for (const std::string_view input :
       {"body=%", "body=%4", "body=%zz", "body=%4g", "b%y=1", "body=ok%", "body=%%41"}) {
    expect_invalid(input, "Invalid form encoding");
  }
}

TEST(FormParamsTest, PhpArrayKeysAreRejectedWithBaseName) {
  expect_invalid("members_admin_ids[0]=1&members_admin_ids[1]=2",
                 "Parameter 'members_admin_ids' must be a comma-separated list");
  expect_invalid("body=x&to_ids[]=3", "Parameter 'to_ids' must be a comma-separated list");
  // http_build_query percent-encodes the brackets.
  expect_invalid("to_ids%5B0%5D=3", "Parameter 'to_ids' must be a comma-separated list");
  expect_invalid("a[x][y]=1", "Parameter 'a' must be a comma-separated list");
}

TEST(FormParamsTest, BracketsInValuesOrOddKeysAreNotArrays) {
  const FormParams params = parse_ok("body=[to:1]&[x]=2&k[=3");
  EXPECT_EQ(params.get("body"), "[to:1]");
  EXPECT_EQ(params.get("[x]"), "2");
  EXPECT_EQ(params.get("k["), "3");
}

TEST(FormParamsTest, MergeMissingFromAddsOnlyAbsentKeys) {
  FormParams body = parse_ok("action_type=leave");
  const FormParams query = parse_ok("action_type=delete&extra=1");
  body.merge_missing_from(query);
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body.get("action_type"), "leave");
  EXPECT_EQ(body.get("extra"), "1");
}

TEST(FormParamsTest, MergeMissingFromKeepsFirstOfRepeatedKeys) {
  FormParams target;
  const FormParams source = parse_ok("k=first&k=second");
  target.merge_missing_from(source);
  EXPECT_EQ(target.size(), 1u);
  EXPECT_EQ(target.get("k"), "first");
}

TEST(FormParamsTest, MergeMissingFromHandlesManyShortKeys) {
  // Short keys live in the string's inline buffer; merging must survive the vector growing.
  std::string encoded;
  for (int i = 0; i < 200; ++i) {
    // Appended piecewise: GCC 12 -O3 flags "literal" + std::string&& with a false -Wrestrict.
    encoded += 'k';
    encoded += std::to_string(i);
    encoded += "=v&";
  }
  FormParams target = parse_ok("k0=mine");
  target.merge_missing_from(parse_ok(encoded));
  EXPECT_EQ(target.size(), 200u);
  EXPECT_EQ(target.get("k0"), "mine");
  EXPECT_EQ(target.get("k199"), "v");
}

TEST(FormParamsTest, SetReplacesOrAppends) {
  FormParams params = parse_ok("a=1");
  params.set("a", "2");
  params.set("b", "3");
  EXPECT_EQ(params.size(), 2u);
  EXPECT_EQ(params.get("a"), "2");
  EXPECT_EQ(params.get("b"), "3");
}

TEST(FormParamsTest, TooManyPairsAreRefused) {
  std::string encoded;
  for (std::size_t i = 0; i <= kMaxFormPairs; ++i) {
    encoded += "a=1&";
  }
  const auto parsed = FormParams::parse_urlencoded(encoded);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
  std::string at_limit;
  for (std::size_t i = 0; i < kMaxFormPairs; ++i) {
    at_limit += "a=1&";
  }
  EXPECT_TRUE(FormParams::parse_urlencoded(at_limit).has_value());
}

}  // namespace
}  // namespace kaiwa::edge
