// fork(): the child counts its own calls; the parent's counts are unaffected.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tally/tally.hpp"
#include "workload.hpp"

namespace {

TEST(Fork, ChildAndParentCountTheirOwnCalls) {
  tally::Profile parent = tally::profile([] {
    work::branch(2);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      tally::Profile child = tally::profile([] { work::branch(5); });
      _exit(child.count("work::leaf") == 5 && child.count("work::branch") == 1 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child's counts were wrong";
    work::branch(1);
  });
  EXPECT_EQ(parent.count("work::leaf"), 3u) << parent;
  EXPECT_EQ(parent.count("work::branch"), 2u);
}

}  // namespace
