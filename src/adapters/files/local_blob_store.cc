#include "adapters/files/local_blob_store.h"

#include <array>
#include <atomic>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

namespace kaiwa::files {
namespace {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

bool is_valid_key(std::string_view key) {
  if (key.size() != 64) {
    return false;
  }
  for (char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

core::Status write_durably(const std::filesystem::path& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return core::Error::unavailable("cannot create " + path.string());
  }
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      ::close(fd);
      return core::Error::unavailable("cannot write " + path.string());
    }
    written += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    return core::Error::unavailable("cannot fsync " + path.string());
  }
  return core::ok();
}

void fsync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::filesystem::path LocalBlobStore::path_of(std::string_view key) const {
  return root_ / std::string(key.substr(0, 2)) / std::string(key);
}

core::Result<std::string> LocalBlobStore::put(std::string_view bytes) {
  std::string key = sha256_hex(bytes);
  std::filesystem::path final_path = path_of(key);
  std::error_code ec;
  if (std::filesystem::exists(final_path, ec)) {
    return key;
  }
  const bool created = std::filesystem::create_directories(final_path.parent_path(), ec);
  if (ec) {
    return core::Error::unavailable("cannot create " + final_path.parent_path().string());
  }
  if (created) {
    // A new fan-out directory is itself an entry of the root: make that entry durable too, or a
    // crash could keep the database row and lose the path to its bytes.
    fsync_directory(root_);
    fsync_directory(root_.parent_path());  // the root itself may be new (the first upload)
  }
  static std::atomic<std::uint64_t> counter{0};
  std::filesystem::path temp_path =
      final_path.parent_path() /
      (key + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++));
  KAIWA_TRY(write_durably(temp_path, bytes));
  std::filesystem::rename(temp_path, final_path, ec);
  if (ec) {
    std::filesystem::remove(temp_path, ec);
    return core::Error::unavailable("cannot store blob " + key);
  }
  fsync_directory(final_path.parent_path());
  return key;
}

core::Result<std::string> LocalBlobStore::get(std::string_view key) const {
  if (!is_valid_key(key)) {
    return core::Error::not_found("File not found");
  }
  std::ifstream in(path_of(key), std::ios::binary);
  if (!in) {
    return core::Error::not_found("File not found");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace kaiwa::files
