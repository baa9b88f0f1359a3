// The portal purchase's refund state and licence key.
#include "server/service_portal_after_sale.hpp"

#include "server/store_refunds.hpp"

namespace continuata::server {

void add_after_sale_state(Db& db, core::Purchase& p) {
  // One indexed lookup per purchase: the list's own query stays as it is (and so does any
  // change of who may see which purchases).
  store::PurchaseState st = store::purchase_state(db, p.purchase_id);
  p.refunded = st.refunded_at.has_value();
  p.refunded_at_ms = st.refunded_at.value_or(0);
  p.license_key = p.refunded ? "" : st.license_key.value_or("");
  if (p.refunded) p.files.clear();
}

}  // namespace continuata::server
