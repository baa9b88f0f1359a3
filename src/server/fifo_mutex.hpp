// A mutex that hands itself to waiters in arrival order. SQLite writers queue on it: with
// std::mutex a thread that just unlocked (or one that just arrived) wins again and again, and a
// few unlucky requests waited for dozens of others, which was the tail latency of minting links.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace continuata::server {

class FifoMutex {
 public:
  void lock() {
    std::unique_lock<std::mutex> guard(mu_);
    if (!locked_ && waiters_.empty()) {
      locked_ = true;
      return;
    }
    Waiter me;
    waiters_.push_back(&me);
    me.turn.wait(guard, [&] { return me.granted; });  // unlock() handed the lock to us
  }
  // Threads queued behind the holder (for tests that line threads up deterministically).
  size_t waiting() {
    std::lock_guard<std::mutex> guard(mu_);
    return waiters_.size();
  }
  void unlock() {
    std::lock_guard<std::mutex> guard(mu_);
    if (waiters_.empty()) {
      locked_ = false;
      return;
    }
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;  // stays locked: ownership passes straight to the oldest waiter
    next->turn.notify_one();
  }

 private:
  struct Waiter {
    std::condition_variable turn;
    bool granted = false;
  };
  std::mutex mu_;
  std::deque<Waiter*> waiters_;
  bool locked_ = false;
};

}  // namespace continuata::server
