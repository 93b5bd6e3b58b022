// TALLY_VERSION is the project's version (CMake reads it from tally.hpp).
#include <gtest/gtest.h>

#include "tally/tally.hpp"

static_assert(TALLY_VERSION == TALLY_PROJECT_VERSION_NUMBER,
              "TALLY_VERSION differs from the CMake project's version");

TEST(Version, IsTheProjectsVersion) {
  EXPECT_EQ(TALLY_VERSION, TALLY_VERSION_MAJOR * 10000 + TALLY_VERSION_MINOR * 100 +
                               TALLY_VERSION_PATCH);
  EXPECT_EQ(TALLY_VERSION, TALLY_PROJECT_VERSION_NUMBER);
}
