// A background thread that runs one pass of some work, waits, and runs it again until it is
// stopped: the node's outbox delivery, its reconciler and its imaging manifests.
//
// Thread-safety: Start/Stop from one thread (the owner); `pass` runs on the worker's thread.
#ifndef RENKEI_COMMON_PERIODIC_WORKER_H_
#define RENKEI_COMMON_PERIODIC_WORKER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace renkei {

class PeriodicWorker {
 public:
  PeriodicWorker() = default;
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;
  ~PeriodicWorker();  // stops

  // Starts the thread (named `name`, at most 15 characters): it waits `first_wait_ms`, runs
  // `pass`, then waits the milliseconds `pass` returned, and so on. A Stop ends a wait at
  // once; a pass under way is finished first.
  void Start(const std::string& name, int64_t first_wait_ms, std::function<int64_t()> pass);
  void Stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace renkei

#endif  // RENKEI_COMMON_PERIODIC_WORKER_H_
