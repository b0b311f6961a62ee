// Tests for FileService against the real SQLite store and blob directory: who may upload, what an
// upload records, and that refused uploads leave nothing behind.
#include "app/file_service.h"

#include <string>

#include <gtest/gtest.h>

#include "app/system_messages.h"
#include "support/app_test_base.h"

namespace kaiwa::app {
namespace {

using test::Counts;
using test::fails_with;
using test::is_ok;
using test::must;

class FileServiceTest : public test::AppTestBase {
 protected:
  FileService& files() { return app_.files; }
};

TEST_F(FileServiceTest, UploadRecordsTheFileAndItsNotice) {
  app_.clock().set_unix_ms(1'750'000'000'000);
  const core::FileId id =
      must(files().upload(bob_, room_, Upload{"report.pdf", "application/pdf", "%PDF-1.7", "FYI"}));
  const core::File file = must(files().get_file(carol_, room_, id));
  EXPECT_EQ(file.filename, "report.pdf");
  EXPECT_EQ(file.filesize, 8);
  EXPECT_EQ(file.content_type, "application/pdf");
  EXPECT_EQ(file.uploader.id, bob_);
  EXPECT_EQ(file.upload_time, 1'750'000'000);
  const core::Message notice = must(app_.messages.get_message(carol_, room_, file.message_id));
  EXPECT_EQ(notice.account.id, bob_);
  EXPECT_EQ(notice.body, file_uploaded_body("FYI", file, false));
  const core::Room room = app_.room(room_);
  EXPECT_EQ(room.file_num, 1);
  EXPECT_EQ(room.message_num, 2);
  EXPECT_EQ(unread(alice_), (Counts{1, 0}));
  EXPECT_EQ(unread(bob_), (Counts{0, 0}));
  EXPECT_EQ(app_.blob_count(), 1u);
  EXPECT_EQ(must(files().list_files(alice_, room_, std::nullopt)).size(), 1u);
  EXPECT_TRUE(must(files().list_files(alice_, room_, alice_)).empty());
}

TEST_F(FileServiceTest, ReadonlyMemberCannotUpload) {
  EXPECT_TRUE(fails_with(files().upload(carol_, room_, Upload{"a.txt", "text/plain", "data", ""}),
                         core::ErrorCode::kPermissionDenied));
  EXPECT_EQ(app_.room(room_).file_num, 0);
  EXPECT_EQ(app_.room(room_).message_num, 1);
  EXPECT_EQ(app_.blob_count(), 0u);
}

TEST_F(FileServiceTest, NonMemberGetsNotFoundAndWritesNoBytes) {
  const core::FileId id =
      must(files().upload(bob_, room_, Upload{"a.txt", "text/plain", "data", ""}));
  for (core::AccountId stranger : {dave_, erin_}) {
    EXPECT_TRUE(
        fails_with(files().upload(stranger, room_, Upload{"b.txt", "text/plain", "other", ""}),
                   core::ErrorCode::kNotFound));
    EXPECT_TRUE(
        fails_with(files().list_files(stranger, room_, std::nullopt), core::ErrorCode::kNotFound));
    EXPECT_TRUE(fails_with(files().get_file(stranger, room_, id), core::ErrorCode::kNotFound));
  }
  EXPECT_EQ(app_.blob_count(), 1u);
  EXPECT_EQ(app_.room(room_).file_num, 1);
}

TEST_F(FileServiceTest, BadUploadsAreRejectedWithNothingWritten) {
  EXPECT_TRUE(
      fails_with(files().upload(bob_, room_, Upload{"../etc/passwd", "text/plain", "x", ""}),
                 core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(files().upload(bob_, room_, Upload{"", "text/plain", "x", ""}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fails_with(files().upload(bob_, room_, Upload{"a.txt", "text/plain", "x", "\xff"}),
                         core::ErrorCode::kInvalidArgument));
  EXPECT_EQ(app_.room(room_).file_num, 0);
  EXPECT_EQ(app_.blob_count(), 0u);
}

TEST(FileServiceLimitTest, UploadOverTheLimitIsTooLarge) {
  test::TestAppOptions options;
  options.max_upload_bytes = 16;
  test::TestApp app(options);
  const auto org = app.create_org();
  const auto alice = app.create_account(org, "Alice");
  const core::RoomId room = app.create_group(alice);
  EXPECT_TRUE(fails_with(
      app.files.upload(alice, room,
                       Upload{"big.bin", "application/octet-stream", std::string(17, 'x'), ""}),
      core::ErrorCode::kPayloadTooLarge));
  EXPECT_EQ(app.blob_count(), 0u);
  EXPECT_TRUE(is_ok(app.files.upload(
      alice, room, Upload{"ok.bin", "application/octet-stream", std::string(16, 'x'), ""})));
}

}  // namespace
}  // namespace kaiwa::app
