// All SQL of update mail and the buyer's mail preferences: who bought a product, which (version,
// email) pairs were already sent an update notice, who opted out of an org's update mail, and
// the portal language each email last used.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store_db.hpp"

namespace continuata::server::store {

// The normalised emails that bought the product in the org, each once, in order.
std::vector<std::string> product_buyers(Db& db, const std::string& org, const std::string& product);
// Records that `email` is sent the notice of `version_id`; false when it already was (ever).
bool claim_update_notice(Db& db, const std::string& version_id, const std::string& email, int64_t now);

void insert_opt_out(Db& db, const std::string& org, const std::string& email, int64_t now);
bool opted_out(Db& db, const std::string& org, const std::string& email);

// The language an email last used with the org's portal ("" org: the portal without a scope).
void remember_language(Db& db, const std::string& org, const std::string& email, const std::string& lang,
                       int64_t now);
// The newest of the org's and the unscoped portal's language for the email, or nullopt.
std::optional<std::string> remembered_language(Db& db, const std::string& org, const std::string& email);

}  // namespace continuata::server::store
