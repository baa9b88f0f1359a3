// Building a download's ZIP from its manifest.
#include "server/service_zip.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "server/crypto_util.hpp"
#include "server/service_bundles.hpp"
#include "server/service_storage.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

std::string fold_case(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Adds the files of one version under `folder` ("" for none); false when a CRC-32 is unknown.
bool add_files(ServerContext& ctx, const std::string& version_id, const std::vector<FileEntry>& files,
               const std::string& folder, std::vector<ZipEntry>& entries, ZipArchive& out) {
  for (const auto& f : files) {
    if (!f.crc32) return false;
    entries.push_back(ZipEntry{folder.empty() ? f.path : folder + "/" + f.path, uint64_t(f.size),
                               uint32_t(*f.crc32), f.created_at});
    out.files.push_back(stored_file(ctx, version_id, f));
  }
  return true;
}

}  // namespace

std::vector<std::string> unique_folder_names(const std::vector<std::string>& names) {
  std::set<std::string> taken;
  std::vector<std::string> out;
  for (const auto& base : names) {
    std::string name = base;
    for (int n = 2; !taken.insert(fold_case(name)).second; ++n) name = base + " (" + std::to_string(n) + ")";
    out.push_back(name);
  }
  return out;
}

std::optional<ZipArchive> zip_archive(ServerContext& ctx, const ResolvedDownload& d) {
  ZipArchive out;
  std::vector<ZipEntry> entries;
  Db& db = ctx.db->connection();
  if (d.bundle) {
    std::vector<std::string> names;
    for (const auto& part : d.parts) names.push_back(bundle_folder_name(part.product_name, part.product_id));
    names = unique_folder_names(names);
    for (size_t i = 0; i < d.parts.size(); ++i)
      if (!add_files(ctx, d.parts[i].version.id, d.parts[i].files, names[i], entries, out))
        return std::nullopt;
    bool one_org = std::all_of(d.parts.begin(), d.parts.end(),
                               [&](const BundlePart& p) { return p.org_id == d.parts.front().org_id; });
    auto org = one_org && !d.parts.empty() ? store::find_org(db, d.parts.front().org_id) : std::nullopt;
    std::string seller = org ? bundle_folder_name(org->name, "") : "";
    out.name = (seller.empty() ? "Library" : seller + " library") + ".zip";
  } else {
    if (!add_files(ctx, d.version.id, d.files, "", entries, out)) return std::nullopt;
    auto product = store::find_product(db, d.org_id, d.product_id);
    std::string title = product ? bundle_folder_name(product->name, d.product_id) : d.product_id;
    out.name = title + " " + d.version.version + ".zip";
  }
  out.layout = zip_layout(entries);
  // The entries determine every byte of the archive: they are its validator.
  Sha256 digest;
  std::string text = "continuata-zip-1\n";
  for (const auto& e : entries)
    text += e.name + '\0' + std::to_string(e.size) + '\0' + std::to_string(e.crc32) + '\0' +
            std::to_string(e.modified_ms) + '\n';
  digest.update(text.data(), text.size());
  out.etag = "\"zip-" + digest.finish_hex().substr(0, 40) + "\"";
  return out;
}

}  // namespace continuata::server
