// Crypto on OpenSSL (random bytes, SHA-256, HMAC) and libargon2 (Argon2id password hashes).
#pragma once

#include <string>

#include "ports/crypto.h"

namespace kaiwa::crypto {

// Thread-safe: holds only the immutable signing secret.
class OpensslCrypto final : public ports::Crypto {
 public:
  explicit OpensslCrypto(std::string signing_secret) : signing_secret_(std::move(signing_secret)) {}

  std::string new_api_token() override;
  std::string random_code(std::size_t length) override;
  std::string token_digest(std::string_view token) const override;
  core::Result<std::string> hash_password(std::string_view password) override;
  bool password_matches(std::string_view password, std::string_view hash) const override;
  std::string sign(std::string_view payload) const override;

  // Random alphanumerics from the OS CSPRNG; for secrets generated before a Crypto exists.
  static std::string random_alphanumeric(std::size_t length);

 private:
  const std::string signing_secret_;
};

}  // namespace kaiwa::crypto
