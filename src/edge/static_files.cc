#include "edge/static_files.h"

#include <array>
#include <fstream>
#include <iterator>
#include <utility>

namespace kaiwa::edge {
namespace {

// No inline script or style, no other origin, no framing: a message body can never run code
// even if a rendering bug let markup through.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".webp", "image/webp"},
}};

std::string_view content_type_of(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  for (const auto& [known, type] : kContentTypes) {
    if (extension == known) {
      return type;
    }
  }
  return "application/octet-stream";
}

// One path segment of the names a bundler writes: no "..", no hidden files, no escapes.
bool is_plain_name(std::string_view name) {
  if (name.empty() || name.front() == '.') {
    return false;
  }
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<HttpResponse> StaticFiles::read(const std::filesystem::path& relative) const {
  const std::filesystem::path file = root_ / relative;
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || !std::filesystem::is_regular_file(file, ec)) {
    return std::nullopt;
  }
  HttpResponse response;
  response.content_type = std::string(content_type_of(file));
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  response.set_header("X-Content-Type-Options", "nosniff");
  return response;
}

std::optional<HttpResponse> StaticFiles::file(std::string_view path) const {
  constexpr std::string_view kAssets = "/assets/";
  if (path == "/" || path == "/index.html") {
    return page();
  }
  if (path.starts_with(kAssets) && is_plain_name(path.substr(kAssets.size()))) {
    auto response = read(std::filesystem::path("assets") / path.substr(kAssets.size()));
    if (response) {
      // Bundled names carry a hash of their content, so a name never changes meaning.
      response->set_header("Cache-Control", "public, max-age=31536000, immutable");
    }
    return response;
  }
  if (path.size() > 1 && path.front() == '/' && is_plain_name(path.substr(1)) &&
      path.substr(1) != "index.html") {
    auto response = read(path.substr(1));
    if (response) {
      response->set_header("Cache-Control", "public, max-age=3600");
    }
    return response;
  }
  return std::nullopt;
}

HttpResponse StaticFiles::page() const {
  auto response = read("index.html");
  if (!response) {
    HttpResponse missing;
    missing.status = 503;
    missing.content_type = "text/plain; charset=utf-8";
    missing.body =
        "The web client is not built. Run: cd web && npm ci && npm run build "
        "(or start kaiwa with --web-dir pointing at a built client).\n";
    return missing;
  }
  // Revalidated on every load, so a deploy's new asset names are picked up at once.
  response->set_header("Cache-Control", "no-cache");
  response->set_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response->set_header("Referrer-Policy", "same-origin");
  response->set_header("X-Frame-Options", "DENY");
  return std::move(*response);
}

}  // namespace kaiwa::edge
