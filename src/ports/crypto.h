// Crypto: secrets and digests the use cases need, kept behind a port so core and app stay pure.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kaiwa::ports {

// Thread-safe.
class Crypto {
 public:
  virtual ~Crypto() = default;

  // A fresh API token: 32 random alphanumerics, like Chatwork's.
  virtual std::string new_api_token() = 0;
  // Random URL-safe text for invitation link codes and similar.
  virtual std::string random_code(std::size_t length) = 0;
  // What the store keeps instead of a token: a one-way digest (tokens are high-entropy, so a
  // fast hash suffices; passwords are not, so they get a slow one).
  virtual std::string token_digest(std::string_view token) const = 0;
  virtual core::Result<std::string> hash_password(std::string_view password) = 0;
  virtual bool password_matches(std::string_view password, std::string_view hash) const = 0;
  // A MAC over payload with the server's secret, for short-lived signed URLs.
  virtual std::string sign(std::string_view payload) const = 0;
};

}  // namespace kaiwa::ports
