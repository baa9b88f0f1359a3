// The signed-in customer's purchases and links.
#include "server/service_portal.hpp"

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/service_downloads.hpp"

namespace continuata::server {

nlohmann::json portal_purchases(ServerContext& ctx, const store::PortalSession& session,
                                const std::optional<std::string>& org) {
  // A session opened through an org's widget stays inside that org.
  std::optional<std::string> scope = session.org_id ? session.org_id : org;
  nlohmann::json list = nlohmann::json::array();
  for (auto& r : store::purchases_for_email(ctx.db->connection(), session.email_normalized, scope)) {
    list.push_back({{"purchaseId", r.purchase.id},
                    {"orderId", r.purchase.order_id},
                    {"purchasedAt", core::format_iso8601_utc(r.purchase.created_at)},
                    {"orgId", r.purchase.org_id},
                    {"productId", r.purchase.product_id},
                    {"productName", r.product_name},
                    {"purchasedVersion", opt(r.purchase.version)},
                    {"latestVersion", opt(r.latest_version)},
                    {"files", r.files}});
  }
  return {{"email", session.email_normalized}, {"purchases", list}};
}

MintedLink portal_download_link(ServerContext& ctx, const store::PortalSession& session, const nlohmann::json& body) {
  if (!body.is_object()) throw ApiError(400, "Request body must be a JSON object");
  auto it = body.find("purchaseId");
  int64_t id = 0;
  if (it == body.end() || it->is_null()) throw ApiError(400, "\"purchaseId\" is required");
  if (it->is_number_integer()) id = it->get<int64_t>();
  else if (it->is_string() && !it->get<std::string>().empty() &&
           it->get<std::string>().find_first_not_of("0123456789") == std::string::npos &&
           it->get<std::string>().size() < 18)
    id = std::stoll(it->get<std::string>());
  else throw ApiError(400, "\"purchaseId\" must be a purchase id number");
  std::optional<std::string> version;
  if (auto v = body.find("version"); v != body.end() && !v->is_null()) {
    if (!v->is_string()) throw ApiError(400, "\"version\" must be a string");
    version = v->get<std::string>();
  }
  auto purchase = store::find_purchase_of(ctx.db->connection(), id, session.email_normalized, session.org_id);
  if (!purchase) throw ApiError(404, "Purchase not found");
  return mint_download_link(ctx, purchase->org_id, purchase->product_id, version, purchase->id, "portal");
}

}  // namespace continuata::server
