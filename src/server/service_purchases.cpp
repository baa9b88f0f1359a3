// The seller's purchase listing.
#include "server/service_purchases.hpp"

#include "core/core_api.hpp"

namespace continuata::server {

nlohmann::json seller_purchase_json(const Purchase& p, const store::PurchaseState& state) {
  nlohmann::json j = p;
  j["status"] = state.refunded_at ? "refunded" : "active";
  j["refundedAt"] = state.refunded_at ? iso(*state.refunded_at) : nlohmann::json(nullptr);
  j["licenseKey"] = opt(state.license_key);
  return j;
}

nlohmann::json list_purchases(ServerContext& ctx, const std::string& org,
                              const std::optional<std::string>& email) {
  std::optional<std::string> key;
  if (email) key = core::normalise_email(*email);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : store::purchases_with_state(ctx.db->connection(), org, key))
    out.push_back(seller_purchase_json(r.purchase, r.state));
  return out;
}

}  // namespace continuata::server
