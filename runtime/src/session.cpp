// Sessions (tally/session.hpp): a process started with TALLY_SESSION=<name>
// joins the session's segment when its first instrumented module registers,
// and from then on copies its counts into the segment
//   - every Session::flush_ms, from a thread of its own;
//   - when a module unloads, for that module;
//   - when the process exits: exit() and return from main() through the
//     modules' destructors, _exit() and _Exit() through libtally-exit.so
//     (exit.c), which tally record preloads;
//   - when a signal whose default action ends the process arrives (SIGSEGV,
//     SIGABRT, SIGTERM, ...), before the signal takes its course.
// The counters themselves stay where they are: the hot path does not know
// that a session exists.  A forked child gets blocks of its own, so that the
// counts it inherited are not counted twice.
#include "tally/session.hpp"

#include <dlfcn.h>        // dlsym
#include <pthread.h>      // pthread_atfork
#include <signal.h>       // sigaction
#include <unistd.h>       // getpid

#include <cerrno>     // errno
#include <chrono>     // std::chrono
#include <cstdio>     // std::fprintf
#include <cstdlib>    // std::getenv
#include <cstring>    // std::strcspn
#include <memory>     // std::unique_ptr
#include <mutex>      // std::mutex
#include <system_error>  // std::system_error
#include <thread>     // std::thread

#include "registry.h"
#include "segment.h"
#include "segment_map.h"  // map_segment, and Boost.Interprocess
#include "session_internal.h"

namespace bip = boost::interprocess;

namespace tally {
namespace detail {
namespace {

using segment::Block;
using segment::Header;
using segment::Mapping;

// ---- The process side -------------------------------------------------

// One module of this process in the session.
struct Joined {
  ModuleRecord* module;
  std::uint64_t generation;
  std::uint64_t functions;           // its sites, and counts in its block
  std::uint64_t description;         // offset of its Description; 0: none (full)
  std::atomic<Block*> block;         // null: none yet, or left out
  std::atomic<int> giving;           // a forked child's block: kGiven, kPending, kGiving
  std::atomic<std::uint64_t*> base;  // the counters when this process forked; null: 0
  std::atomic<bool> gone;            // unloaded, after its last flush
  Joined* next;
};

struct Joining {
  std::string name;
  Mapping mapping;
  std::string full;  // the message for a full segment, made before a signal handler needs it
  // Never closed or unmapped: the process writes to the segment until its
  // last instruction.
  std::unique_ptr<bip::shared_memory_object> shm;
  std::unique_ptr<bip::mapped_region> region;
};

void make_full_message(Joining* s) {
  const Header* h = s->mapping.header();
  s->full = "tally: session " + s->name + " is full (" + segment::size_text(h->size) +
            "): the counts of process " + std::to_string(getpid()) +
            " are not all recorded; record again with a larger segment: tally record --size " +
            segment::size_text(h->size * 4) + "\n";
}

std::atomic<Joined*> g_joined{nullptr};
std::atomic<Joining*> g_session{nullptr};  // the session joined, for the life of the process
std::mutex g_flush_mutex;  // one flush at a time, outside signal handlers
std::atomic<bool> g_counted{false};  // this process is in Header::processes
// The process whose memory this is: set when it joins, and in a forked
// child.  A vfork() child shares the memory with another pid, and must
// leave it alone.
std::atomic<pid_t> g_member{0};
enum { kGiven, kPending, kGiving };

void give_block(const Joining* s, Joined* j);

void flush(Joining* s, Joined* j) {
  Block* block = j->block.load(std::memory_order_acquire);
  const std::uint64_t* base = j->base.load(std::memory_order_acquire);
  if (!block && j->giving.load(std::memory_order_acquire) != kGiven) {
    // A forked child takes its blocks once it has made a call: one that
    // only runs exec() takes none.
    bool called = false;
    for (std::uint64_t i = 0; i < j->functions && !called; ++i)
      called = count_of(j->module, j->module->begin[i]) != base[i];
    if (!called) return;
    int pending = kPending;
    if (j->giving.compare_exchange_strong(pending, kGiving)) {
      give_block(s, j);
      j->giving.store(kGiven, std::memory_order_release);
    } else {
      // Another thread gives it now; this may be a signal handler that
      // interrupted that very thread, so wait only so long.
      for (int spins = 0; spins < 1000000 && j->giving.load() == kGiving; ++spins) {
      }
    }
    block = j->block.load(std::memory_order_acquire);
  }
  if (!block) return;
  std::uint64_t* counts = segment::counts_of(block);
  const tally_site* begin = j->module->begin;
  for (std::uint64_t i = 0; i < j->functions; ++i) {
    std::uint64_t count = count_of(j->module, begin[i]);
    segment::raise_to(&counts[i], count - (base ? base[i] : 0));
  }
}

bool closed(const Joining* s) {
  return __atomic_load_n(&s->mapping.header()->state, __ATOMIC_RELAXED) != segment::kRecording;
}

// Async-signal-safe: no allocation, no lock.
void flush_all() {
  Joining* s = g_session.load(std::memory_order_acquire);
  if (!s || closed(s)) return;
  for (Joined* j = g_joined.load(std::memory_order_acquire); j; j = j->next) {
    if (j->gone.load(std::memory_order_acquire)) continue;
    ModuleReader reader(j->module, j->generation);
    if (reader) flush(s, j);
  }
}

// Async-signal-safe, as flush() may call it from a signal handler.
void warn_full(const Joining* s) {
  static std::atomic<bool> warned{false};
  if (warned.exchange(true)) return;
  (void)!write(STDERR_FILENO, s->full.data(), s->full.size());
}

// A block for `j` in the segment, for the process that runs now; the
// process counts as one of the session's with its first block.
void give_block(const Joining* s, Joined* j) {
  Block* block =
      j->description ? s->mapping.block(j->description, j->functions, getpid()) : nullptr;
  if (!block) {
    __atomic_add_fetch(&s->mapping.header()->refused, 1, __ATOMIC_RELAXED);
    warn_full(s);
  }
  if (!g_counted.exchange(true))
    __atomic_add_fetch(&s->mapping.header()->processes, 1, __ATOMIC_RELAXED);
  j->block.store(block, std::memory_order_release);
}

void start_flushing() {
  // The thread takes no signal: they are the program's own threads' to take.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    std::thread([] {
      pthread_setname_np(pthread_self(), "tally-flush");
      for (;;) {
        Joining* s = g_session.load(std::memory_order_acquire);
        // Another process may have written anything there: from 1 ms to a minute.
        std::uint64_t ms = __atomic_load_n(&s->mapping.header()->flush_ms, __ATOMIC_RELAXED);
        if (ms == 0 || ms > 60000) ms = Session::flush_ms;
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        std::lock_guard<std::mutex> lock(g_flush_mutex);
        flush_all();
      }
    }).detach();
  } catch (const std::system_error& e) {
    std::fprintf(stderr,
                 "tally: cannot start the thread that copies the counts of process %d into "
                 "session %s every %llu ms (%s): they are copied at exit and on fatal signals "
                 "only\n",
                 static_cast<int>(getpid()), g_session.load()->name.c_str(),
                 static_cast<unsigned long long>(Session::flush_ms), e.what());
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

// ---- Signals ----

// The signals whose default action ends the process, but SIGKILL and
// SIGSTOP, which cannot be caught, and SIGVTALRM, SIGPROF and the real-time
// signals, which profilers and libraries use.  Those a fault raises are
// caught in front of the program's own handlers (crash reporters that end
// with the default action); the others only while their action is the
// default one, so that a program's handler for them runs as it did.
constexpr int kFaultSignals[] = {SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS};
constexpr int kOtherSignals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGUSR1, SIGUSR2,
                                 SIGPIPE, SIGALRM, SIGTERM, SIGXCPU, SIGXFSZ};
struct sigaction g_previous[NSIG];

void on_fatal_signal(int sig, siginfo_t* info, void* context) {
  int saved_errno = errno;
  flush_all();
  const struct sigaction& previous = g_previous[sig];
  // SIG_DFL and SIG_IGN share their place with sa_sigaction.
  bool handler = previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN;
  if (!handler || (previous.sa_flags & SA_RESETHAND)) {
    struct sigaction reset {};
    reset.sa_handler = SIG_DFL;
    sigaction(sig, &reset, nullptr);
  }
  if (!handler) {
    // The default action: the signal, blocked while this runs, ends the
    // process as soon as this handler returns.
    raise(sig);
  } else if (previous.sa_flags & SA_SIGINFO) {
    previous.sa_sigaction(sig, info, context);
  } else {
    previous.sa_handler(sig);
  }
  errno = saved_errno;
}

void install_signal_handler(int sig, bool over_handlers) {
  struct sigaction current {};
  if (sigaction(sig, nullptr, &current) != 0 || current.sa_handler == SIG_IGN) return;
  if (current.sa_handler != SIG_DFL && !over_handlers) return;
  struct sigaction mine {};
  mine.sa_sigaction = on_fatal_signal;
  mine.sa_mask = current.sa_mask;
  mine.sa_flags = SA_SIGINFO | SA_ONSTACK | (current.sa_flags & (SA_RESTART | SA_NODEFER));
  g_previous[sig] = current;
  sigaction(sig, &mine, nullptr);
}

void install_signal_handlers() {
  for (int sig : kFaultSignals) install_signal_handler(sig, true);
  for (int sig : kOtherSignals) install_signal_handler(sig, false);
}

// ---- fork ----

void before_fork() { g_flush_mutex.lock(); }
void after_fork_in_parent() { g_flush_mutex.unlock(); }
void after_fork_in_child() {
  g_flush_mutex.unlock();
  Joining* s = g_session.load(std::memory_order_acquire);
  if (!s || closed(s)) return;
  g_counted.store(false);
  g_member.store(getpid(), std::memory_order_relaxed);
  make_full_message(s);  // with the child's pid
  // The counts so far belong to the parent, which records them itself; the
  // child's blocks come with its first call (flush()).
  for (Joined* j = g_joined.load(std::memory_order_acquire); j; j = j->next) {
    if (j->gone.load(std::memory_order_relaxed)) continue;
    ModuleReader reader(j->module, j->generation);
    if (!reader) continue;
    auto* base = new std::uint64_t[j->functions];
    for (std::uint64_t i = 0; i < j->functions; ++i)
      base[i] = count_of(j->module, j->module->begin[i]);
    j->block.store(nullptr, std::memory_order_relaxed);
    j->base.store(base, std::memory_order_relaxed);
    j->giving.store(kPending, std::memory_order_release);
  }
  start_flushing();
}

// ---- Joining ----

Joining* join(const char* name) {
  auto fail = [&](const std::string& why) -> Joining* {
    std::fprintf(stderr, "tally: TALLY_SESSION=%s: %s; this process's counts are not recorded\n",
                 name, why.c_str());
    return nullptr;
  };
  if (std::string bad = segment::check_name(name); !bad.empty()) return fail(bad);
  try {
    // Unmapped (and closed) when the process does not join.
    auto shm = std::make_unique<bip::shared_memory_object>();
    auto region = std::make_unique<bip::mapped_region>();
    if (std::string bad = map_segment(name, bip::read_write, *shm, *region); !bad.empty())
      return fail("the session's segment cannot be used: " + bad);
    Mapping mapping(region->get_address(), region->get_size());
    auto joining = std::make_unique<Joining>(
        Joining{name, mapping, {}, std::move(shm), std::move(region)});
    Joining* s = joining.get();
    const Header* h = s->mapping.header();
    if (!segment::process_alive(h->owner_pid, h->owner_start))
      return fail("the session is stale: the tally record that made it (pid " +
                  std::to_string(h->owner_pid) + ") is gone; run the command under tally record");
    // A process that an earlier run left behind must not add to a new
    // session of the same name.
    const char* id = std::getenv("TALLY_SESSION_ID");
    if (id && *id && segment::session_id(*h) != id)
      return fail("the session was made by another tally record than the one that started "
                  "this process (pid " +
                  std::string(id, std::strcspn(id, ".")) + ", which has finished)");
    if (closed(s)) return fail("the session is closed: its tally record has finished");
    joining.release();  // to g_session, for good
    g_member.store(getpid(), std::memory_order_relaxed);
    make_full_message(s);
    g_session.store(s, std::memory_order_release);
    install_signal_handlers();
    // libtally-exit.so, preloaded by tally record, calls it from _exit().
    using Hook = void (*)();
    if (auto* hook = reinterpret_cast<Hook volatile*>(dlsym(RTLD_DEFAULT, "__tally_exit_hook")))
      *hook = [] { session_exit(); };
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
    start_flushing();
    return s;
  } catch (const bip::interprocess_exception& e) {
    if (e.get_error_code() == bip::not_found_error)
      return fail("no such session; sessions are made by tally record -- <command>");
    if (e.get_error_code() == bip::security_error)
      return fail("permission denied: the session belongs to another user");
    return fail(std::string("cannot open the session's segment: ") + e.what());
  }
}

Joining* session() {
  static Joining* const s = [] {
    const char* name = std::getenv("TALLY_SESSION");
    return name && *name ? join(name) : nullptr;
  }();
  return s;
}

}  // namespace

void session_register(ModuleRecord* module, std::uint64_t generation) {
  Joining* s = session();
  if (!s) return;
  Describer describer;
  SiteList sites =
      site_list(module->begin, module->end.load(std::memory_order_relaxed), describer);
  std::uint64_t functions = sites.entries.size();
  std::uint64_t description =
      s->mapping.description(encode_sites(sites), static_cast<std::uint32_t>(functions));
  auto* j = new Joined{module,    generation, functions, description, {nullptr},
                       {kGiven},  {nullptr},  {false},        nullptr};
  give_block(s, j);
  Joined* head = g_joined.load(std::memory_order_relaxed);
  do {
    j->next = head;
  } while (!g_joined.compare_exchange_weak(head, j, std::memory_order_release,
                                           std::memory_order_relaxed));
}

void session_unregister(ModuleRecord* module) {
  if (!g_session.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(g_flush_mutex);
  for (Joined* j = g_joined.load(std::memory_order_acquire); j; j = j->next) {
    if (j->module != module || j->gone.load(std::memory_order_relaxed)) continue;
    if (!closed(g_session.load())) flush(g_session.load(), j);
    j->gone.store(true, std::memory_order_release);
  }
}

void session_exit() {
  // A vfork() child (or a clone that shares the memory and skipped the
  // fork handlers) ending with _exit(): the counts, the lock and the blocks
  // are another process's.
  if (getpid() != g_member.load(std::memory_order_relaxed)) return;
  // Another thread may hold the lock forever (a flush interrupted by this
  // exit cannot be); flushing twice at once is harmless.
  bool locked = g_flush_mutex.try_lock();
  flush_all();
  if (locked) g_flush_mutex.unlock();
}

}  // namespace detail

}  // namespace tally
