// The store's answer to "is the database there?", for GET /readyz: one trivial query through the
// same Db& every other query uses, so it checks whichever backend the store runs on.
#pragma once
#include "server/store_db.hpp"

namespace continuata::server::store {

// Runs SELECT 1; throws (DbError) when the database does not answer.
void ping(Db& db);

}  // namespace continuata::server::store
