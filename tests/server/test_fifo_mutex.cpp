// FifoMutex hands the lock to waiters in the order they queued, and excludes like a mutex.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "server/fifo_mutex.hpp"

using continuata::server::FifoMutex;

TEST_CASE("waiters get the lock in the order they arrived") {
  FifoMutex m;
  std::vector<int> order;
  std::vector<std::thread> threads;
  m.lock();
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      m.lock();
      order.push_back(i);  // guarded by m
      m.unlock();
    });
    while (m.waiting() != size_t(i) + 1) std::this_thread::yield();  // thread i is queued
  }
  m.unlock();
  for (auto& t : threads) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(m.waiting() == 0);
}

TEST_CASE("it excludes: concurrent increments under the lock are not lost") {
  FifoMutex m;
  long counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        m.lock();
        ++counter;
        m.unlock();
      }
    });
  for (auto& t : threads) t.join();
  CHECK(counter == 80000);
}
