// WorkPool: fork-join over a few helper threads. run(n, fn) calls fn(0) on
// the calling thread and fn(1..n-1) on helpers, and returns when all are
// done. Helpers start on first use and live as long as the pool.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace argus {

class WorkPool {
 public:
  explicit WorkPool(unsigned helpers) : helpers_(helpers) {}
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool();

  unsigned width() const { return helpers_ + 1; }
  // n <= width(). fn must not throw (the core is built without exceptions
  // escaping its API).
  void run(unsigned n, const std::function<void(unsigned)>& fn);

 private:
  void loop(unsigned index);

  unsigned helpers_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_, done_;
  const std::function<void(unsigned)>* job_ = nullptr;
  unsigned jobWidth_ = 0;
  uint64_t generation_ = 0;
  unsigned pending_ = 0;
  bool stop_ = false;
};

}  // namespace argus
