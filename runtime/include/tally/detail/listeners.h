// Not part of tally's API: what the GoogleTest listeners of
// <tally/report_listener.hpp> and <tally/snapshots.hpp>, which are compiled
// into each test program, keep in libtally-reports, so that there is one of
// each per process even when several shared objects include those headers
// with hidden visibility.  It may change in any release.
#ifndef TALLY_DETAIL_LISTENERS_H_
#define TALLY_DETAIL_LISTENERS_H_

#pragma GCC system_header

namespace tally::detail {

// True the first time it is called in a process, false after: the report
// listener is appended once.
bool first_report_listener();

// The same for the listener of <tally/snapshots.hpp>.
bool first_snapshot_listener();

// How many unnamed snapshots the running test has asked for; the listener
// of <tally/snapshots.hpp> sets it to 0 when a test starts.
int& unnamed_snapshots();

}  // namespace tally::detail

#endif  // TALLY_DETAIL_LISTENERS_H_
