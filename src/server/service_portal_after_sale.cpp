// The portal purchase's refund state and licence key.
#include "server/service_portal_after_sale.hpp"

#include "server/store_refunds.hpp"

namespace continuata::server {

void add_after_sale_state(const store::PurchaseState& st, core::Purchase& p) {
  p.refunded = st.refunded_at.has_value();
  p.refunded_at_ms = st.refunded_at.value_or(0);
  p.license_key = p.refunded ? "" : st.license_key.value_or("");
  if (p.refunded) p.files.clear();
}

}  // namespace continuata::server
