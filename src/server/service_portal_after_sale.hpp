// What the portal's purchase list says about a purchase after the sale: refunded (with when;
// its files are then not listed, as nothing can be downloaded), and its licence key, which only
// this purchase's own customer sees and which a refunded purchase no longer shows.
#pragma once
#include "core/core_api.hpp"
#include "server/store_refunds.hpp"

namespace continuata::server {

// `st` is the purchase's row of store::purchases_for_email (PortalPurchase::after_sale).
void add_after_sale_state(const store::PurchaseState& st, core::Purchase& p);

}  // namespace continuata::server
