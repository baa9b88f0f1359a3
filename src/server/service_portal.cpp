// The signed-in customer's purchases and links.
#include "server/service_portal.hpp"

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/service_bundles.hpp"
#include "server/service_download_history.hpp"
#include "server/service_downloads.hpp"
#include "server/service_portal_after_sale.hpp"

namespace continuata::server {

core::PurchaseList portal_purchases(ServerContext& ctx, const store::PortalSession& session,
                                    const std::optional<std::string>& org) {
  // A session opened through an org's widget stays inside that org.
  std::optional<std::string> scope = session.org_id ? session.org_id : org;
  core::PurchaseList list{session.email_normalized, {}};
  for (auto& r : store::purchases_for_email(ctx.db->connection(), session.email_normalized, scope)) {
    core::Purchase p;
    p.purchase_id = r.purchase.id;
    p.order_id = r.purchase.order_id;
    p.org_id = r.purchase.org_id;
    p.product_id = r.purchase.product_id;
    p.product_name = r.product_name;
    p.purchased_version = r.purchase.version.value_or("");
    p.latest_version = r.latest_version.value_or("");
    p.latest_notes = r.latest_notes.value_or("");
    p.purchased_at_ms = r.purchase.created_at;
    p.email = r.email_normalized;
    p.files.reserve(r.files.size());
    for (const auto& f : r.files) p.files.push_back(file_info(f));
    add_after_sale_state(r.after_sale, p);
    list.purchases.push_back(std::move(p));
  }
  add_download_summaries(ctx, session.email_normalized, scope, list);
  return list;
}

core::DownloadLinkRequest read_download_link_request(const nlohmann::json& body) {
  require_object(body);
  core::DownloadLinkRequest r;
  auto it = body.find("purchaseId");
  if (it == body.end() || it->is_null()) throw ApiError(400, "\"purchaseId\" is required");
  if (it->is_number_integer())
    r.purchase_id = it->get<int64_t>();
  else if (it->is_string() && !it->get<std::string>().empty() &&
           it->get<std::string>().find_first_not_of("0123456789") == std::string::npos &&
           it->get<std::string>().size() < 18)
    r.purchase_id = std::stoll(it->get<std::string>());
  else
    throw ApiError(400, "\"purchaseId\" must be a purchase id number");
  r.version = optional_string(body, "version");
  return r;
}

core::DownloadLink portal_download_link(ServerContext& ctx, const store::PortalSession& session,
                                        const nlohmann::json& body) {
  if (body.is_object() && body.contains("all")) return portal_library_link(ctx, session, body);
  core::DownloadLinkRequest request = read_download_link_request(body);
  auto purchase = store::find_purchase_of(ctx.db->connection(), request.purchase_id, session.email_normalized,
                                          session.org_id);
  if (!purchase) throw ApiError(404, "Purchase not found");
  return mint_download_link(ctx, purchase->org_id, purchase->product_id, request.version, purchase->id,
                            "portal");
}

}  // namespace continuata::server
