// The seller's purchase listing.
#include "server/service_purchases.hpp"

#include "server/store_seller.hpp"

namespace continuata::server {

std::vector<Purchase> list_purchases(ServerContext& ctx, const std::string& org) {
  return store::list_purchases(ctx.db->connection(), org);
}

}  // namespace continuata::server
