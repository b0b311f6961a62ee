// The Groonga library's process-wide state: grn_init/grn_fin, counted over every user of it.
#pragma once

#include <mutex>

#include <groonga.h>

namespace kaiwa::groonga {

// grn_init/grn_fin are process-wide; every open index or normalizer holds a reference.
// Thread-safe.
class GroongaRuntime {
 public:
  static bool acquire() {
    std::lock_guard lock(mutex());
    if (users()++ == 0 && grn_init() != GRN_SUCCESS) {
      --users();
      return false;
    }
    return true;
  }

  static void release() {
    std::lock_guard lock(mutex());
    if (--users() == 0) {
      grn_fin();
    }
  }

 private:
  static std::mutex& mutex() {
    static std::mutex instance;
    return instance;
  }

  static int& users() {
    static int count = 0;
    return count;
  }
};

}  // namespace kaiwa::groonga
