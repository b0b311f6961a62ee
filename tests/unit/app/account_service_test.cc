// Tests for AccountService against the real SQLite store: accounts with their My Chat, and API
// tokens (issued once, stored as digests, revocable).
#include "app/account_service.h"

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/test_app.h"

namespace kaiwa::app {
namespace {

using test::fails_with;
using test::is_ok;
using test::must;

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { org_ = must(accounts().create_organization("Kaiwa Inc.")); }

  AccountService& accounts() { return app_.accounts; }

  test::TestApp app_;
  core::OrganizationId org_;
};

TEST_F(AccountServiceTest, CreateAccountMakesItsMyChatAndAToken) {
  const CreatedAccount created =
      must(accounts().create_account(org_, "Alice", "alice@kaiwa.test", std::nullopt));
  const core::Account me = must(accounts().me(created.account_id));
  EXPECT_EQ(me.name, "Alice");
  EXPECT_EQ(me.login_mail, "alice@kaiwa.test");
  EXPECT_EQ(me.organization_id, org_);
  EXPECT_EQ(me.organization_name, "Kaiwa Inc.");
  EXPECT_EQ(me.my_room_id, created.my_room_id);

  const core::RoomView my_chat = must(app_.rooms.get_room(created.account_id, created.my_room_id));
  EXPECT_EQ(my_chat.room.type, core::RoomType::kMy);
  EXPECT_EQ(my_chat.role, core::Role::kAdmin);
  EXPECT_EQ(must(app_.rooms.list_rooms(created.account_id)).size(), 1u);

  EXPECT_EQ(created.api_token.size(), 32u);
  EXPECT_EQ(must(accounts().authenticate(created.api_token)), created.account_id);
  // Only a digest is stored.
  EXPECT_EQ(app_.count_rows("api_tokens WHERE digest = '" + created.api_token + "'"), 0);
}

TEST_F(AccountServiceTest, EmailIsUnique) {
  must(accounts().create_account(org_, "Alice", "alice@kaiwa.test", std::nullopt));
  const std::int64_t rooms = app_.count_rows("rooms");
  EXPECT_TRUE(fails_with(accounts().create_account(org_, "Other", "alice@kaiwa.test", std::nullopt),
                         core::ErrorCode::kConflict));
  EXPECT_EQ(app_.count_rows("accounts"), 1);
  EXPECT_EQ(app_.count_rows("rooms"), rooms);
}

TEST_F(AccountServiceTest, BadInputIsRejected) {
  EXPECT_TRUE(fails_with(
      accounts().create_account(core::OrganizationId(999), "Alice", "a@kaiwa.test", std::nullopt),
      core::ErrorCode::kNotFound));
  for (const char* email : {"", "no-at-sign", "@kaiwa.test", "alice@", "al ice@kaiwa.test"}) {
    EXPECT_TRUE(fails_with(accounts().create_account(org_, "Alice", email, std::nullopt),
                           core::ErrorCode::kInvalidArgument))
        << email;
  }
  EXPECT_TRUE(fails_with(accounts().create_account(org_, "", "a@kaiwa.test", std::nullopt),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(accounts().create_account(org_, "\xff", "a@kaiwa.test", std::nullopt),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(
      accounts().create_account(org_, "Alice", "a@kaiwa.test", std::string_view("short")),
      core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(accounts().create_organization(""), core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.count_rows("accounts"), 0);
}

TEST_F(AccountServiceTest, TokensAuthenticateUntilRevoked) {
  const CreatedAccount created =
      must(accounts().create_account(org_, "Alice", "alice@kaiwa.test", std::nullopt));
  const std::string second = must(accounts().create_token(created.account_id));
  EXPECT_NE(second, created.api_token);
  EXPECT_EQ(must(accounts().authenticate(second)), created.account_id);

  ASSERT_TRUE(is_ok(accounts().revoke_token(created.api_token)));
  EXPECT_TRUE(
      fails_with(accounts().authenticate(created.api_token), core::ErrorCode::kUnauthenticated));
  EXPECT_EQ(must(accounts().authenticate(second)), created.account_id);
  EXPECT_TRUE(fails_with(accounts().revoke_token(created.api_token), core::ErrorCode::kNotFound));

  EXPECT_TRUE(fails_with(accounts().authenticate(""), core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(
      fails_with(accounts().authenticate("not-a-token"), core::ErrorCode::kUnauthenticated));
  EXPECT_TRUE(
      fails_with(accounts().create_token(core::AccountId(999)), core::ErrorCode::kNotFound));
}

}  // namespace
}  // namespace kaiwa::app
