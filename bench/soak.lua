-- wrk script for bench/soak.sh (read its top comment). Run with -tN -cN: one connection per wrk
-- thread, so this thread's Lua state sees exactly one request in flight and can time it and keep
-- per-route statistics (wrk's own latency figures mix every route). Timing uses clock_gettime
-- through LuaJIT's ffi; webhooks are signed per request with OpenSSL's HMAC through the ffi, so
-- every timestamp is fresh. Configuration comes from SOAK_* environment variables.
local ffi = require("ffi")
ffi.cdef [[
struct soak_timespec { long tv_sec; long tv_nsec; };
int clock_gettime(int clk, struct soak_timespec *tp);
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *md, const void *key, int key_len, const unsigned char *d, size_t n,
                    unsigned char *out, unsigned int *out_len);
]]
local crypto = ffi.load("libcrypto.so.3")
local ts = ffi.new("struct soak_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end
local mac, mac_len = ffi.new("unsigned char[32]"), ffi.new("unsigned int[1]")
local function hmac_hex(key, msg)
  crypto.HMAC(crypto.EVP_sha256(), key, #key, msg, #msg, mac, mac_len)
  local t = {}
  for i = 0, 31 do t[#t + 1] = string.format("%02x", mac[i]) end
  return table.concat(t)
end

local E = function(name) return os.getenv(name) or "" end
local key, session, org, secret = E("SOAK_KEY"), E("SOAK_SESSION"), E("SOAK_ORG"), E("SOAK_SECRET")
local tok_multi, tok_big, purchase_id = E("SOAK_TOKEN_MULTI"), E("SOAK_TOKEN_BIG"), E("SOAK_PURCHASE_ID")
local big_etag, has_web, out_path = E("SOAK_BIG_ETAG"), E("SOAK_WEB") == "1", E("SOAK_OUT")
local big_size = tonumber(E("SOAK_BIG_SIZE")) or 1
local today = os.date("!%Y-%m-%d")

local admin = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
local customer = { ["Authorization"] = "Bearer " .. session, ["Content-Type"] = "application/json" }
local upload_body = string.rep("0123456789abcdef", 1024) -- 16 KiB
local n = 0                                              -- requests of this connection
local made_products, made_versions = 0, 0
local flow = nil                                         -- the sign-in flow's pending step

-- Every route: weight, expected statuses (anything else is an error), and the request.
-- 429 is expected only where the server applies a rate limit (verification, session).
local routes = {
  { "products_list", 10, { 200 }, function() return "GET", "/api/products", admin end },
  { "manifest", 8, { 200 }, function() return "GET", "/api/products/analog-synth-presets/versions/2.0.0", admin end },
  { "product_update", 4, { 200 }, function()
    return "PUT", "/api/products/soak-t" .. tid, admin, '{"description":"revision ' .. n .. '"}' end },
  { "product_create", 1, { 201, 409 }, function()  -- five new products each, then duplicates (409)
    made_products = made_products + 1
    local slug = "soak-t" .. tid .. "-" .. math.min(made_products, 5)
    return "POST", "/api/products", admin, '{"name":"Soak ' .. slug .. '","slug":"' .. slug .. '"}' end },
  { "version_create", 1, { 201, 409 }, function() -- thirty versions each, then duplicates (409)
    made_versions = made_versions + 1
    return "POST", "/api/products/soak-t" .. tid .. "/versions", admin,
        '{"version":"1.0.' .. math.min(made_versions, 30) .. '"}' end },
  { "upload_16k", 5, { 201 }, function() -- eight paths per connection, uploaded again and again
    return "PUT", "/api/products/soak-uploads/versions/1.0.0/files/t" .. tid .. "/f" .. (n % 8) .. ".bin",
        { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/octet-stream" }, upload_body end },
  { "mint", 8, { 200 }, function()
    return "POST", "/api/generate-download-url", admin, '{"productId":"epic-drums-v1"}' end },
  { "download_300k", 4, { 200 }, function()
    return "GET", "/download?token=" .. tok_multi .. "&file=Analog-Synth-Presets.bank", {} end },
  { "download_listing", 1, { 200 }, function() return "GET", "/download?token=" .. tok_multi, {} end },
  { "download_range_64k", 5, { 206 }, function()
    local a = math.random(0, big_size - 65537)
    return "GET", "/download?token=" .. tok_big, { ["Range"] = "bytes=" .. a .. "-" .. (a + 65535) } end },
  { "download_suffix", 1, { 206 }, function()
    return "GET", "/download?token=" .. tok_big, { ["Range"] = "bytes=-1000" } end },
  { "download_416", 1, { 416 }, function()
    return "GET", "/download?token=" .. tok_big, { ["Range"] = "bytes=" .. (big_size + 10) .. "-" } end },
  { "download_304", 1, { 304 }, function()
    return "GET", "/download?token=" .. tok_big, { ["If-None-Match"] = big_etag } end },
  { "purchases", 4, { 200 }, function() return "GET", "/api/purchases", admin end },
  { "report_csv", 1, { 200 }, function()
    return "GET", "/api/reports/downloads?from=" .. today .. "&to=" .. today, admin end },
  { "webhook", 5, { 200 }, function()
    -- a bounded set of orders (500 a run): after the first pass, idempotent replays
    local body = '{"orderId":"soak-' .. ((tid * 7919 + n) % 500) .. '","email":"soak' .. (n % 8) ..
        '@example.com","items":[{"productId":"analog-synth-presets"}]}'
    local t = tostring(os.time())
    return "POST", "/api/webhooks/" .. org .. "/purchase", {
      ["Content-Type"] = "application/json", ["X-Continuata-Timestamp"] = t,
      ["X-Continuata-Signature"] = "sha256=" .. hmac_hex(secret, t .. "." .. body) }, body end },
  { "webhook_bad_sig", 1, { 401 }, function()
    local t = tostring(os.time())
    return "POST", "/api/webhooks/" .. org .. "/purchase", { ["Content-Type"] = "application/json",
      ["X-Continuata-Timestamp"] = t, ["X-Continuata-Signature"] = "sha256=" .. string.rep("0", 64) },
        '{"orderId":"forged","email":"x@example.com","items":[{"productId":"analog-synth-presets"}]}' end },
  { "portal_purchases", 8, { 200 }, function() return "GET", "/api/portal/purchases", customer end },
  { "portal_download_url", 5, { 200 }, function()
    return "POST", "/api/portal/download-url", customer, '{"purchaseId":' .. purchase_id .. '}' end },
  { "signin_verification", 1, { 202, 429 }, function()
    local email = "signin-t" .. tid .. "@example.com" -- one per connection: no other flow replaces its code
    flow = { email = email }
    return "POST", "/api/portal/verification", { ["Content-Type"] = "application/json" },
        '{"email":"' .. email .. '"}' end },
}
if has_web then
  local static = E("SOAK_STATIC")
  routes[#routes + 1] = { "static_my_js", 4, { 200 }, function() return "GET", static, {} end }
  routes[#routes + 1] = { "static_my_redirect", 1, { 302 }, function() return "GET", "/my?lang=de", {} end }
end
-- the rest of the sign-in flow, entered only after a 202 (never chosen at random)
local flow_steps = {
  signin_outbox = { { 200 }, function()
    return "GET", "/api/dev/outbox?to=" .. flow.email, {} end },
  signin_session = { { 200, 429 }, function()
    return "POST", "/api/portal/session", { ["Content-Type"] = "application/json" },
        '{"email":"' .. flow.email .. '","code":"' .. flow.code .. '"}' end },
  signin_purchases = { { 200 }, function()
    return "GET", "/api/portal/purchases", { ["Authorization"] = "Bearer " .. flow.token } end },
  signin_signout = { { 204 }, function()
    return "DELETE", "/api/portal/session", { ["Authorization"] = "Bearer " .. flow.token } end },
  signout_then_purchases = { { 401 }, function()
    return "GET", "/api/portal/purchases", { ["Authorization"] = "Bearer " .. flow.token } end },
}

local total_weight = 0
for _, r in ipairs(routes) do total_weight = total_weight + r[2] end

-- statistics, in one flat table (wrk's thread:get copies nested tables wrongly and crashes):
-- "n|route", "bad|route", "st|route|status", "h|route|bucket" (2 % latency buckets of us), "sample|route"
S = {}
local function add(k, v) S[k] = (S[k] or 0) + v end
local LOG_STEP = math.log(1.02)

local current, current_expect, sent_at

function init(args)
  math.randomseed(tid * 1000003 + os.time())
end

function request()
  n = n + 1
  local method, path, headers, body
  if flow and flow.next then
    current = flow.next
    current_expect = flow_steps[current][1]
    method, path, headers, body = flow_steps[current][2]()
  else
    flow = nil
    local pick, acc = math.random() * total_weight, 0
    for _, r in ipairs(routes) do
      acc = acc + r[2]
      if pick <= acc then
        current, current_expect = r[1], r[3]
        method, path, headers, body = r[4]()
        break
      end
    end
  end
  sent_at = now_us()
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  local us = now_us() - sent_at
  add("n|" .. current, 1)
  add("st|" .. current .. "|" .. status, 1)
  add("h|" .. current .. "|" .. math.floor(math.log(math.max(us, 1)) / LOG_STEP), 1)
  local ok = false
  for _, e in ipairs(current_expect) do if e == status then ok = true end end
  -- the sign-in flow: next step on success, back to random routes otherwise
  if flow then
    flow.next = nil
    if current == "signin_verification" and status == 202 then
      flow.next = "signin_outbox"
    elseif current == "signin_outbox" and status == 200 then
      local code = body and string.match(body, "download code: (%d%d%d%d%d%d)")
      if code then flow.code, flow.next = code, "signin_session"
      else ok = false end
    elseif current == "signin_session" and status == 200 then
      local t = body and string.match(body, '"sessionToken":"([^"]+)"')
      if t then flow.token, flow.next = t, "signin_purchases" else ok = false end
    elseif current == "signin_purchases" and status == 200 then
      flow.next = "signin_signout"
    elseif current == "signin_signout" and status == 204 then
      flow.next = "signout_then_purchases"
    end
  end
  if not ok then
    add("bad|" .. current, 1)
    if not S["sample|" .. current] then
      S["sample|" .. current] = status .. " " .. string.gsub(string.sub(body or "", 1, 160), "[\r\n\t]", " ")
    end
  end
end

local threads = {}
local next_tid = 0
function setup(thread)
  next_tid = next_tid + 1
  thread:set("tid", next_tid)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local merged, samples = {}, {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("S")) do
      if string.sub(k, 1, 7) == "sample|" then samples[k] = samples[k] or v
      else merged[k] = (merged[k] or 0) + v end
    end
  end
  local f = assert(io.open(out_path, "w"))
  local e = summary.errors
  f:write(string.format("socket\t%d\t%d\t%d\t%d\t%d\t%d\n", summary.requests, e.connect, e.read, e.write,
    e.timeout, summary.duration))
  for k, v in pairs(merged) do f:write(k, "\t", v, "\n") end
  for k, v in pairs(samples) do f:write(k, "\t", v, "\n") end
  f:close()
end
