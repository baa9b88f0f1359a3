// What the portal's purchase list says about a purchase after the sale: refunded (with when;
// its files are then not listed, as nothing can be downloaded), and its licence key, which only
// this purchase's own customer sees and which a refunded purchase no longer shows.
#pragma once
#include "core/core_api.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

void add_after_sale_state(Db& db, core::Purchase& p);

}  // namespace continuata::server
