// Clock: where use cases get the time, so tests can fix it.
#pragma once

#include <chrono>
#include <cstdint>

namespace kaiwa::ports {

// Thread-safe: implementations must be callable from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t now_unix_ms() const = 0;

  std::int64_t now_unix() const { return now_unix_ms() / 1000; }
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_unix_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace kaiwa::ports
