// /rooms/{room_id}/files and the signed download link.
#include <algorithm>

#include "api/chatwork/handlers.h"
#include "edge/multipart.h"

namespace kaiwa::api::chatwork {
namespace {

// The base name of what a client sent: browsers and some SDKs include a path.
std::string base_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

// The part's declared type if it looks like one (short, printable ASCII), else a neutral one.
std::string safe_content_type(std::string_view declared) {
  constexpr std::size_t kMaxContentTypeBytes = 127;
  const bool plausible =
      !declared.empty() && declared.size() <= kMaxContentTypeBytes &&
      std::all_of(declared.begin(), declared.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  return plausible ? std::string(declared) : std::string("application/octet-stream");
}

// RFC 5987 encoding for the filename* parameter of Content-Disposition.
std::string percent_encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string encoded;
  for (char raw : text) {
    auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_') {
      encoded.push_back(raw);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0x0f]);
    }
  }
  return encoded;
}

}  // namespace

edge::HttpResponse get_room_files(HandlerContext& ctx, core::AccountId caller,
                                  edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(auto uploader, params.optional_id("account_id"));
  std::optional<core::AccountId> uploader_id;
  if (uploader) {
    uploader_id = core::AccountId(*uploader);
  }
  KAIWA_ASSIGN_OR_RESPOND(
      auto files, ctx.services.files.list_files(caller, core::RoomId(room_id), uploader_id));
  return json_list(
      files, [](JsonWriter& w, const core::File& file) { write_file(w, file, nullptr); },
      ctx.empty_list_no_content);
}

edge::HttpResponse post_room_file(HandlerContext& ctx, core::AccountId caller,
                                  edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto parts,
                          edge::parse_multipart(request.header("content-type"), request.body));
  app::Upload upload;
  bool has_file = false;
  for (edge::MultipartPart& part : parts) {
    if (part.name == "file" && part.filename && !has_file) {
      has_file = true;
      upload.filename = base_name(*part.filename);
      upload.content_type = safe_content_type(part.content_type);
      upload.bytes = std::move(part.data);
    } else if (part.name == "message") {
      upload.message = std::move(part.data);
    }
  }
  if (!has_file) {
    return error_response(400, "Parameter 'file' is required");
  }
  KAIWA_ASSIGN_OR_RESPOND(core::FileId id,
                          ctx.services.files.upload(caller, core::RoomId(room_id), upload));
  return id_response("file_id", id.value);
}

edge::HttpResponse get_room_file(HandlerContext& ctx, core::AccountId caller,
                                 edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t room_id, path_id(request, "room_id"));
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t file_id, path_id(request, "file_id"));
  KAIWA_ASSIGN_OR_RESPOND(RequestParams params, RequestParams::from(request));
  KAIWA_ASSIGN_OR_RESPOND(bool with_url, params.flag("create_download_url", false));
  KAIWA_ASSIGN_OR_RESPOND(
      core::File file,
      ctx.services.files.get_file(caller, core::RoomId(room_id), core::FileId(file_id)));
  std::string url;
  if (with_url) {
    url = ctx.services.files.download_url(file);
  }
  Json json;
  write_file(json.writer(), file, with_url ? &url : nullptr);
  return json_response(json.str());
}

edge::HttpResponse get_file_download(HandlerContext& ctx, edge::HttpRequest& request) {
  KAIWA_ASSIGN_OR_RESPOND(std::int64_t file_id, path_id(request, "file_id"));
  KAIWA_ASSIGN_OR_RESPOND(auto query, edge::FormParams::parse_urlencoded(request.query));
  auto expires = parse_positive_id(query.get("expires").value_or(""));
  if (!expires) {
    return error_response(404, "This download link is invalid or has expired");
  }
  KAIWA_ASSIGN_OR_RESPOND(app::Download download,
                          ctx.services.files.open_download(core::FileId(file_id), *expires,
                                                           query.get("signature").value_or("")));
  edge::HttpResponse response;
  // Served as a download, never rendered inline: an uploaded HTML file must not run as our page.
  response.content_type = "application/octet-stream";
  response.set_header("Content-Disposition",
                      "attachment; filename*=UTF-8''" + percent_encode(download.file.filename));
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Cache-Control", "private, no-store");
  response.body = std::move(download.bytes);
  return response;
}

}  // namespace kaiwa::api::chatwork
