// AppTestBase: a fixture for use-case tests with a cast of accounts and one group chat.
//   org_:      Alice (admin of room_), Bob (member), Carol (readonly), Dave (colleague, not in it)
//   other_org_: Erin, who is neither a colleague nor a contact of anyone.
// Everyone in room_ has read its creation notice, so unread counters start at zero.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "support/test_app.h"

namespace kaiwa::test {

class AppTestBase : public ::testing::Test {
 protected:
  void SetUp() override {
    org_ = app_.create_org("Kaiwa Inc.");
    alice_ = app_.create_account(org_, "Alice");
    bob_ = app_.create_account(org_, "Bob");
    carol_ = app_.create_account(org_, "Carol");
    dave_ = app_.create_account(org_, "Dave");
    other_org_ = app_.create_org("Other Corp");
    erin_ = app_.create_account(other_org_, "Erin");
    room_ = app_.create_group(alice_, {bob_}, {carol_});
    must(app_.messages.mark_read(bob_, room_, std::nullopt), "mark_read");
    must(app_.messages.mark_read(carol_, room_, std::nullopt), "mark_read");
  }

  // {unread_num, mention_num} of account in room_ (a pair, so gtest prints both on failure).
  std::pair<std::int64_t, std::int64_t> unread(core::AccountId account) {
    return pair_of(app_.counts(room_, account));
  }

  static std::pair<std::int64_t, std::int64_t> pair_of(const ports::UnreadCounts& counts) {
    return {counts.unread_num, counts.mention_num};
  }

  TestApp app_;
  core::OrganizationId org_;
  core::OrganizationId other_org_;
  core::AccountId alice_;
  core::AccountId bob_;
  core::AccountId carol_;
  core::AccountId dave_;
  core::AccountId erin_;
  core::RoomId room_;
};

using Counts = std::pair<std::int64_t, std::int64_t>;

// "[To:<id>]" for body text.
inline std::string to_tag(core::AccountId id) { return numbered("[To:", id.value, "]"); }

}  // namespace kaiwa::test
