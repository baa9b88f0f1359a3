// Numbered schema migrations, applied in order against PRAGMA user_version, each in its own
// transaction. Numbers 1-99 belong to the seller API's tables, 100+ to the customer portal's.
#pragma once
#include <limits>

namespace continuata::server {

class Db;
// Applies every migration not applied yet, up to number `up_to` (a test makes an older schema).
void apply_migrations(Db& db, int up_to = std::numeric_limits<int>::max());

}  // namespace continuata::server
