// Groonga's NFKC normalizer (the search lexicon's own, NormalizerNFKC150) as a TextNormalizer,
// on a private temporary database: no files, and independent of the search index.
#pragma once

#include <memory>
#include <mutex>

#include "core/result.h"
#include "ports/text_normalizer.h"

struct _grn_ctx;  // NOLINT(bugprone-reserved-identifier): Groonga's own name
struct _grn_obj;  // NOLINT(bugprone-reserved-identifier)

namespace kaiwa::groonga {

// Thread-safe: calls take turns on one Groonga context (each is a few microseconds).
class GroongaTextNormalizer final : public ports::TextNormalizer {
 public:
  // Errors: kUnavailable when Groonga cannot start or lacks the normalizer.
  static core::Result<std::unique_ptr<GroongaTextNormalizer>> open();
  ~GroongaTextNormalizer() override;
  GroongaTextNormalizer(const GroongaTextNormalizer&) = delete;
  GroongaTextNormalizer& operator=(const GroongaTextNormalizer&) = delete;

  std::string normalize(std::string_view text) const override;

 private:
  GroongaTextNormalizer() = default;
  void close();

  mutable std::mutex mutex_;
  _grn_ctx* ctx_ = nullptr;         // guarded by mutex_ (for use; set once at open)
  _grn_obj* db_ = nullptr;          // the temporary database that registers the normalizers
  _grn_obj* normalizer_ = nullptr;  // owned by db_
  bool runtime_acquired_ = false;
};

}  // namespace kaiwa::groonga
