// Tests for the one place errors become HTTP: /v2 keeps Chatwork's body exactly, /kaiwa/v1 adds
// the machine-readable code, and both carry a reason in X-Kaiwa-Error-Code.
#include "api/chatwork/error_mapping.h"

#include <string>

#include <gtest/gtest.h>

namespace kaiwa::api::chatwork {
namespace {

std::string header_of(const edge::HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "<absent>";
}

TEST(ErrorMappingTest, ChatworkBodyStaysExactAndTheReasonGoesInAHeader) {
  const auto response =
      error_response(core::Error::invalid_argument("Parameter 'members_admin_ids' is required")
                         .because(core::reason::kLastAdmin));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, R"({"errors":["Parameter 'members_admin_ids' is required"]})");
  EXPECT_EQ(header_of(response, std::string(kErrorCodeHeader)), "last_admin");
}

TEST(ErrorMappingTest, ChatworkErrorsWithoutAReasonAddNoHeader) {
  const auto response = error_response(core::Error::not_found("Room not found"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(header_of(response, std::string(kErrorCodeHeader)), "<absent>");
}

TEST(ErrorMappingTest, KaiwaBodyCarriesTheReasonOrTheKindOfFailure) {
  const auto coded =
      kaiwa_error_response(core::Error::invalid_argument("the query needs a word to look for")
                               .because(core::reason::kSearchNoWord));
  EXPECT_EQ(coded.status, 400);
  EXPECT_EQ(coded.body,
            R"({"errors":["the query needs a word to look for"],"code":"search_no_word"})");
  EXPECT_EQ(header_of(coded, std::string(kErrorCodeHeader)), "search_no_word");
  const auto plain = kaiwa_error_response(core::Error::not_found("Not found"));
  EXPECT_EQ(plain.body, R"({"errors":["Not found"],"code":"not_found"})");
}

TEST(ErrorMappingTest, KaiwaServerErrorsHideTheirDetailsButKeepTheCode) {
  const auto response =
      kaiwa_error_response(core::Error::unavailable("groonga said something internal")
                               .because(core::reason::kSearchRebuilding));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body,
            R"({"errors":["Service temporarily unavailable"],"code":"search_rebuilding"})");
}

}  // namespace
}  // namespace kaiwa::api::chatwork
