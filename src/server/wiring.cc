#include "server/wiring.h"

#include <filesystem>

namespace kaiwa::server {
namespace {

constexpr std::string_view kSigningSecretKey = "url_signing_secret";

// The secret that signs download URLs lives in the store, so every node of a deployment (and
// every restart) agrees on it.
core::Result<std::string> signing_secret(ports::Store& store) {
  std::string candidate = crypto::OpensslCrypto::random_alphanumeric(48);
  return store.write([&](ports::StoreTx& tx) -> core::Result<std::string> {
    KAIWA_ASSIGN_OR_RETURN(auto existing, tx.find_setting(kSigningSecretKey));
    if (existing) {
      return std::move(*existing);
    }
    KAIWA_TRY(tx.put_setting(kSigningSecretKey, candidate));
    return candidate;
  });
}

}  // namespace

core::Result<std::unique_ptr<Application>> open_application(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return core::Error::unavailable("cannot create data directory " + config.data_dir + ": " +
                                    ec.message());
  }
  auto application = std::make_unique<Application>();
  sqlite::SqliteStoreOptions store_options;
  store_options.path = (std::filesystem::path(config.data_dir) / "kaiwa.db").string();
  KAIWA_ASSIGN_OR_RETURN(application->store, sqlite::SqliteStore::open(store_options));
  KAIWA_ASSIGN_OR_RETURN(std::string secret, signing_secret(*application->store));
  application->crypto = std::make_unique<crypto::OpensslCrypto>(secret);
  application->blobs =
      std::make_unique<files::LocalBlobStore>(std::filesystem::path(config.data_dir) / "files");

  std::string public_url = config.public_url;
  if (public_url.empty()) {
    public_url = "http://" + config.listen;
  }
  while (!public_url.empty() && public_url.back() == '/') {
    public_url.pop_back();
  }
  application->dependencies = std::make_unique<app::Dependencies>(
      app::Dependencies{*application->store, application->clock, *application->crypto,
                        *application->blobs, public_url, config.max_upload_bytes});
  const app::Dependencies& deps = *application->dependencies;
  application->accounts = std::make_unique<app::AccountService>(deps);
  application->contacts = std::make_unique<app::ContactService>(deps);
  KAIWA_ASSIGN_OR_RETURN(application->normalizer, groonga::GroongaTextNormalizer::open());
  application->colleagues = std::make_unique<app::ColleagueService>(deps, *application->normalizer);
  application->rooms = std::make_unique<app::RoomService>(deps);
  application->messages = std::make_unique<app::MessageService>(deps);
  application->tasks = std::make_unique<app::TaskService>(deps);
  application->files = std::make_unique<app::FileService>(deps);
  application->stream = std::make_unique<app::StreamService>(deps);
  application->sessions = std::make_unique<app::SessionService>(deps);
  application->profiles = std::make_unique<app::ProfileService>(deps);
  application->invitations = std::make_unique<app::InvitationService>(deps);
  return application;
}

core::Result<std::optional<std::filesystem::path>> search_directory(const Config& config) {
  constexpr std::string_view kGroongaScheme = "groonga://";
  if (config.search == "off") {
    return std::optional<std::filesystem::path>();
  }
  if (config.search.empty()) {
    return std::optional(std::filesystem::path(config.data_dir) / "search");
  }
  if (config.search.starts_with(kGroongaScheme) && config.search.size() > kGroongaScheme.size()) {
    return std::optional(std::filesystem::path(config.search.substr(kGroongaScheme.size())));
  }
  return core::Error::invalid_argument("--search must be off or groonga://PATH, not " +
                                       config.search);
}

core::Status open_search(Application& application, const std::filesystem::path& directory) {
  KAIWA_ASSIGN_OR_RETURN(application.search_index, groonga::GroongaSearchIndex::open(directory));
  application.search =
      std::make_unique<app::SearchService>(*application.dependencies, *application.search_index);
  return core::ok();
}

}  // namespace kaiwa::server
