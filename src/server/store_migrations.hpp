// Numbered schema migrations, applied in order against PRAGMA user_version, each in its own
// transaction. Numbers 1-99 belong to the seller API's tables, 100+ to the customer portal's.
#pragma once

namespace continuata::server {

class Db;
void apply_migrations(Db& db);

}  // namespace continuata::server
