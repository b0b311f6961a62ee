// BlobStore on a local directory, content-addressed by SHA-256 (design.md §2, embedded shape).
#pragma once

#include <filesystem>

#include "ports/blob_store.h"

namespace kaiwa::files {

// Thread-safe: every put writes a private temporary file and renames it into place.
class LocalBlobStore final : public ports::BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  core::Result<std::string> put(std::string_view bytes) override;
  core::Result<std::string> get(std::string_view key) const override;

 private:
  std::filesystem::path path_of(std::string_view key) const;

  const std::filesystem::path root_;
};

}  // namespace kaiwa::files
