// libcurl SMTP client and MIME rendering.
#include "server/mail_smtp.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>

#include "server/crypto_util.hpp"
#include "server/mail_headers.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// The bare address of "Name <addr>" or "addr".
std::string address_of(const std::string& s) {
  auto a = s.find('<'), b = s.find('>');
  return a != std::string::npos && b != std::string::npos && b > a ? s.substr(a + 1, b - a - 1) : s;
}

std::string crlf(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
      out += "\r\n";
    else
      out.push_back(s[i]);
  }
  return out;
}

// RFC 2047 for a header holding non-ASCII text. CR and LF never reach a header (a name with a
// line break would otherwise add header fields of its own).
std::string encode_header(std::string s) {
  for (auto& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  for (unsigned char c : s)
    if (c >= 0x80) {
      static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      std::string out;
      size_t i = 0;
      for (; i + 2 < s.size(); i += 3) {
        unsigned n = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 | (unsigned char)s[i + 2];
        out += {b64[n >> 18], b64[(n >> 12) & 63], b64[(n >> 6) & 63], b64[n & 63]};
      }
      if (i + 1 == s.size()) {
        unsigned n = (unsigned char)s[i] << 16;
        out += {b64[n >> 18], b64[(n >> 12) & 63], '=', '='};
      } else if (i + 2 == s.size()) {
        unsigned n = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8;
        out += {b64[n >> 18], b64[(n >> 12) & 63], b64[(n >> 6) & 63], '='};
      }
      return "=?UTF-8?B?" + out + "?=";
    }
  return s;
}

struct Upload {
  std::string data;
  size_t pos = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t len = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

}  // namespace

std::optional<SmtpConfig> SmtpConfig::from_environment() {
  SmtpConfig c;
  c.url = env_or("CONTINUATA_SMTP_URL", "");
  if (c.url.empty()) return std::nullopt;
  c.user = env_or("CONTINUATA_SMTP_USER", "");
  c.password = env_or("CONTINUATA_SMTP_PASSWORD", "");
  c.from = env_or("CONTINUATA_SMTP_FROM", "Continuata <no-reply@localhost>");
  c.starttls = env_or("CONTINUATA_SMTP_STARTTLS", "required");
  return c;
}

std::string render_mime_message(const SmtpConfig& cfg, const MailMessage& m, const std::string& message_id,
                                const std::string& date) {
  std::string boundary = "continuata-" + random_hex(12);
  std::string out;
  out += "Date: " + date + "\r\n";
  out += "From: " + cfg.from + "\r\n";
  out += "To: " + encode_header(m.to) + "\r\n";
  out += "Subject: " + encode_header(m.subject) + "\r\n";
  out += "Message-ID: <" + message_id + ">\r\n";
  for (const auto& [name, value] : read_stored_headers(stored_headers(m.headers)))  // checked lines only
    out += name + ": " + encode_header(value) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary +
         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  out += crlf(m.text) + "\r\n";
  out += "--" + boundary +
         "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  out += crlf(m.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string queued_message_id(int64_t row_id, int64_t created_at, const std::string& to) {
  return "mail-" + std::to_string(row_id) + "-" +
         sha256_hex(std::to_string(row_id) + "\n" + std::to_string(created_at) + "\n" + to).substr(0, 24);
}

std::string smtp_send_now(const SmtpConfig& cfg, const MailMessage& m, const std::string& id) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return "curl_easy_init failed";
  char date[64];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  std::string domain = address_of(cfg.from);
  domain = domain.substr(domain.find('@') == std::string::npos ? 0 : domain.find('@') + 1);
  Upload up{render_mime_message(cfg, m, (id.empty() ? random_hex(16) : id) + "@" + domain, date)};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, ("<" + address_of(m.to) + ">").c_str()), curl_slist_free_all);
  std::string from = "<" + address_of(cfg.from) + ">";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, cfg.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (cfg.url.rfind("smtps://", 0) != 0)
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     cfg.starttls == "required" ? long(CURLUSESSL_ALL)
                     : cfg.starttls == "off"    ? long(CURLUSESSL_NONE)
                                                : long(CURLUSESSL_TRY));
  if (!cfg.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, cfg.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  return rc == CURLE_OK ? "" : curl_easy_strerror(rc);
}

SmtpMailer::SmtpMailer(SmtpConfig cfg, Database& db, std::function<int64_t()> now_ms)
    : cfg_(std::move(cfg)), db_(db), now_ms_(std::move(now_ms)), worker_([this] { run(); }) {}

SmtpMailer::~SmtpMailer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void SmtpMailer::send(const MailMessage& m) {
  Db& db = db_.connection();
  {
    // The bound is checked and the row added under one lock, shared by every instance.
    Transaction tx(db, TxLock::Keyed, "mail_queue");
    if (store::pending_direct_mail_count(db) >= kMaxQueuedMail) {
      std::fprintf(stderr, "{\"level\":\"error\",\"message\":\"mail queue full: message dropped\"}\n");
      return;
    }
    store::enqueue_mail(
        db, store::OutboxMessage{m.to, m.subject, m.text, m.html, now_ms_(), stored_headers(m.headers)},
        now_ms_());
    tx.commit();
  }
  cv_.notify_one();
}

void SmtpMailer::queue_bulk(Db& db, const MailMessage& m, int64_t slot_at) {
  // Not bounded by kMaxQueuedMail (that bound is for direct mail): the caller paces bulk mail.
  store::enqueue_bulk_mail(
      db, store::OutboxMessage{m.to, m.subject, m.text, m.html, now_ms_(), stored_headers(m.headers)},
      now_ms_(), slot_at);
}

void SmtpMailer::run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    bool idle = true;
    try {
      idle = !send_one_due();
    } catch (const std::exception& e) {
      // Nothing leaves this thread: a database or network fault is logged and the worker tries
      // again in a second; the message stays queued (its lease runs out) for any instance.
      std::fprintf(
          stderr, "{\"level\":\"error\",\"message\":\"mail worker failed\",\"error\":%s}\n",
          nlohmann::json(e.what()).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
    if (idle) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }
}

bool SmtpMailer::send_one_due() {
  Db& db = db_.connection();
  int64_t now = now_ms_();
  std::optional<store::QueuedMail> q;
  {
    // Workers of every instance claim side by side: the claim's own row lock keeps them apart.
    Transaction tx(db, TxLock::Concurrent);
    q = store::claim_due_mail(db, now, now + 120000);  // leased while it is being sent
    tx.commit();
  }
  if (!q) return false;
  const auto& o = q->message;
  std::string err =
      smtp_send_now(cfg_, MailMessage{o.to, o.subject, o.text, o.html, read_stored_headers(o.headers)},
                    queued_message_id(q->id, o.created_at, o.to));
  int64_t attempts = q->attempts + 1;
  {
    Transaction tx(db, TxLock::Concurrent);
    if (err.empty())
      store::mark_mail_sent(db, q->id, now_ms_());
    else if (attempts >= kMailAttempts)
      store::mark_mail_failed(db, q->id, attempts, now_ms_());
    else
      store::mark_mail_retry(db, q->id, attempts, now_ms_() + (int64_t(30000) << (attempts - 1)));
    tx.commit();
  }
  nlohmann::json line = {{"mail", "smtp"}, {"to", o.to}, {"ok", err.empty()}, {"attempt", attempts}};
  if (!err.empty()) line["error"] = err;
  std::fprintf(stdout, "%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  return true;
}

}  // namespace continuata::server
