#include "adapters/crypto/openssl_crypto.h"

#include <array>
#include <stdexcept>
#include <vector>

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace kaiwa::crypto {
namespace {

constexpr std::string_view kAlphanumerics =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Argon2id cost: OWASP's minimum (19 MiB, 2 passes, 1 lane).
constexpr std::uint32_t kArgonTimeCost = 2;
constexpr std::uint32_t kArgonMemoryKib = 19 * 1024;
constexpr std::uint32_t kArgonLanes = 1;
constexpr std::size_t kArgonSaltBytes = 16;
constexpr std::size_t kArgonHashBytes = 32;

std::string random_from(std::string_view alphabet, std::size_t length) {
  std::string out;
  out.reserve(length);
  // Rejection sampling keeps every character equally likely.
  const auto limit = static_cast<unsigned>(256 - (256 % alphabet.size()));
  while (out.size() < length) {
    std::array<unsigned char, 64> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    for (unsigned char byte : bytes) {
      if (byte < limit && out.size() < length) {
        out.push_back(alphabet[byte % alphabet.size()]);
      }
    }
  }
  return out;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0f]);
  }
  return out;
}

}  // namespace

std::string OpensslCrypto::random_alphanumeric(std::size_t length) {
  return random_from(kAlphanumerics, length);
}

std::string OpensslCrypto::new_api_token() { return random_from(kAlphanumerics, 32); }

std::string OpensslCrypto::random_code(std::size_t length) { return random_from(kUrlSafe, length); }

std::string OpensslCrypto::token_digest(std::string_view token) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(token.data(), token.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return to_hex(digest.data(), size);
}

core::Result<std::string> OpensslCrypto::hash_password(std::string_view password) {
  std::array<unsigned char, kArgonSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return core::Error::internal("RAND_bytes failed");
  }
  std::size_t encoded_size =
      argon2_encodedlen(kArgonTimeCost, kArgonMemoryKib, kArgonLanes,
                        static_cast<std::uint32_t>(salt.size()), kArgonHashBytes, Argon2_id);
  std::vector<char> encoded(encoded_size);
  int rc = argon2id_hash_encoded(kArgonTimeCost, kArgonMemoryKib, kArgonLanes, password.data(),
                                 password.size(), salt.data(), salt.size(), kArgonHashBytes,
                                 encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return core::Error::internal(argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool OpensslCrypto::password_matches(std::string_view password, std::string_view hash) const {
  if (hash.empty()) {
    return false;
  }
  std::string encoded(hash);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string OpensslCrypto::sign(std::string_view payload) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), signing_secret_.data(), static_cast<int>(signing_secret_.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac.data(), &size);
  return to_hex(mac.data(), size);
}

}  // namespace kaiwa::crypto
