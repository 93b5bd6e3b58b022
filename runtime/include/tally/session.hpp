// Sessions: the counts of every instrumented process started under one
// name, summed in a shared-memory segment.  `tally record` creates one and
// sets TALLY_SESSION=<name> for the command it runs; each instrumented
// process that starts with that variable joins the session.  See
// docs/sessions.md for what survives what.
#ifndef TALLY_SESSION_HPP_
#define TALLY_SESSION_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <cstdint>  // std::uint64_t
#include <memory>   // std::unique_ptr
#include <string>   // std::string
#include <vector>   // std::vector

#include "tally/tally.hpp"

namespace tally {

struct SessionStatus {
  std::string name;
  std::uint64_t size = 0;       // bytes of the segment
  std::uint64_t used = 0;       // bytes allocated in it
  std::uint64_t processes = 0;  // processes that joined
  std::uint64_t modules = 0;    // modules of those processes, one per process and module
  std::uint64_t refused = 0;    // modules left out because the segment was full
  std::uint64_t owner_pid = 0;  // the process that created the session
  bool owner_alive = false;     // false: a stale session, left by a run that died
  bool closed = false;          // read by its recorder; processes add nothing more
  std::uint64_t created = 0;    // seconds since the epoch
  std::uint64_t flush_ms = 0;   // how often processes copy their counts in
  // Which tally record made it; tally record passes it to the processes it
  // starts as TALLY_SESSION_ID, and they join no other session.
  std::string id;
};

// A session's segment, mapped in this process.  Every member throws
// std::runtime_error with a message that names the problem and its fix.
class Session {
 public:
  // The default size of a new session's segment.
  static constexpr std::uint64_t default_size = 64ull << 20;
  // How often each process copies its counts into the segment: what a
  // process killed by SIGKILL can lose.
  static constexpr std::uint64_t flush_ms = 100;

  // Creates the segment of session `name`, readable and writable by this
  // user only, as /dev/shm/tally.<name>.  A segment of the same name whose
  // creator is gone is stale: it is removed first, never reused, and `stale`
  // (if not null) receives a sentence saying so.  A segment whose creator
  // still runs is an error.  Creators of one name take turns, through the
  // lock file /dev/shm/tally~lock.<name>, there while one of them holds it.
  static Session create(const std::string& name, std::uint64_t size, std::string* stale);
  // Opens the existing segment of session `name` to read it.
  static Session open(const std::string& name);

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  SessionStatus status() const;
  // Every function that a process of the session registered, with its
  // calls summed over processes (0 when none called it); one entry per
  // signature, file and line, sorted by signature.
  std::vector<Entry> functions() const;
  // The call sites at which processes of the session counted calls
  // (callers, docs/callers.md), summed over processes: one per call, most
  // calls first; empty when none was built with callers.
  std::vector<CallSite> call_sites() const;
  // Marks the session closed: processes still running add nothing more.
  void close();
  // Removes the segment's name, if it is still this segment's: processes
  // that have it mapped keep it until they end.
  void remove();

  struct Impl;  // libtally's own

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally

#endif  // TALLY_SESSION_HPP_
