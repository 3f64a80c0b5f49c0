#include "work-pool.h"

namespace argus {

WorkPool::~WorkPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  start_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkPool::run(unsigned n, const std::function<void(unsigned)>& fn) {
  if (n > width()) n = width();
  if (n <= 1) {
    if (n == 1) fn(0);
    return;
  }
  if (threads_.empty()) {
    threads_.reserve(helpers_);
    for (unsigned i = 0; i < helpers_; ++i) threads_.emplace_back([this, i] { loop(i + 1); });
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    jobWidth_ = n;
    pending_ = n - 1;
    ++generation_;
  }
  start_.notify_all();
  fn(0);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [this] { return pending_ == 0; });
  job_ = nullptr;
}

void WorkPool::loop(unsigned index) {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    start_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    if (index >= jobWidth_) continue;  // this round needs fewer helpers
    const std::function<void(unsigned)>* fn = job_;
    lock.unlock();
    (*fn)(index);
    lock.lock();
    if (--pending_ == 0) done_.notify_one();
  }
}

}  // namespace argus
