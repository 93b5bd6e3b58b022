// Sessions from outside (tally/session.hpp): what tally record, report and
// top do with a session's segment (create, open, read, close, remove it, and
// take turns at a session name), and session sizes.  Part of
// libtally-reports, the library of tools and test listeners: it throws and
// allocates, and runs in no instrumented process unless that process is a
// tool.  The process side of sessions (joining, flushing) is session.cpp,
// in libtally.
#include "tally/session.hpp"

#include <fcntl.h>     // open
#include <sys/file.h>  // flock
#include <sys/stat.h>  // fstat
#include <unistd.h>    // getpid, link, unlink

#include <atomic>      // std::atomic
#include <cerrno>      // errno
#include <cstdlib>     // std::strtoull
#include <cstring>     // std::strerror
#include <ctime>       // std::time
#include <filesystem>  // std::filesystem
#include <memory>      // std::unique_ptr
#include <stdexcept>   // std::runtime_error

#include "segment.h"
#include "segment_map.h"

namespace bip = boost::interprocess;

namespace tally {

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

namespace {

detail::segment::Mapping::Counts read_counts(const Session::Impl& impl) {
  std::string problem;
  detail::segment::Mapping::Counts counts = impl.mapping.read(problem);
  if (!problem.empty())
    throw std::runtime_error("the segment of session " + impl.name + " is damaged: " +
                             problem + "; its counts cannot be trusted");
  return counts;
}

}  // namespace

std::vector<Entry> Session::functions() const { return read_counts(*impl_).functions; }

std::vector<CallSite> Session::call_sites() const { return read_counts(*impl_).call_sites; }

void Session::close() {
  __atomic_store_n(&impl_->mapping.header()->state, detail::segment::kClosed, __ATOMIC_RELEASE);
}

}  // namespace tally

