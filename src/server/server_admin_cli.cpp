// The admin command line.
#include "server/server_admin_cli.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/crypto_util.hpp"
#include "server/service_auth.hpp"
#include "server/service_org_profile.hpp"
#include "server/service_products.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

const char* kHelp =
    "admin commands:\n"
    "  admin create-org --id ID --name NAME\n"
    "  admin create-key --org ID --role admin|member     prints the key once\n"
    "  admin create-webhook-secret --org ID               prints the secret once\n"
    "  admin set-portal-url --org ID --url URL            where magic links send customers\n"
    "  admin allow-origin --org ID --origin https://shop.example   lets the widget run there\n"
    "  admin set-profile --org ID [--name NAME] [--help-email EMAIL] [--help-url URL]\n"
    "                                                     what the portal shows buyers; \"\" clears a help "
    "field\n"
    "  admin list-keys --org ID                           id, role, created, revoked (never the key)\n"
    "  admin revoke-key --org ID --id N                   or --key KEY: the key stops working at once\n";

}  // namespace

int run_admin_command(ServerContext& ctx, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "help" || args[0] == "--help") {
    std::cout << kHelp;
    return args.empty() ? 2 : 0;
  }
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (args[i].rfind("--", 0) != 0) {
      std::cerr << "admin: expected an option, got " << args[i] << "\n" << kHelp;
      return 2;
    }
    opt[args[i].substr(2)] = args[i + 1];
  }
  if ((args.size() - 1) % 2 != 0) {
    std::cerr << "admin: option " << args.back() << " needs a value\n";
    return 2;
  }
  auto need = [&](const char* name) -> std::string {
    auto it = opt.find(name);
    return it == opt.end() ? std::string() : it->second;
  };
  Db& db = ctx.db->connection();
  const std::string& cmd = args[0];
  static const char* known[] = {"create-org",     "create-key",   "create-webhook-secret",
                                "set-portal-url", "allow-origin", "list-keys",
                                "revoke-key",     "set-profile"};
  if (std::find(std::begin(known), std::end(known), cmd) == std::end(known)) {
    std::cerr << "admin: unknown command " << cmd << "\n" << kHelp;
    return 2;
  }
  std::string org = need("org");
  if (cmd != "create-org" && (org.empty() || !store::find_org(db, org))) {
    std::cerr << "admin: --org must name an existing org\n";
    return 1;
  }
  if (cmd == "create-org") {
    auto id = normalise_slug(need("id"));
    std::string name = need("name");
    if (!id || name.empty()) {
      std::cerr << "admin: create-org needs --id (letters, digits, hyphens) and --name\n";
      return 2;
    }
    // The name goes into mail subjects and pages: one line of well-formed text.
    if (name.size() > 200 || !is_valid_utf8(name) || printable_utf8(name, name.size()) != name) {
      std::cerr << "admin: --name must be at most 200 bytes of UTF-8 text without control characters\n";
      return 2;
    }
    if (!store::insert_org(db, *id, name, ctx.now_ms())) {
      std::cerr << "admin: org " << *id << " already exists\n";
      return 1;
    }
    std::cout << "created org " << *id << "\n";
  } else if (cmd == "create-key") {
    std::string role = need("role");
    if (role != "admin" && role != "member") {
      std::cerr << "admin: --role must be admin or member\n";
      return 2;
    }
    std::cout << create_api_key(ctx, org, role == "admin" ? Role::Admin : Role::Member) << "\n";
  } else if (cmd == "create-webhook-secret") {
    std::string secret = "whsec_" + random_hex(32);
    store::set_webhook_secret(db, org, secret);
    std::cout << secret << "\n";
  } else if (cmd == "set-portal-url") {
    std::string url = need("url");
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
      std::cerr << "admin: --url must start with https:// or http://\n";
      return 2;
    }
    store::set_portal_url(db, org, url);
    std::cout << "portal URL of " << org << " is " << url << "\n";
  } else if (cmd == "list-keys") {
    for (const auto& k : store::list_api_keys(db, org))
      std::cout << k.id << " " << (k.role == Role::Admin ? "admin" : "member") << " created "
                << core::format_iso8601_utc(k.created_at)
                << (k.revoked_at ? " revoked " + core::format_iso8601_utc(*k.revoked_at) : std::string())
                << "\n";
  } else if (cmd == "revoke-key") {
    std::optional<int64_t> id;
    if (std::string key = need("key"); !key.empty())
      id = store::api_key_id(db, org, sha256_hex(key));
    else if (std::string n = need("id");
             !n.empty() && n.size() < 18 && n.find_first_not_of("0123456789") == std::string::npos)
      id = std::stoll(n);
    if (!id || !store::revoke_api_key(db, org, *id, ctx.now_ms())) {
      std::cerr << "admin: revoke-key needs --id N (from list-keys) or --key KEY of a live key of this org\n";
      return 1;
    }
    std::cout << "revoked key " << *id << " of " << org << "\n";
  } else if (cmd == "set-profile") {
    OrgProfileChange change;
    auto given = [&](const char* name) -> std::optional<std::string> {
      auto it = opt.find(name);
      return it == opt.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    change.name = given("name");
    change.help_email = given("help-email");
    change.help_url = given("help-url");
    for (const auto& [k, v] : opt)
      if (k != "org" && k != "name" && k != "help-email" && k != "help-url") {
        std::cerr << "admin: set-profile takes --name, --help-email and --help-url, not --" << k << "\n";
        return 2;
      }
    if (!change.name && !change.help_email && !change.help_url) {
      std::cerr << "admin: set-profile needs at least one of --name, --help-email, --help-url\n";
      return 2;
    }
    try {
      core::OrgProfile p = change_org_profile(ctx, org, std::move(change));
      std::cout << "profile of " << org << ": name " << p.name << ", help email "
                << (p.help_email.empty() ? "(none)" : p.help_email) << ", help URL "
                << (p.help_url.empty() ? "(none)" : p.help_url) << "\n";
    } catch (const ApiError& e) {
      // The API's reasons, in the names of this command's options.
      std::string why = e.what();
      for (auto [field, option] :
           {std::pair{"\"name\"", "--name"}, std::pair{"\"helpEmail\"", "--help-email"},
            std::pair{"\"helpUrl\"", "--help-url"}})
        if (why.rfind(field, 0) == 0) why = option + why.substr(std::string(field).size());
      std::cerr << "admin: " << why << "\n";
      return 2;
    }
  } else if (cmd == "allow-origin") {
    std::string origin = need("origin");
    if ((origin.rfind("https://", 0) != 0 && origin.rfind("http://", 0) != 0) || origin.back() == '/' ||
        origin.find('/', origin.find("//") + 2) != std::string::npos) {
      std::cerr << "admin: --origin must be scheme://host[:port] with no path, e.g. https://shop.example\n";
      return 2;
    }
    store::add_origin(db, org, origin);
    std::cout << "the portal of " << org << " may run on " << origin << "\n";
  }
  return 0;
}

}  // namespace continuata::server
