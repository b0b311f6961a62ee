// The composition root: builds the adapters, services and API of one Kaiwa process.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "adapters/crypto/openssl_crypto.h"
#include "adapters/files/local_blob_store.h"
#include "adapters/groonga/groonga_search_index.h"
#include "adapters/groonga/groonga_text_normalizer.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/account_service.h"
#include "app/colleague_service.h"
#include "app/contact_service.h"
#include "app/file_service.h"
#include "app/invitation_service.h"
#include "app/message_service.h"
#include "app/profile_service.h"
#include "app/room_service.h"
#include "app/search_service.h"
#include "app/session_service.h"
#include "app/stream_service.h"
#include "app/task_service.h"
#include "server/config.h"

namespace kaiwa::server {

// Owns everything a process needs; members are built in declaration order and destroyed in
// reverse, so services never outlive the store. Thread-safe as its parts are.
struct Application {
  std::unique_ptr<sqlite::SqliteStore> store;
  std::unique_ptr<crypto::OpensslCrypto> crypto;
  std::unique_ptr<files::LocalBlobStore> blobs;
  // NFKC folding for the colleague filter (independent of the search index).
  std::unique_ptr<groonga::GroongaTextNormalizer> normalizer;
  ports::SystemClock clock;
  std::unique_ptr<app::AccountService> accounts;
  std::unique_ptr<app::ContactService> contacts;
  std::unique_ptr<app::ColleagueService> colleagues;
  std::unique_ptr<app::RoomService> rooms;
  std::unique_ptr<app::MessageService> messages;
  std::unique_ptr<app::TaskService> tasks;
  std::unique_ptr<app::FileService> files;
  std::unique_ptr<app::StreamService> stream;
  std::unique_ptr<app::SessionService> sessions;
  std::unique_ptr<app::ProfileService> profiles;
  std::unique_ptr<app::InvitationService> invitations;
  std::unique_ptr<app::Dependencies> dependencies;
  // Opened only by the process that indexes (the server, `kaiwa reindex`): one at a time.
  std::unique_ptr<groonga::GroongaSearchIndex> search_index;
  std::unique_ptr<app::SearchService> search;
};

// Opens the data directory (creating it and migrating the schema as needed).
core::Result<std::unique_ptr<Application>> open_application(const Config& config);

// Where the search index lives, or nullopt when search is turned off (--search off).
// Errors: kInvalidArgument for a --search value other than off or groonga://PATH.
core::Result<std::optional<std::filesystem::path>> search_directory(const Config& config);

// Opens the search index and its use cases into application. Errors: kConflict when another
// process holds the index, kUnavailable when it cannot be opened.
core::Status open_search(Application& application, const std::filesystem::path& directory);

}  // namespace kaiwa::server
