// Tests for SessionService: browser sign-in with Argon2id passwords, expiry, throttling of
// failures, sign-out and password change (which revoke through the event log), CSRF tokens.
#include "app/session_service.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/result_assertions.h"
#include "support/test_app.h"

namespace kaiwa::app {
namespace {

constexpr std::string_view kPassword = "correct horse battery";

class SessionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const core::OrganizationId org = app_.create_org();
    alice_ = test::must(app_.accounts.create_account(org, "Alice", "alice@kaiwa.test", kPassword),
                        "create_account")
                 .account_id;
    nopass_ = test::must(app_.accounts.create_account(org, "Bot", "bot@kaiwa.test", std::nullopt),
                         "create_account")
                  .account_id;
  }

  core::Result<SignedIn> sign_in(std::string_view email = "alice@kaiwa.test",
                                 std::string_view password = kPassword,
                                 std::string_view client = "192.0.2.1") {
    return sessions_.sign_in(email, password, client);
  }

  bool authenticates(const SignedIn& session) {
    auto caller = app_.accounts.authenticate(session.token);
    return caller && *caller == session.account;
  }

  std::string last_event_type() {
    auto bounds = test::must(app_.stream.bounds(), "bounds");
    auto events = test::must(app_.stream.tail(bounds.head - 1, 1), "tail");
    return events.empty() ? "" : events.back().type;
  }

  test::TestApp app_;
  SessionService sessions_{app_.deps()};
  core::AccountId alice_;
  core::AccountId nopass_;
};

TEST_F(SessionServiceTest, SignsInWithTheRightPasswordOnly) {
  SignedIn session = test::must(sign_in(), "sign_in");
  EXPECT_EQ(session.account, alice_);
  EXPECT_EQ(session.token_digest, app_.crypto().token_digest(session.token));
  EXPECT_EQ(session.expires_at, app_.clock().now_unix() + SessionService::kSessionSeconds);
  EXPECT_TRUE(authenticates(session));

  EXPECT_TRUE(test::fails_with(sign_in("alice@kaiwa.test", "wrong password"),
                               core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(test::fails_with(sign_in("nobody@kaiwa.test"), core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(test::fails_with(sign_in("bot@kaiwa.test", "anything at all"),
                               core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(test::fails_with(sign_in("", ""), core::ErrorCode::kInvalidArgument));
}

TEST_F(SessionServiceTest, SessionsExpire) {
  SignedIn session = test::must(sign_in(), "sign_in");
  app_.clock().advance_ms((SessionService::kSessionSeconds - 1) * 1000);
  EXPECT_TRUE(authenticates(session));
  app_.clock().advance_ms(1000);
  EXPECT_FALSE(authenticates(session));
}

TEST_F(SessionServiceTest, FailuresAreThrottledPerEmailUntilTheWindowEnds) {
  for (int i = 0; i < SessionService::kMaxFailures; ++i) {
    EXPECT_TRUE(
        test::fails_with(sign_in("alice@kaiwa.test", "guess", "198.51.100." + std::to_string(i)),
                         core::ErrorCode::kUnauthenticated));
  }
  EXPECT_TRUE(test::fails_with(sign_in(), core::ErrorCode::kRateLimited));
  app_.clock().advance_ms(SessionService::kFailureWindowSeconds * 1000);
  EXPECT_TRUE(test::is_ok(sign_in()));
}

TEST_F(SessionServiceTest, FailuresAreThrottledPerClientAcrossEmails) {
  for (int i = 0; i < SessionService::kMaxFailuresPerClient; ++i) {
    EXPECT_TRUE(test::fails_with(sign_in("user" + std::to_string(i) + "@kaiwa.test", "guess"),
                                 core::ErrorCode::kUnauthenticated));
  }
  EXPECT_TRUE(test::fails_with(sign_in(), core::ErrorCode::kRateLimited));
  EXPECT_TRUE(test::is_ok(sign_in("alice@kaiwa.test", kPassword, "203.0.113.9")));
}

TEST_F(SessionServiceTest, SignOutRevokesTheSessionThroughTheLog) {
  SignedIn session = test::must(sign_in(), "sign_in");
  ASSERT_TRUE(test::is_ok(sessions_.sign_out(session.token_digest)));
  EXPECT_FALSE(authenticates(session));
  EXPECT_EQ(last_event_type(), "token_revoked");
  EXPECT_TRUE(
      test::fails_with(sessions_.sign_out(session.token_digest), core::ErrorCode::kNotFound));
}

TEST_F(SessionServiceTest, ChangingThePasswordSignsOutTheOtherSessionsOnly) {
  SignedIn here = test::must(sign_in(), "sign_in");
  SignedIn elsewhere = test::must(sign_in(), "sign_in");
  const std::string api_token = test::must(app_.accounts.create_token(alice_), "token");

  EXPECT_TRUE(test::fails_with(
      sessions_.change_password(alice_, here.token_digest, "wrong", "a new long password"),
      core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      test::fails_with(sessions_.change_password(alice_, here.token_digest, kPassword, "short"),
                       core::ErrorCode::kInvalidArgument));
  ASSERT_TRUE(test::is_ok(
      sessions_.change_password(alice_, here.token_digest, kPassword, "a new long password")));
  EXPECT_TRUE(authenticates(here));
  EXPECT_FALSE(authenticates(elsewhere));
  EXPECT_TRUE(test::is_ok(app_.accounts.authenticate(api_token)));
  EXPECT_EQ(last_event_type(), "token_revoked");
  EXPECT_TRUE(test::fails_with(sign_in(), core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(test::is_ok(sign_in("alice@kaiwa.test", "a new long password")));
}

TEST_F(SessionServiceTest, CsrfTokensAreBoundToTheirSession) {
  SignedIn first = test::must(sign_in(), "sign_in");
  SignedIn second = test::must(sign_in(), "sign_in");
  const std::string csrf = sessions_.csrf_token(first.token_digest);
  EXPECT_TRUE(sessions_.csrf_matches(first.token_digest, csrf));
  EXPECT_FALSE(sessions_.csrf_matches(second.token_digest, csrf));
  EXPECT_FALSE(sessions_.csrf_matches(first.token_digest, ""));
  EXPECT_FALSE(sessions_.csrf_matches(first.token_digest, csrf.substr(1)));
}

}  // namespace
}  // namespace kaiwa::app
