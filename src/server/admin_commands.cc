#include "server/admin_commands.h"

#include <iostream>

#include "core/json_text.h"
#include "server/wiring.h"

namespace kaiwa::server {
namespace {

// Exit codes: 0 success, 1 the operation was refused, 2 the data directory is unusable.
// CLI11_PARSE in main turns the RuntimeError into the exit code silently; unlike std::exit,
// unwinding closes the store.
[[noreturn]] void fail(const core::Error& error, int exit_code) {
  std::string out = R"({"errors":[)";
  core::append_json_string(out, error.message);
  out += "]}";
  std::cerr << out << std::endl;
  throw CLI::RuntimeError(exit_code);
}

std::unique_ptr<Application> open_or_exit(const Config& config) {
  auto application = open_application(config);
  if (!application) {
    fail(application.error(), 2);
  }
  return std::move(application).value();
}

template <typename T>
T value_or_exit(core::Result<T> result) {
  if (!result) {
    fail(result.error(), 1);
  }
  return std::move(result).value();
}

void print(const std::string& json) { std::cout << json << std::endl; }

struct AdminArgs {
  std::string name;
  std::string email;
  std::string password;
  std::string token;
  std::int64_t organization = 0;
  std::int64_t account = 0;
  std::int64_t other_account = 0;
  std::int64_t room = 0;
  std::vector<std::int64_t> accounts;
  std::string role = "member";
};

}  // namespace

void add_admin_commands(CLI::App& app, Config& config) {
  auto args = std::make_shared<AdminArgs>();
  CLI::App* admin = app.add_subcommand("admin", "Administer organizations, accounts and tokens");
  admin->add_option("--data", config.data_dir, "Data directory")->envname("KAIWA_DATA");
  admin->require_subcommand(1);

  CLI::App* org = admin->add_subcommand("org", "Organizations")->require_subcommand(1);
  org->add_subcommand("create", "Create an organization")
      ->callback([&config, args] {
        auto application = open_or_exit(config);
        auto id = value_or_exit(application->accounts->create_organization(args->name));
        print("{\"organization_id\":" + std::to_string(id.value) + "}");
      })
      ->add_option("--name", args->name, "Organization name")
      ->required();

  CLI::App* account = admin->add_subcommand("account", "Accounts")->require_subcommand(1);
  CLI::App* account_create = account->add_subcommand("create", "Create an account");
  account_create->add_option("--org", args->organization, "Organization id")->required();
  account_create->add_option("--name", args->name, "Display name")->required();
  account_create->add_option("--email", args->email, "Login email")->required();
  CLI::Option* password =
      account_create->add_option("--password", args->password, "Password for signing in");
  account_create->callback([&config, args, password] {
    auto application = open_or_exit(config);
    std::optional<std::string_view> maybe_password;
    if (password->count() > 0) {
      maybe_password = args->password;
    }
    auto created = value_or_exit(application->accounts->create_account(
        core::OrganizationId(args->organization), args->name, args->email, maybe_password));
    std::string out = "{\"account_id\":" + std::to_string(created.account_id.value) +
                      ",\"room_id\":" + std::to_string(created.my_room_id.value) +
                      ",\"api_token\":";
    core::append_json_string(out, created.api_token);
    print(out + "}");
  });

  CLI::App* token = admin->add_subcommand("token", "API tokens")->require_subcommand(1);
  token->add_subcommand("create", "Create an API token for an account")
      ->callback([&config, args] {
        auto application = open_or_exit(config);
        auto created =
            value_or_exit(application->accounts->create_token(core::AccountId(args->account)));
        std::string out = "{\"api_token\":";
        core::append_json_string(out, created);
        print(out + "}");
      })
      ->add_option("--account", args->account, "Account id")
      ->required();
  token->add_subcommand("revoke", "Revoke an API token")
      ->callback([&config, args] {
        auto application = open_or_exit(config);
        auto revoked = application->accounts->revoke_token(args->token);
        if (!revoked) {
          fail(revoked.error(), 1);
        }
        print("{}");
      })
      ->add_option("--token", args->token, "The token to revoke")
      ->required();

  CLI::App* contact = admin->add_subcommand("contact", "Contacts")->require_subcommand(1);
  CLI::App* contact_add =
      contact->add_subcommand("add", "Make two accounts contacts without a request");
  contact_add->add_option("a", args->account, "First account id")->required();
  contact_add->add_option("b", args->other_account, "Second account id")->required();
  contact_add->callback([&config, args] {
    auto application = open_or_exit(config);
    auto added = application->contacts->add_contact(core::AccountId(args->account),
                                                    core::AccountId(args->other_account));
    if (!added) {
      fail(added.error(), 1);
    }
    print("{}");
  });

  CLI::App* room = admin->add_subcommand("room", "Rooms")->require_subcommand(1);
  CLI::App* room_add = room->add_subcommand(
      "add-members", "Add accounts to a group chat (no list limit; existing members keep roles)");
  room_add->add_option("--room", args->room, "Room id")->required();
  room_add->add_option("--accounts", args->accounts, "Account ids, comma-separated")
      ->required()
      ->delimiter(',');
  room_add->add_option("--role", args->role, "admin, member or readonly")
      ->check(CLI::IsMember({"admin", "member", "readonly"}));
  room_add->callback([&config, args] {
    auto application = open_or_exit(config);
    std::vector<core::AccountId> accounts;
    accounts.reserve(args->accounts.size());
    for (std::int64_t id : args->accounts) {
      accounts.emplace_back(id);
    }
    auto added = application->rooms->add_members_as_operator(
        core::RoomId(args->room), accounts,
        core::parse_role(args->role).value_or(core::Role::kMember));
    if (!added) {
      fail(added.error(), 1);
    }
    print("{}");
  });
}

}  // namespace kaiwa::server
