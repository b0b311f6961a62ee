// The composition root: builds the adapters, services and API of one Kaiwa process.
#pragma once

#include <memory>

#include "adapters/crypto/openssl_crypto.h"
#include "adapters/files/local_blob_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/account_service.h"
#include "app/contact_service.h"
#include "app/file_service.h"
#include "app/message_service.h"
#include "app/room_service.h"
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
  ports::SystemClock clock;
  std::unique_ptr<app::AccountService> accounts;
  std::unique_ptr<app::ContactService> contacts;
  std::unique_ptr<app::RoomService> rooms;
  std::unique_ptr<app::MessageService> messages;
  std::unique_ptr<app::TaskService> tasks;
  std::unique_ptr<app::FileService> files;
  std::unique_ptr<app::StreamService> stream;
};

// Opens the data directory (creating it and migrating the schema as needed).
core::Result<std::unique_ptr<Application>> open_application(const Config& config);

}  // namespace kaiwa::server
