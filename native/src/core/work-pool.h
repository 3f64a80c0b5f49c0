// WorkPool: a few helper threads that take numbered pieces of one job.
// start(n, fn) hands out pieces 0..n-1 to the helpers and returns at once, so
// the caller can do other work; finish() makes the calling thread take the
// pieces still left and returns when every piece is done. Helpers start on
// first use and live as long as the pool.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace argus {

class WorkPool {
 public:
  explicit WorkPool(unsigned helpers) : helpers_(helpers) {}
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  ~WorkPool();  // finishes a started job first

  unsigned width() const { return helpers_ + 1; }
  // fn must not throw and must stay valid until finish() returns.
  void start(unsigned pieces, std::function<void(unsigned)> fn);
  void finish();

 private:
  // One started job. Helpers hold it by shared_ptr, so one that wakes late
  // only ever counts against the job it saw, never a newer one.
  struct Job {
    std::function<void(unsigned)> fn;
    unsigned pieces = 0;
    std::atomic<unsigned> next{0};
    unsigned finished = 0;  // under mu_
  };
  void loop();
  void take(Job& job);  // runs pieces of `job` until none is left

  unsigned helpers_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::shared_ptr<Job> job_;
  uint64_t generation_ = 0;
  bool running_ = false;
  bool stop_ = false;
};

}  // namespace argus
