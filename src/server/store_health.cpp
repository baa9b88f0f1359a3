// The readiness query (see store_health.hpp).
#include "server/store_health.hpp"

namespace continuata::server::store {

void ping(Db& db) {
  auto s = db.prepare("SELECT 1");
  if (!s.step() || s.integer(0) != 1) throw DbError("SELECT 1 returned no row");
}

}  // namespace continuata::server::store
