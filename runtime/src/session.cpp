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
#include <fcntl.h>        // open
#include <sys/file.h>     // flock
#include <sys/stat.h>     // fstat
#include <pthread.h>      // pthread_atfork
#include <signal.h>       // sigaction
#include <unistd.h>       // getpid, link, unlink

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include <cerrno>     // errno
#include <chrono>     // std::chrono
#include <cstdio>     // std::fprintf
#include <cstdlib>    // std::getenv
#include <cstring>    // std::memcmp
#include <ctime>      // std::time
#include <filesystem>  // std::filesystem
#include <memory>     // std::unique_ptr
#include <mutex>      // std::mutex
#include <stdexcept>  // std::runtime_error
#include <system_error>  // std::system_error
#include <thread>     // std::thread

#include "registry.h"
#include "segment.h"
#include "session_internal.h"

namespace bip = boost::interprocess;

namespace tally {
namespace detail {
namespace {

using segment::Block;
using segment::Header;
using segment::Mapping;

// What is wrong with the header of a segment, or an empty string.
std::string check_header(const Header* h, std::size_t mapped) {
  if (mapped < sizeof(Header) || std::memcmp(h->magic, segment::kMagic, sizeof h->magic) != 0)
    return "it is not a tally session segment";
  if (h->version != segment::kVersion)
    return "it was made by another version of tally (segment version " +
           std::to_string(h->version) + ", this tally uses " +
           std::to_string(segment::kVersion) + ")";
  if (h->size != mapped) return "its header is damaged (size)";
  return {};
}

// Opens and maps the segment of session `name`; what is wrong with it, or
// an empty string.  Throws bip::interprocess_exception when it cannot be
// opened (not_found_error: there is none; security_error: another user's).
std::string map_segment(const std::string& name, bip::mode_t mode,
                        bip::shared_memory_object& shm, bip::mapped_region& region) {
  shm = bip::shared_memory_object(bip::open_only, segment::object_name(name).c_str(), mode);
  bip::offset_t size = 0;
  if (!shm.get_size(size) || static_cast<std::uint64_t>(size) < sizeof(Header))
    return "it is not a tally session segment";
  region = bip::mapped_region(shm, mode);
  return check_header(static_cast<const Header*>(region.get_address()), region.get_size());
}

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
};

void make_full_message(Joining* s) {
  const Header* h = s->mapping.header();
  s->full = "tally: session " + s->name + " is full (" + size_text(h->size) +
            "): the counts of process " + std::to_string(getpid()) +
            " are not all recorded; record again with a larger segment: tally record --size " +
            size_text(h->size * 4) + "\n";
}

std::atomic<Joined*> g_joined{nullptr};
std::atomic<Joining*> g_session{nullptr};
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
        std::uint64_t ms = s->mapping.header()->flush_ms;
        std::this_thread::sleep_for(std::chrono::milliseconds(ms ? ms : Session::flush_ms));
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
    // Unmapped (and closed) when the process does not join; else never: it
    // writes to the segment until its last instruction.
    auto shm = std::make_unique<bip::shared_memory_object>();
    auto region = std::make_unique<bip::mapped_region>();
    if (std::string bad = map_segment(name, bip::read_write, *shm, *region); !bad.empty())
      return fail("the session's segment cannot be used: " + bad);
    auto joining = std::make_unique<Joining>(
        Joining{name, Mapping(region->get_address(), region->get_size()), {}});
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
    shm.release();
    region.release();
    joining.release();
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
  std::vector<Entry> entries;
  Describer describer;
  const tally_site* end = module->end.load(std::memory_order_relaxed);
  for (const tally_site* site = module->begin; site != end; ++site)
    entries.push_back(describer.entry(*site));
  std::uint64_t description =
      s->mapping.description(encode_entries(entries), static_cast<std::uint32_t>(entries.size()));
  auto* j = new Joined{module,    generation, entries.size(), description, {nullptr},
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

// ---- Sessions, from outside: tally record, report and top --------------

using detail::segment::Header;
using detail::segment::Mapping;

struct Session::Impl {
  std::string name;
  bip::shared_memory_object shm;
  bip::mapped_region region;
  Mapping mapping;
};

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

namespace {

void throw_bad_name(const std::string& name) {
  if (std::string bad = detail::segment::check_name(name); !bad.empty())
    throw std::runtime_error(bad);
}

std::string describe_owner(const Header* h) {
  char when[64] = "an unknown time";
  std::time_t t = static_cast<std::time_t>(h->created);
  if (std::tm tm{}; localtime_r(&t, &tm)) std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  return "pid " + std::to_string(h->owner_pid) + ", started " + when;
}

}  // namespace

std::string size_text(std::uint64_t bytes) {
  if (bytes && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "G";
  if (bytes && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

std::uint64_t parse_size(const std::string& text) {
  std::size_t end = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  std::string unit = end ? text.substr(end) : "";
  std::uint64_t scale = unit.empty() ? 1
                        : unit == "K" || unit == "k" ? 1ull << 10
                        : unit == "M" || unit == "m" ? 1ull << 20
                        : unit == "G" || unit == "g" ? 1ull << 30
                                                      : 0;
  if (!end || !scale || text[0] == '-')
    throw std::invalid_argument("not a size: \"" + text +
                                "\"; write bytes, or a number followed by K, M or G: 64M");
  if (value > (1ull << 40) / scale)
    throw std::invalid_argument("size too large: " + text + " (at most 1024G)");
  std::uint64_t bytes = value * scale;
  if (bytes < (1ull << 12))
    throw std::invalid_argument("size too small: " + text + " (at least 4K)");
  return bytes;
}

namespace {

// Opens the segment of session `name` into `impl`; false when there is
// none.  `bad` receives what is wrong with it, or an empty string.
bool open_segment(const std::string& name, bip::mode_t mode, Session::Impl& impl,
                  std::string& bad) {
  try {
    bad = detail::map_segment(name, mode, impl.shm, impl.region);
  } catch (const bip::interprocess_exception& e) {
    if (e.get_error_code() == bip::not_found_error) return false;
    std::string path = "/dev/shm/" + detail::segment::object_name(name);
    if (e.get_error_code() == bip::security_error)
      throw std::runtime_error("permission denied: session " + name +
                               " belongs to another user (" + path + ")");
    throw std::runtime_error("cannot open session " + name + ": " + e.what());
  }
  impl.name = name;
  if (bad.empty()) impl.mapping = Mapping(impl.region.get_address(), impl.region.get_size());
  return true;
}

}  // namespace

namespace {

const std::string kShm = "/dev/shm/";

// Whether `path` names the file open as `fd`.
bool names(const std::string& path, int fd) {
  struct stat open {}, named {};
  return fstat(fd, &open) == 0 && ::stat(path.c_str(), &named) == 0 &&
         open.st_dev == named.st_dev && open.st_ino == named.st_ino;
}

// Held by a tally record while it looks at, removes or creates the segment
// of a session name: the lock file /dev/shm/tally~lock.<name>, locked with
// flock(), which the kernel releases when its holder dies.  Its holder
// removes it when done; a waiter that then holds the lock of a file that
// is no longer there tries again.  '~' is in no session name, so no lock or
// temporary file is ever a session's segment.
class NameLock {
 public:
  explicit NameLock(const std::string& name) : path_(kShm + "tally~lock." + name) {
    for (;;) {
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd_ < 0) {
        if (errno == EACCES)
          throw std::runtime_error("permission denied: session " + name +
                                   " belongs to another user (" + path_ + ")");
        throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
      }
      while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
      if (names(path_, fd_)) return;
      ::close(fd_);
    }
  }
  ~NameLock() {
    ::unlink(path_.c_str());
    ::close(fd_);
  }
  NameLock(const NameLock&) = delete;
  NameLock& operator=(const NameLock&) = delete;

 private:
  std::string path_;
  int fd_;
};

// Removes the temporary segments of `name` that tally records killed while
// they made them left behind: tally~new.<name>.<pid>.<n>.
// "<pid>.<n>", the end of a half-made segment's name; 0 for anything else
// (the segment of a session whose name only begins with this one's).
std::uint64_t maker_of(const std::string& rest) {
  std::size_t dot = rest.find('.');
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 19 &&
           s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (dot == std::string::npos || !digits(rest.substr(0, dot)) || !digits(rest.substr(dot + 1)))
    return 0;
  return std::strtoull(rest.c_str(), nullptr, 10);
}

void remove_abandoned(const std::string& name) {
  const std::string prefix = "tally~new." + name + ".";
  std::error_code error;
  for (const auto& file : std::filesystem::directory_iterator(kShm, error)) {
    std::string base = file.path().filename().string();
    if (base.compare(0, prefix.size(), prefix) != 0) continue;
    std::uint64_t pid = maker_of(base.substr(prefix.size()));
    if (pid != 0 && !detail::segment::process_alive(pid, 0)) ::unlink(file.path().c_str());
  }
}

}  // namespace

Session Session::create(const std::string& name, std::uint64_t size, std::string* stale) {
  throw_bad_name(name);
  const std::string path = kShm + detail::segment::object_name(name);
  NameLock lock(name);
  remove_abandoned(name);
  Impl old;
  std::string bad;
  if (open_segment(name, bip::read_only, old, bad)) {
    const Header* h = bad.empty() ? old.mapping.header() : nullptr;
    if (h && detail::segment::process_alive(h->owner_pid, h->owner_start))
      throw std::runtime_error("session " + name + " is in use by another tally record (" +
                               describe_owner(h) + "); choose another name with --session");
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      throw std::runtime_error("cannot remove the stale session " + name + " (" + path +
                               "): " + std::strerror(errno));
    if (stale)
      *stale = "removed the stale session " + name + " (" + path + "), " +
               (h ? "left by a tally record that did not finish (" + describe_owner(h) + ")"
                  : "which cannot be read: " + bad) +
               "; none of its counts are part of this run";
  }

  // The segment is made whole under a name of its own, then linked to the
  // session's name: a process never finds a segment half made.
  static std::atomic<unsigned> made{0};
  const std::string temporary =
      "tally~new." + name + "." + std::to_string(getpid()) + "." + std::to_string(made++);
  struct RemoveTemporary {
    std::string object;
    ~RemoveTemporary() { bip::shared_memory_object::remove(object.c_str()); }
  } remove_temporary{temporary};
  auto impl = std::make_unique<Impl>();
  impl->name = name;
  try {
    bip::permissions owner_only;
    owner_only.set_permissions(0600);
    impl->shm = bip::shared_memory_object(bip::create_only, temporary.c_str(), bip::read_write,
                                          owner_only);
    impl->shm.truncate(static_cast<bip::offset_t>(size));
    // Reserve the memory now: a segment larger than /dev/shm has room for
    // would otherwise kill a process with SIGBUS when it writes there.
    if (int error = posix_fallocate(impl->shm.get_mapping_handle().handle, 0,
                                    static_cast<off_t>(size)))
      throw std::runtime_error("cannot reserve " + std::to_string(size) +
                               " bytes of shared memory for session " + name + ": " +
                               std::strerror(error) +
                               "; free space in /dev/shm or choose a smaller --size");
    impl->region = bip::mapped_region(impl->shm, bip::read_write);
  } catch (const bip::interprocess_exception& e) {
    throw std::runtime_error("cannot create the segment of session " + name + ": " + e.what());
  }
  impl->mapping = Mapping(impl->region.get_address(), impl->region.get_size());
  Header* h = impl->mapping.header();
  std::memcpy(h->magic, detail::segment::kMagic, sizeof h->magic);
  h->version = detail::segment::kVersion;
  h->size = size;
  h->used = sizeof(Header);
  h->owner_pid = static_cast<std::uint64_t>(getpid());
  h->owner_start = detail::segment::process_start(h->owner_pid);
  h->created = static_cast<std::uint64_t>(std::time(nullptr));
  h->flush_ms = flush_ms;
  __atomic_store_n(&h->state, detail::segment::kRecording, __ATOMIC_RELEASE);
  if (::link((kShm + temporary).c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  return Session(std::move(impl));
}

Session Session::open(const std::string& name) {
  throw_bad_name(name);
  std::string object = detail::segment::object_name(name);
  auto impl = std::make_unique<Impl>();
  std::string bad;
  if (!open_segment(name, bip::read_write, *impl, bad))
    throw std::runtime_error("no session named " + name + " (no /dev/shm/" + object +
                             "); start one with tally record --session " + name +
                             " -- <command>");
  if (!bad.empty()) throw std::runtime_error("/dev/shm/" + object + " cannot be read: " + bad);
  return Session(std::move(impl));
}

void Session::remove() {
  // Only this segment: never one that another tally record has made since.
  NameLock lock(impl_->name);
  const std::string path = kShm + detail::segment::object_name(impl_->name);
  if (names(path, impl_->shm.get_mapping_handle().handle)) ::unlink(path.c_str());
}

SessionStatus Session::status() const {
  const Header* h = impl_->mapping.header();
  SessionStatus s;
  s.name = impl_->name;
  s.size = h->size;
  s.used = std::min(__atomic_load_n(&h->used, __ATOMIC_RELAXED), h->size);
  s.processes = __atomic_load_n(&h->processes, __ATOMIC_RELAXED);
  s.modules = impl_->mapping.block_count();
  s.refused = __atomic_load_n(&h->refused, __ATOMIC_RELAXED);
  s.owner_pid = h->owner_pid;
  s.owner_alive = detail::segment::process_alive(h->owner_pid, h->owner_start);
  s.closed = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != detail::segment::kRecording;
  s.created = h->created;
  s.flush_ms = h->flush_ms;
  s.id = detail::segment::session_id(*h);
  return s;
}

std::vector<Entry> Session::functions() const {
  std::string problem;
  std::vector<Entry> entries = impl_->mapping.functions(problem);
  if (!problem.empty())
    throw std::runtime_error("the segment of session " + impl_->name + " is damaged: " +
                             problem + "; its counts cannot be trusted");
  return entries;
}

void Session::close() {
  __atomic_store_n(&impl_->mapping.header()->state, detail::segment::kClosed, __ATOMIC_RELEASE);
}

}  // namespace tally

