// Instrumented modules loaded and unloaded at run time: their calls are
// counted while they are loaded, and profiles never read an unloaded module.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tally/tally.hpp"

namespace {

using Work = int (*)(int);

struct Loaded {
  Loaded() : handle(dlopen(TALLY_LOADABLE_PATH, RTLD_NOW | RTLD_LOCAL)) {
    if (handle) work = reinterpret_cast<Work>(dlsym(handle, "loadable_work"));
  }
  ~Loaded() {
    if (handle) dlclose(handle);
  }
  void* handle;
  Work work = nullptr;
};

TEST(Dlopen, CountsCallsOfALoadedModule) {
  Loaded module;
  ASSERT_NE(module.handle, nullptr) << dlerror();
  ASSERT_NE(module.work, nullptr);
  tally::Profile p = tally::profile([&] { module.work(7); });
  EXPECT_EQ(p.count("loadable_work"), 1u) << p;
  EXPECT_EQ(p.count("loadable::leaf"), 7u);
}

TEST(Dlopen, CountsAModuleLoadedDuringTheProfile) {
  tally::Profile p = tally::profile([] {
    Loaded module;
    ASSERT_NE(module.work, nullptr) << dlerror();
    module.work(3);
    // Unloaded before the profile ends: its calls are lost, nothing crashes.
  });
  EXPECT_EQ(p.count("loadable::leaf"), 0u) << p;
  tally::Profile q = tally::profile([] {});
  EXPECT_TRUE(q.empty()) << q;
}

TEST(Dlopen, ProfilesWhileAnotherThreadLoadsAndUnloads) {
  std::atomic<bool> done{false};
  std::atomic<int> loads{0};
  std::thread loader([&] {
    for (int i = 0; i < 300; ++i) {
      Loaded module;
      if (module.work) module.work(2);
      ++loads;
    }
    done = true;
  });
  int profiles = 0;
  while (!done) {
    tally::Profile p = tally::profile([] {});
    // Another thread's calls may fall inside the profile, never more than
    // one module's worth at a time.
    EXPECT_LE(p.count("loadable::leaf"), 4u);
    ++profiles;
  }
  loader.join();
  EXPECT_EQ(loads.load(), 300);
  EXPECT_GT(profiles, 0);
}

}  // namespace
