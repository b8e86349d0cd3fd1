// What both addons do the same way, below their JavaScript bindings (Node-API in shm.cc, the V8
// API in shared-buffer.cc): open a POSIX shared memory object, and futex wait/wake on a word of
// it. Not FUTEX_PRIVATE: the kernel keys a shared futex by page, so a wake from another process
// (through its own mapping of the same object) reaches the waiter.
#ifndef MANYCORE_SHM_COMMON_H_
#define MANYCORE_SHM_COMMON_H_

#include <cerrno>
#include <climits>
#include <cstdint>
#include <string>

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace manycore {

// A descriptor for the object `name`, or -1 with `failed` (the call that failed) and `error`.
// `create` makes a new object of `size` bytes, failing if the name exists; an object that was
// created but could not be sized is removed again.
struct ShmOpenResult {
  int fd;
  const char* failed;
  int error;
};

inline ShmOpenResult ShmOpen(const std::string& name, uint64_t size, bool create) {
  const int fd = shm_open(name.c_str(), create ? (O_RDWR | O_CREAT | O_EXCL) : O_RDWR, 0600);
  if (fd < 0) return {-1, "shm_open", errno};
  if (create && ftruncate(fd, static_cast<off_t>(size)) != 0) {
    const int error = errno;
    close(fd);
    shm_unlink(name.c_str());
    return {-1, "ftruncate", error};
  }
  return {fd, nullptr, 0};
}

// One futex wait: "ok", "not-equal" or "timed-out" (as Atomics.wait), or nullptr with `failure`
// set to the errno. A timeout below 0 or above ~30,000 years means "forever". EINTR waits again
// (the relative timeout restarts; callers re-check their condition on any wake anyway).
inline const char* FutexWait(int32_t* word, int32_t expected, double timeout_ms, int* failure) {
  timespec timeout{};
  const bool bounded = timeout_ms >= 0 && timeout_ms < 1e15;
  if (bounded) {
    timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
    timeout.tv_nsec = static_cast<long>((timeout_ms - static_cast<double>(timeout.tv_sec) * 1000) * 1e6);
  }
  for (;;) {
    const long rc = syscall(SYS_futex, word, FUTEX_WAIT, expected, bounded ? &timeout : nullptr, nullptr, 0);
    if (rc == 0) return "ok";
    if (errno == EAGAIN) return "not-equal";
    if (errno == ETIMEDOUT) return "timed-out";
    if (errno != EINTR) {
      *failure = errno;
      return nullptr;
    }
  }
}

// Wakes up to `count` waiters (clamped to 0 … INT_MAX); returns how many woke, or -1 (errno set).
inline long FutexWake(int32_t* word, double count) {
  const int waiters = count >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(count < 0 ? 0 : count);
  return syscall(SYS_futex, word, FUTEX_WAKE, waiters, nullptr, nullptr, 0);
}

}  // namespace manycore

#endif  // MANYCORE_SHM_COMMON_H_
