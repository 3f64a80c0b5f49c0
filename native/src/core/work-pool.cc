#include "work-pool.h"

namespace argus {

WorkPool::~WorkPool() {
  if (running_) finish();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkPool::start(unsigned pieces, std::function<void(unsigned)> fn) {
  if (running_) finish();
  if (helpers_ > 0 && threads_.empty()) {
    threads_.reserve(helpers_);
    for (unsigned i = 0; i < helpers_; ++i) threads_.emplace_back([this] { loop(); });
  }
  auto job = std::make_shared<Job>();
  job->fn = std::move(fn);
  job->pieces = pieces;
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = std::move(job);
    ++generation_;
    running_ = true;
  }
  wake_.notify_all();
}

void WorkPool::take(Job& job) {
  unsigned done = 0;
  for (unsigned i = job.next.fetch_add(1); i < job.pieces; i = job.next.fetch_add(1)) {
    job.fn(i);
    ++done;
  }
  if (done > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    job.finished += done;
    if (job.finished == job.pieces) done_.notify_all();
  }
}

void WorkPool::finish() {
  if (!running_) return;
  std::shared_ptr<Job> job = job_;
  take(*job);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return job->finished == job->pieces; });
  running_ = false;
}

void WorkPool::loop() {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    std::shared_ptr<Job> job = job_;
    lock.unlock();
    take(*job);
    lock.lock();
  }
}

}  // namespace argus
