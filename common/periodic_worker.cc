// The pass / wait loop of common/periodic_worker.h.
#include "common/periodic_worker.h"

#include <pthread.h>

#include <chrono>
#include <utility>

namespace renkei {

PeriodicWorker::~PeriodicWorker() { Stop(); }

void PeriodicWorker::Start(const std::string& name, int64_t first_wait_ms,
                           std::function<int64_t()> pass) {
  thread_ = std::thread([this, name, first_wait_ms, pass = std::move(pass)] {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    for (int64_t wait_ms = first_wait_ms;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stop_; })) {
          return;
        }
      }
      wait_ms = pass();
    }
  });
}

void PeriodicWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace renkei
