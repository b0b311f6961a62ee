// Tests for ContactService against the real SQLite store: contact requests, and the direct chat
// that accepting one creates for both sides.
#include "app/contact_service.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::Counts;
using test::fails_with;
using test::is_ok;
using test::must;

class ContactServiceTest : public test::AppTestBase {
 protected:
  ContactService& contacts() { return app_.contacts; }

  std::vector<std::int64_t> contact_ids(core::AccountId account) {
    std::vector<std::int64_t> ids;
    for (const core::Contact& contact : must(contacts().list_contacts(account))) {
      ids.push_back(contact.account.id.value);
    }
    return ids;
  }

  std::vector<core::RoomView> direct_rooms(core::AccountId account) {
    auto views = must(app_.rooms.list_rooms(account));
    views.erase(std::remove_if(views.begin(), views.end(),
                               [](const core::RoomView& view) {
                                 return view.room.type != core::RoomType::kDirect;
                               }),
                views.end());
    return views;
  }
};

TEST_F(ContactServiceTest, AcceptingCreatesADirectChatVisibleToBoth) {
  const core::RequestId request = must(contacts().send_request(alice_, erin_, "Let's connect"));
  const auto incoming = must(contacts().incoming_requests(erin_));
  ASSERT_EQ(incoming.size(), 1u);
  EXPECT_EQ(incoming[0].id, request);
  EXPECT_EQ(incoming[0].from.id, alice_);
  EXPECT_EQ(incoming[0].from.name, "Alice");
  EXPECT_EQ(incoming[0].message, "Let's connect");
  EXPECT_TRUE(must(contacts().incoming_requests(alice_)).empty());

  const core::Contact accepted = must(contacts().accept_request(erin_, request));
  EXPECT_EQ(accepted.account.id, alice_);
  EXPECT_EQ(accepted.account.name, "Alice");
  EXPECT_TRUE(must(contacts().incoming_requests(erin_)).empty());

  const auto of_alice = must(contacts().list_contacts(alice_));
  const auto of_erin = must(contacts().list_contacts(erin_));
  ASSERT_EQ(of_alice.size(), 1u);
  ASSERT_EQ(of_erin.size(), 1u);
  EXPECT_EQ(of_alice[0].account.id, erin_);
  EXPECT_EQ(of_erin[0].account.id, alice_);
  EXPECT_EQ(of_alice[0].room_id, accepted.room_id);
  EXPECT_EQ(of_erin[0].room_id, accepted.room_id);

  // Both see the direct chat, each named after the other person.
  const core::RoomView for_alice = must(app_.rooms.get_room(alice_, accepted.room_id));
  const core::RoomView for_erin = must(app_.rooms.get_room(erin_, accepted.room_id));
  EXPECT_EQ(for_alice.room.type, core::RoomType::kDirect);
  EXPECT_EQ(for_alice.room.name, "Erin");
  EXPECT_EQ(for_erin.room.name, "Alice");
  EXPECT_EQ(for_alice.role, core::Role::kAdmin);
  EXPECT_EQ(for_erin.role, core::Role::kAdmin);
  const auto alice_directs = direct_rooms(alice_);
  const auto erin_directs = direct_rooms(erin_);
  ASSERT_EQ(alice_directs.size(), 1u);
  ASSERT_EQ(erin_directs.size(), 1u);
  EXPECT_EQ(alice_directs[0].room.name, "Erin");
  EXPECT_EQ(erin_directs[0].room.name, "Alice");
  // Strangers still cannot see it.
  EXPECT_TRUE(fails_with(app_.rooms.get_room(bob_, accepted.room_id), core::ErrorCode::kNotFound));

  // And both can talk in it.
  app_.post(alice_, accepted.room_id, "Hi Erin");
  EXPECT_EQ(test::AppTestBase::pair_of(app_.counts(accepted.room_id, erin_)), (Counts{1, 0}));
  EXPECT_EQ(must(app_.rooms.my_status(erin_)).unread_num, 1);
}

TEST_F(ContactServiceTest, AcceptedContactCanBeAddedToRooms) {
  NewRoom request;
  request.name = "With Erin";
  request.members.admin_ids = {alice_};
  request.members.member_ids = {erin_};
  EXPECT_TRUE(
      fails_with(app_.rooms.create_room(alice_, request), core::ErrorCode::kInvalidArgument));
  must(contacts().accept_request(erin_, must(contacts().send_request(alice_, erin_, ""))));
  EXPECT_TRUE(is_ok(app_.rooms.create_room(alice_, request)));
}

TEST_F(ContactServiceTest, RejectingRemovesTheRequestWithoutAContact) {
  const core::RequestId request = must(contacts().send_request(alice_, erin_, "hello"));
  ASSERT_TRUE(is_ok(contacts().reject_request(erin_, request)));
  EXPECT_TRUE(must(contacts().incoming_requests(erin_)).empty());
  EXPECT_TRUE(contact_ids(alice_).empty());
  EXPECT_TRUE(contact_ids(erin_).empty());
  EXPECT_TRUE(direct_rooms(erin_).empty());
  EXPECT_TRUE(fails_with(contacts().accept_request(erin_, request), core::ErrorCode::kNotFound));
  // A new request may follow a rejected one.
  EXPECT_TRUE(is_ok(contacts().send_request(alice_, erin_, "again?")));
}

TEST_F(ContactServiceTest, OnlyTheAddresseeAcceptsOrRejects) {
  const core::RequestId request = must(contacts().send_request(alice_, erin_, ""));
  for (core::AccountId other : {alice_, bob_}) {
    EXPECT_TRUE(fails_with(contacts().accept_request(other, request), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(contacts().reject_request(other, request), core::ErrorCode::kNotFound));
  }
  EXPECT_EQ(must(contacts().incoming_requests(erin_)).size(), 1u);
  EXPECT_TRUE(contact_ids(alice_).empty());
  EXPECT_TRUE(fails_with(contacts().accept_request(erin_, core::RequestId(777)),
                         core::ErrorCode::kNotFound));
}

TEST_F(ContactServiceTest, InvalidRequestsAreRejected) {
  EXPECT_TRUE(
      fails_with(contacts().send_request(alice_, alice_, ""), core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(contacts().send_request(alice_, core::AccountId(99'999), ""),
                         core::ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(contacts().send_request(alice_, erin_, "\xff"),
                         core::ErrorCode::kInvalidArgument));
  must(contacts().send_request(alice_, erin_, "first"));
  EXPECT_TRUE(fails_with(contacts().send_request(alice_, erin_, "second"),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(must(contacts().incoming_requests(erin_)).size(), 1u);
  EXPECT_EQ(must(contacts().incoming_requests(erin_))[0].message, "first");

  app_.make_contacts(bob_, erin_);
  EXPECT_TRUE(
      fails_with(contacts().send_request(bob_, erin_, ""), core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      fails_with(contacts().send_request(erin_, bob_, ""), core::ErrorCode::kInvalidArgument));
}

TEST_F(ContactServiceTest, AddContactIsIdempotentAndSymmetric) {
  ASSERT_TRUE(is_ok(contacts().add_contact(alice_, erin_)));
  ASSERT_TRUE(is_ok(contacts().add_contact(alice_, erin_)));
  ASSERT_TRUE(is_ok(contacts().add_contact(erin_, alice_)));
  EXPECT_EQ(contact_ids(alice_), std::vector<std::int64_t>{erin_.value});
  EXPECT_EQ(contact_ids(erin_), std::vector<std::int64_t>{alice_.value});
  EXPECT_EQ(direct_rooms(alice_).size(), 1u);
  EXPECT_EQ(direct_rooms(erin_).size(), 1u);
  EXPECT_TRUE(
      fails_with(contacts().add_contact(alice_, alice_), core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(contacts().add_contact(alice_, core::AccountId(99'999)),
                         core::ErrorCode::kNotFound));
}

TEST_F(ContactServiceTest, AcceptingACrossedRequestAnswersTheExistingContact) {
  const core::RequestId from_erin = must(contacts().send_request(erin_, alice_, ""));
  const core::RequestId from_alice = must(contacts().send_request(alice_, erin_, ""));
  const core::Contact first = must(contacts().accept_request(alice_, from_erin));
  const std::int64_t rooms_before = app_.count_rows("rooms");
  // Both asked; accepting the second request answers with the contact the first one made.
  const core::Contact second = must(contacts().accept_request(erin_, from_alice));
  EXPECT_EQ(second.account.id, alice_);
  EXPECT_EQ(second.room_id, first.room_id);
  EXPECT_EQ(app_.count_rows("rooms"), rooms_before);
  EXPECT_EQ(direct_rooms(erin_).size(), 1u);
  EXPECT_TRUE(must(contacts().incoming_requests(erin_)).empty());
}

TEST_F(ContactServiceTest, RequestByEmailReachesTheAccountIgnoringCase) {
  const std::string email = must(app_.accounts.me(erin_)).login_mail;
  std::string shouted = email;
  std::transform(shouted.begin(), shouted.end(), shouted.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  ASSERT_TRUE(is_ok(contacts().send_request_to_email(alice_, shouted, "Hello by email")));
  const auto incoming = must(contacts().incoming_requests(erin_));
  ASSERT_EQ(incoming.size(), 1u);
  EXPECT_EQ(incoming[0].from.id, alice_);
  EXPECT_EQ(incoming[0].message, "Hello by email");
  // A repeat answers the same, and sends nothing twice.
  ASSERT_TRUE(is_ok(contacts().send_request_to_email(alice_, email, "again")));
  EXPECT_EQ(must(contacts().incoming_requests(erin_)).size(), 1u);
}

TEST_F(ContactServiceTest, RequestByEmailAnswersAlikeForAnEmailWithoutAnAccount) {
  const std::int64_t requests_before = app_.count_rows("contact_requests");
  EXPECT_TRUE(is_ok(contacts().send_request_to_email(alice_, "nobody@example.com", "")));
  EXPECT_EQ(app_.count_rows("contact_requests"), requests_before);
}

TEST_F(ContactServiceTest, RequestByEmailTellsOnlyWhatTheCallerKnows) {
  const std::string own = must(app_.accounts.me(alice_)).login_mail;
  auto self = contacts().send_request_to_email(alice_, own, "");
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().reason, core::reason::kContactSelf);
  app_.make_contacts(alice_, erin_);
  auto contact =
      contacts().send_request_to_email(alice_, must(app_.accounts.me(erin_)).login_mail, "");
  ASSERT_FALSE(contact.has_value());
  EXPECT_EQ(contact.error().reason, core::reason::kContactExists);
  auto malformed = contacts().send_request_to_email(alice_, "not an email", "");
  ASSERT_FALSE(malformed.has_value());
  EXPECT_EQ(malformed.error().reason, core::reason::kInvalidEmail);
}

TEST_F(ContactServiceTest, RequestByIdErrorsCarryReasons) {
  auto self = contacts().send_request(alice_, alice_, "");
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().reason, core::reason::kContactSelf);
  auto unknown = contacts().send_request(alice_, core::AccountId(99'999), "");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().reason, core::reason::kAccountNotFound);
  must(contacts().send_request(alice_, erin_, ""));
  auto pending = contacts().send_request(alice_, erin_, "");
  ASSERT_FALSE(pending.has_value());
  EXPECT_EQ(pending.error().reason, core::reason::kContactRequestPending);
}

}  // namespace
}  // namespace kaiwa::app
