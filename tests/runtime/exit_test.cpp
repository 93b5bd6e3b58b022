// libtally leaves _exit() and _Exit() to the C library: only
// libtally-exit.so, which tally record preloads, replaces them.
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tally/tally.hpp"

namespace {

TEST(Exit, LibtallyLeavesExitToTheCLibrary) {
  // This program links libtally (and uses it, so that the link keeps it).
  (void)tally::instrumented();
  Dl_info tally_info{};
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&tally::instrumented), &tally_info), 0);
  ASSERT_THAT(tally_info.dli_fname, ::testing::HasSubstr("libtally.so"));
  for (const char* name : {"_exit", "_Exit"}) {
    SCOPED_TRACE(name);
    void* f = dlsym(RTLD_DEFAULT, name);
    ASSERT_NE(f, nullptr);
    Dl_info info{};
    ASSERT_NE(dladdr(f, &info), 0);
    // The C library's (or, in a sanitizer build, the sanitizer's, which
    // calls the C library's): never libtally's.
    EXPECT_THAT(info.dli_fname, ::testing::Not(::testing::HasSubstr("libtally")));
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#if defined(__has_feature)
#if !__has_feature(address_sanitizer) && !__has_feature(thread_sanitizer)
    EXPECT_THAT(info.dli_fname, ::testing::HasSubstr("libc.so"));
#endif
#endif
#endif
  }
}

}  // namespace
