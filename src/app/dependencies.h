// What every use case may reach: the ports, plus settings fixed at start.
#pragma once

#include <cstdint>
#include <string>

#include "core/limits.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace kaiwa::app {

struct Dependencies {
  ports::Store& store;
  ports::Clock& clock;
  ports::Crypto& crypto;
  ports::BlobStore& blobs;
  // Base of links Kaiwa hands out (invitation links, download URLs), without a trailing slash.
  std::string public_url;
  std::int64_t max_upload_bytes = core::kDefaultMaxUploadBytes;
};

}  // namespace kaiwa::app
