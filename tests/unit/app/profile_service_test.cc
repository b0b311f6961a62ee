// Tests for ProfileService: profile edits (trimming, limits, fields kept when left out), pictures
// (sniffed types, the size limit, URLs that name the content, removal), and the account_updated
// events that tell the account's rooms.
#include "app/profile_service.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.h"
#include "support/result_assertions.h"
#include "support/test_app.h"

namespace kaiwa::app {
namespace {

using test::fails_with;
using test::must;
using std::string_view_literals::operator""sv;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "rest of a picture";

class ProfileServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const core::OrganizationId org = app_.create_org();
    alice_ = app_.create_account(org, "Alice");
    bob_ = app_.create_account(org, "Bob");
    carol_ = app_.create_account(org, "Carol");
    app_.make_contacts(alice_, bob_);
    room_ = app_.create_group(alice_, {carol_});
  }

  core::Account account(core::AccountId id) { return must(app_.accounts.me(id), "me"); }

  // account_updated events after pos, as (room, name) pairs.
  std::vector<core::Event> updates_after(std::int64_t pos) {
    std::vector<core::Event> out;
    for (core::Event& event : must(app_.stream.tail(pos, 1000), "tail")) {
      if (event.type == "account_updated") {
        out.push_back(std::move(event));
      }
    }
    return out;
  }

  std::int64_t head() { return must(app_.stream.bounds(), "bounds").head; }

  test::TestApp app_;
  ProfileService profiles_{app_.deps()};
  core::AccountId alice_;
  core::AccountId bob_;
  core::AccountId carol_;
  core::RoomId room_;
};

TEST_F(ProfileServiceTest, SniffsImageTypesByTheirFirstBytes) {
  EXPECT_EQ(sniff_image_type(kPng)->content_type, "image/png");
  EXPECT_EQ(sniff_image_type("\xFF\xD8\xFF\xE0....")->content_type, "image/jpeg");
  EXPECT_EQ(sniff_image_type("GIF89a....")->content_type, "image/gif");
  EXPECT_EQ(sniff_image_type("GIF87a....")->extension, "gif");
  EXPECT_EQ(sniff_image_type("RIFF\x10\0\0\0WEBPVP8 "sv)->content_type, "image/webp");
  EXPECT_FALSE(sniff_image_type("RIFF\x10\0\0\0WAVEfmt "sv));
  EXPECT_FALSE(sniff_image_type("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
  EXPECT_FALSE(sniff_image_type("\x89PNG"));
  EXPECT_FALSE(sniff_image_type(""));
}

TEST_F(ProfileServiceTest, UpdatesTrimmedFieldsAndKeepsThoseLeftOut) {
  ProfileUpdate update;
  update.name =
      " \xE3\x80\x80"
      "Alice Liddell\t";
  update.title = "  Engineer ";
  update.department = "R&D";
  update.introduction = "Line one\nLine two";
  update.url = "HTTPS://example.com";
  core::Account updated = must(profiles_.update_profile(alice_, update), "update");
  EXPECT_EQ(updated.name, "Alice Liddell");
  EXPECT_EQ(updated.title, "Engineer");
  EXPECT_EQ(updated.introduction, "Line one\nLine two");
  EXPECT_EQ(account(alice_).department, "R&D");

  ProfileUpdate rename;
  rename.name = "Alice L.";
  rename.department = "";
  must(profiles_.update_profile(alice_, rename), "rename");
  const core::Account now = account(alice_);
  EXPECT_EQ(now.name, "Alice L.");
  EXPECT_EQ(now.department, "");
  EXPECT_EQ(now.title, "Engineer");
  EXPECT_EQ(now.url, "HTTPS://example.com");
}

TEST_F(ProfileServiceTest, RejectsBadInputAndChangesNothing) {
  auto attempt = [&](auto edit) {
    ProfileUpdate update;
    update.name = "Valid";
    edit(update);
    return profiles_.update_profile(alice_, update);
  };
  using core::ErrorCode;
  EXPECT_TRUE(
      fails_with(attempt([](ProfileUpdate& u) { u.name = ""; }), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.name = " \xE3\x80\x80 "; }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.name = std::string(256, 'n'); }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(
      fails_with(attempt([](ProfileUpdate& u) { u.name = "a\nb"; }), ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.name = "bad \xFF utf-8"; }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.url = "javascript:alert(1)"; }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.url = "https://"; }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) { u.tel_mobile = std::string(256, '1'); }),
                         ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(attempt([](ProfileUpdate& u) {
                           u.introduction = std::string(core::kMaxIntroductionChars + 1, 'i');
                         }),
                         ErrorCode::kInvalidArgument));
  EXPECT_EQ(account(alice_).name, "Alice");
  // Multi-byte names count characters, not bytes.
  ProfileUpdate longest;
  for (std::size_t i = 0; i < core::kMaxAccountNameChars; ++i) {
    longest.name += "\xE5\xB1\xB1";  // 山
  }
  EXPECT_TRUE(test::is_ok(profiles_.update_profile(alice_, longest)));
}

TEST_F(ProfileServiceTest, TellsEveryRoomOfTheAccountOnce) {
  const std::int64_t before = head();
  ProfileUpdate update;
  update.name = "Alice Renamed";
  must(profiles_.update_profile(alice_, update), "update");
  std::set<std::int64_t> rooms;
  for (const core::Event& event : updates_after(before)) {
    EXPECT_TRUE(event.to_room_members);
    EXPECT_NE(event.payload_json.find("\"name\":\"Alice Renamed\""), std::string::npos);
    EXPECT_TRUE(rooms.insert(event.room.value).second) << "one event per room";
  }
  // Her My Chat, the direct chat with Bob, and the group with Carol.
  EXPECT_EQ(rooms.size(), 3U);
  EXPECT_TRUE(rooms.contains(room_.value));
  EXPECT_TRUE(rooms.contains(account(alice_).my_room_id.value));
}

TEST_F(ProfileServiceTest, StoresAPictureAtAUrlNamingItsContent) {
  EXPECT_EQ(account(alice_).avatar_image_url, "");
  core::Account with = must(profiles_.set_avatar(alice_, kPng), "set_avatar");
  const std::string prefix =
      std::string(test::kTestPublicUrl) + "/avatars/" + std::to_string(alice_.value) + "/";
  ASSERT_TRUE(with.avatar_image_url.starts_with(prefix)) << with.avatar_image_url;
  ASSERT_TRUE(with.avatar_image_url.ends_with(".png"));
  const std::string file = with.avatar_image_url.substr(prefix.size());
  AvatarImage image = must(profiles_.avatar(alice_, file), "avatar");
  EXPECT_EQ(image.content_type, "image/png");
  EXPECT_EQ(image.bytes, kPng);
  EXPECT_TRUE(fails_with(profiles_.avatar(bob_, file), core::ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(profiles_.avatar(alice_, "other.png"), core::ErrorCode::kNotFound));

  const std::int64_t before = head();
  core::Account without = must(profiles_.remove_avatar(alice_), "remove_avatar");
  EXPECT_EQ(without.avatar_image_url, "");
  EXPECT_EQ(updates_after(before).size(), 3U);
  EXPECT_TRUE(fails_with(profiles_.avatar(alice_, file), core::ErrorCode::kNotFound));
  // Removing what is not there records nothing.
  const std::int64_t after_removal = head();
  must(profiles_.remove_avatar(alice_), "remove again");
  EXPECT_TRUE(updates_after(after_removal).empty());
}

TEST_F(ProfileServiceTest, RefusesPicturesThatAreNotImagesOrTooBig) {
  EXPECT_TRUE(fails_with(profiles_.set_avatar(alice_, "<html>not a picture</html>"),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(profiles_.set_avatar(alice_, ""), core::ErrorCode::kInvalidArgument));
  std::string big = kPng;
  big.resize(static_cast<std::size_t>(core::kMaxAvatarBytes) + 1, '\0');
  EXPECT_TRUE(fails_with(profiles_.set_avatar(alice_, big), core::ErrorCode::kPayloadTooLarge));
  big.resize(static_cast<std::size_t>(core::kMaxAvatarBytes));
  EXPECT_TRUE(test::is_ok(profiles_.set_avatar(alice_, big)));
}

}  // namespace
}  // namespace kaiwa::app
