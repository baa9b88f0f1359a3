// Demo data: generated file contents (deterministic, so their sha256 is stable), products,
// versions, purchases.
#include "server/service_demo.hpp"

#include <unistd.h>

#include <fstream>

#include "core/core_api.hpp"
#include "server/crypto_util.hpp"
#include "server/service_auth.hpp"
#include "server/service_org_profile.hpp"
#include "server/service_products.hpp"
#include "server/service_storage.hpp"
#include "server/service_uploads.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {
namespace fs = std::filesystem;

// Deterministic bytes that do not compress to nothing: a tiny xorshift stream.
std::string generated_bytes(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  uint32_t x = seed | 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = char(x & 0xff);
  }
  return out;
}

void add_file(ServerContext& ctx, const Version& v, const std::string& path, const std::string& content) {
  UploadWriter w(ctx, v.id, ctx.config.max_upload_bytes);
  w.write(content.data(), content.size());
  record_upload(ctx, v.id, w.finish(path), w);
}

// A large file that costs almost no disk: a real header, then a hole up to `size`. Its sha256 is
// computed over exactly the bytes a download will send (the header and the zeros).
void add_sparse_file(ServerContext& ctx, const Version& v, const std::string& path, const std::string& header,
                     int64_t size) {
  fs::path folder = version_folder(ctx, v.id);
  fs::create_directories(folder);
  std::string name = random_hex(16);
  {
    std::ofstream out(folder / name, std::ios::binary);
    out.write(header.data(), std::streamsize(header.size()));
  }
  if (::truncate((folder / name).c_str(), size) != 0) throw std::runtime_error("cannot size the demo file");
  Sha256 digest;
  Crc32 crc;
  digest.update(header.data(), header.size());
  crc.update(header.data(), header.size());
  std::string zeros(1 << 20, '\0');
  for (int64_t left = size - int64_t(header.size()); left > 0; left -= int64_t(zeros.size())) {
    size_t n = size_t(std::min<int64_t>(left, int64_t(zeros.size())));
    digest.update(zeros.data(), n);
    crc.update(zeros.data(), n);
  }
  FileEntry f{path, name, digest.finish_hex(), size, std::nullopt, 0};
  f.crc32 = int64_t(crc.value());
  store::upsert_file(ctx.db->connection(), v.id, f, ctx.now_ms());
}

Version make_version(ServerContext& ctx, const std::string& product, const std::string& version) {
  return create_version(ctx, kDemoOrg, product, {{"version", version}});
}

void make_product(ServerContext& ctx, const std::string& name, const std::string& slug,
                  const std::string& description) {
  create_product(ctx, kDemoOrg, {{"name", name}, {"slug", slug}, {"description", description}});
  update_product(ctx, kDemoOrg, slug, {{"status", "published"}});
}

void purchase(ServerContext& ctx, const std::string& order, const std::string& email,
              const std::string& product, const std::string& version, int64_t at) {
  Purchase p;
  p.org_id = kDemoOrg;
  p.order_id = order;
  p.email = email;
  p.product_id = product;
  p.version = version;
  p.created_at = at;
  store::insert_purchase(ctx.db->connection(), p, core::normalise_email(email));
}

}  // namespace

std::string seed_demo(ServerContext& ctx) {
  Db& db = ctx.db->connection();
  fs::path key_file = fs::path(ctx.config.data_dir) / "demo-admin.key";
  if (store::find_org(db, kDemoOrg) && fs::exists(key_file)) {
    std::ifstream in(key_file);
    std::string key;
    std::getline(in, key);
    return key;
  }
  store::insert_org(db, kDemoOrg, "Audio Company", ctx.now_ms());
  std::string key = create_api_key(ctx, kDemoOrg, Role::Admin);
  {
    std::ofstream out(key_file);
    out << key << "\n";
  }
  fs::permissions(key_file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  store::set_webhook_secret(db, kDemoOrg, "whsec_demo_" + random_hex(16));
  // The portal names the seller and where buyers can ask (example.com: a reserved domain).
  change_org_profile(ctx, kDemoOrg, {std::nullopt, std::string("help@example.com"), std::nullopt});

  const int64_t day = 86400000, now = ctx.now_ms();
  make_product(ctx, "Epic Drum Kit Vol. 1", "epic-drums-v1", "High-energy drum samples for electronic music");
  Version d1 = make_version(ctx, "epic-drums-v1", "1.0.0");
  add_file(ctx, d1, "Epic-Drum-Kit-1.0.0.zip", generated_bytes(1200 * 1024, 11));
  activate_version(ctx, kDemoOrg, "epic-drums-v1", "1.0.0");
  Version d2 = make_version(ctx, "epic-drums-v1", "1.1.0");
  add_file(ctx, d2, "Epic-Drum-Kit-1.1.0.zip", generated_bytes(1400 * 1024, 12));
  activate_version(ctx, kDemoOrg, "epic-drums-v1", "1.1.0");

  make_product(ctx, "Analog Synth Presets", "analog-synth-presets", "128 presets for classic analog synths");
  Version s = make_version(ctx, "analog-synth-presets", "2.0.0");
  add_file(ctx, s, "README.txt",
           "Analog Synth Presets 2.0.0\nCopy the .bank file into your synth's preset folder.\n");
  add_file(ctx, s, "Analog-Synth-Presets.bank", generated_bytes(300 * 1024, 21));
  add_file(ctx, s, "Manual/Analog Synth Presets – Manual.txt",
           "Manual\n\n1. Installing\n2. Browsing presets\n");
  activate_version(ctx, kDemoOrg, "analog-synth-presets", "2.0.0");

  make_product(ctx, "Orchestral Strings Library", "orchestral-strings", "Full string section, 24-bit");
  Version o = make_version(ctx, "orchestral-strings", "3.2.0");
  add_sparse_file(ctx, o, "Orchestral-Strings-3.2.0.zip", generated_bytes(64 * 1024, 31),
                  150LL * 1024 * 1024);
  activate_version(ctx, kDemoOrg, "orchestral-strings", "3.2.0");

  purchase(ctx, "order-1001", kDemoEmail, "epic-drums-v1", "1.0.0", now - 40 * day);
  purchase(ctx, "order-1002", "Demo@Example.com", "analog-synth-presets", "2.0.0", now - 12 * day);
  purchase(ctx, "order-1003", kDemoEmail, "orchestral-strings", "3.2.0", now - 2 * day);
  purchase(ctx, "order-2001", "someone.else@example.com", "epic-drums-v1", "1.1.0", now - 5 * day);
  return key;
}

}  // namespace continuata::server
