// BlobStore: where uploaded file bytes live (local directory now, S3-compatible later).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kaiwa::ports {

// Thread-safe. Blobs are immutable and content-addressed, so a put of the same bytes twice is
// harmless and a blob written before a failed transaction is only an orphan, never a dangling row.
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores bytes durably (fsync'd before returning) and returns their key.
  // Errors: kUnavailable when the medium fails.
  virtual core::Result<std::string> put(std::string_view bytes) = 0;

  // Returns the bytes of key. Errors: kNotFound for an unknown key, kUnavailable on I/O failure.
  virtual core::Result<std::string> get(std::string_view key) const = 0;
};

}  // namespace kaiwa::ports
