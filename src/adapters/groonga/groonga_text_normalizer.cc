#include "adapters/groonga/groonga_text_normalizer.h"

#include <groonga.h>

#include "adapters/groonga/groonga_runtime.h"

namespace kaiwa::groonga {
namespace {

// The search lexicon's normalizer (groonga_search_index.cc) without its options (they belong to
// a table): NFKC and lower case.
constexpr std::string_view kNormalizerName = "NormalizerNFKC150";

}  // namespace

core::Result<std::unique_ptr<GroongaTextNormalizer>> GroongaTextNormalizer::open() {
  std::unique_ptr<GroongaTextNormalizer> normalizer(new GroongaTextNormalizer());
  if (!GroongaRuntime::acquire()) {
    return core::Error::unavailable("cannot start the Groonga library");
  }
  normalizer->runtime_acquired_ = true;
  normalizer->ctx_ = grn_ctx_open(0);
  if (normalizer->ctx_ == nullptr) {
    return core::Error::unavailable("cannot open a Groonga context");
  }
  // A temporary database (no path) exists only to register the built-in normalizers.
  normalizer->db_ = grn_db_create(normalizer->ctx_, nullptr, nullptr);
  if (normalizer->db_ == nullptr) {
    return core::Error::unavailable("cannot create Groonga's temporary database");
  }
  normalizer->normalizer_ = grn_ctx_get(normalizer->ctx_, kNormalizerName.data(),
                                        static_cast<int>(kNormalizerName.size()));
  if (normalizer->normalizer_ == nullptr) {
    return core::Error::unavailable("this Groonga has no " + std::string(kNormalizerName));
  }
  return normalizer;
}

GroongaTextNormalizer::~GroongaTextNormalizer() { close(); }

void GroongaTextNormalizer::close() {
  if (ctx_ != nullptr) {
    // The database goes before the context and grn_fin, or grn_fin crashes (design.md §6).
    if (db_ != nullptr) {
      grn_obj_close(ctx_, db_);
      db_ = nullptr;
    }
    grn_ctx_close(ctx_);
    ctx_ = nullptr;
  }
  if (runtime_acquired_) {
    GroongaRuntime::release();
    runtime_acquired_ = false;
  }
}

std::string GroongaTextNormalizer::normalize(std::string_view text) const {
  std::lock_guard lock(mutex_);
  grn_obj* string =
      grn_string_open(ctx_, text.data(), static_cast<unsigned int>(text.size()), normalizer_, 0);
  if (string == nullptr) {
    ctx_->rc = GRN_SUCCESS;  // a bad input is this call's failure, not the context's
    return {};
  }
  const char* normalized = nullptr;
  unsigned int length = 0;
  grn_string_get_normalized(ctx_, string, &normalized, &length, nullptr);
  std::string copy(normalized == nullptr ? "" : normalized, length);
  grn_obj_close(ctx_, string);
  return copy;
}

}  // namespace kaiwa::groonga
