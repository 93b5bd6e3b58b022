// Per-thread counters: thread states, mirrors, the start of threads, and
// reading (see threads.h and tally/detail/site.h).  Reading may run in a
// signal handler, in a thread that is ending, or in a forked child: no
// lock, no allocation, no exception.
#include "threads.h"

#include <dlfcn.h>     // dlsym
#include <errno.h>     // EAGAIN
#include <pthread.h>   // pthread_create, pthread_key_create, pthread_atfork
#include <sched.h>     // sched_yield
#include <sys/mman.h>  // mmap, madvise

#include <atomic>   // std::atomic
#include <cstdint>  // std::uintptr_t
#include <cstring>  // std::memset

#include "registry.h"
#include "units.h"
#include "tally/detail/site.h"

namespace tally::detail {

// Every thread's table until it first counts: all deltas 0.
alignas(64) std::int64_t g_zero_table[kSlots];

}  // namespace tally::detail

extern "C" __attribute__((visibility("default"), tls_model("initial-exec")))
__thread std::int64_t* __tally_thread_table = tally::detail::g_zero_table;

namespace tally::detail {
namespace {

// A mirror of one module's counters, kept with its slot for the slot's next
// module once the module has gone.
struct Mirror {
  char* base;
  std::size_t size;
};

// Small mirrors come from the state's own arena, large ones from mmap().
constexpr std::size_t kArena = 64 * 1024;
constexpr std::size_t kInArena = 4 * 1024;

// What a thread that libtally's pthread_create starts installs before it
// runs the program's code; the thread that creates it fills it in.
struct Start {
  void* (*routine)(void*);
  void* arg;
  bool keyed;  // the pthread key is made: the state goes back when the thread ends
  int owns;    // executables' own deltas, in own[]
  struct {
    std::int64_t tls;  // its offset from the thread pointer
    std::int64_t delta;
  } own[4];
};

struct State {
  std::int64_t table[kSlots];  // first: a thread's __tally_thread_table points here
  Mirror mirrors[kSlots];
  Start start;  // under Busy, for the thread it is claimed for
  std::atomic<int> owner;  // 1 while a live thread counts with it
  std::size_t arena_used;  // under Busy
  State* next;
  alignas(64) char arena[kArena];
};

std::atomic<State*> g_states{nullptr};
std::atomic<unsigned char> g_slot_used[kSlots];

pthread_key_t g_key;
std::atomic<int> g_key_state{0};  // 0: none, 1: being made, 2: made

State* state_of(std::int64_t* table) { return reinterpret_cast<State*>(table); }

// A slot (a byte offset into a table) as an index into State's arrays.
std::size_t index_of(std::int64_t slot) {
  return static_cast<std::size_t>(slot) / sizeof(std::int64_t);
}

// The bytes of a module's counters [begin, end), and of a mirror of them.
std::size_t bytes_of(const std::uint64_t* begin, const std::uint64_t* end) {
  return static_cast<std::size_t>(reinterpret_cast<const char*>(end) -
                                  reinterpret_cast<const char*>(begin));
}

// The calling thread's thread pointer (%fs:0 holds it on x86-64).
char* thread_pointer() {
  char* tp;
  __asm__("movq %%fs:0, %0" : "=r"(tp));
  return tp;
}

// The calling thread's own delta of a module that has one (tally_module::tls).
std::int64_t* own_delta(std::int64_t tls) {
  return reinterpret_cast<std::int64_t*>(thread_pointer() + tls);
}

// The end of a thread: its state goes to the next thread that starts.
// What the thread counts after this (in another key's destructor) it
// counts with the lock, in the counters themselves.
void release(void* state) {
  __tally_thread_table = g_zero_table;
  for (ModuleRecord* m = first_module(); m; m = m->next)
    if (std::int64_t tls = m->tls.load(std::memory_order_acquire))
      __atomic_store_n(own_delta(tls), 0, __ATOMIC_RELAXED);
  static_cast<State*>(state)->owner.store(0, std::memory_order_release);
}

bool key_made() {
  int state = g_key_state.load(std::memory_order_acquire);
  if (state == 2) return true;
  // Made by the runtime's start-up; here only for a thread that starts
  // before it.  A signal handler that interrupts the making goes without.
  if (state == 0 && g_key_state.compare_exchange_strong(state, 1)) {
    bool made = pthread_key_create(&g_key, release) == 0;
    g_key_state.store(made ? 2 : 0, std::memory_order_release);
    return made;
  }
  return false;
}

void* map(std::size_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// A state no live thread owns, or a new one; null when memory is short.
State* claim() {
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next) {
    int free = 0;
    if (s->owner.load(std::memory_order_relaxed) == 0 &&
        s->owner.compare_exchange_strong(free, 1, std::memory_order_acq_rel))
      return s;
  }
  auto* s = static_cast<State*>(map(sizeof(State)));  // zeros: no delta, no mirror
  if (!s) return nullptr;
  s->owner.store(1, std::memory_order_relaxed);
  State* head = g_states.load(std::memory_order_relaxed);
  do {
    s->next = head;
  } while (!g_states.compare_exchange_weak(head, s, std::memory_order_release,
                                           std::memory_order_relaxed));
  return s;
}

// Under Busy.
char* allocate(State* s, std::size_t size) {
  size = (size + 63) & ~std::size_t{63};
  if (size <= kInArena && s->arena_used + size <= kArena) {
    char* p = s->arena + s->arena_used;
    s->arena_used += size;
    return p;
  }
  return static_cast<char*>(map(size));
}

// Zeros [p, p + size), handing whole pages back to the kernel: a mirror
// nobody wrote stays without memory.
void zero(char* p, std::size_t size) {
  const std::uintptr_t page = 4096;
  auto first = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  auto last = (reinterpret_cast<std::uintptr_t>(p) + size) & ~(page - 1);
  if (first >= last || madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED)) {
    std::memset(p, 0, size);
    return;
  }
  std::memset(p, 0, first - reinterpret_cast<std::uintptr_t>(p));
  std::memset(reinterpret_cast<void*>(last), 0, reinterpret_cast<std::uintptr_t>(p) + size - last);
}

// Makes mirrors and takes slots back one at a time, so that no table keeps
// a delta of a module that has gone.  Never taken on the counting path or in
// a signal handler; free again in a forked child.
std::atomic<bool> g_busy{false};

struct Busy {
  Busy() {
    while (g_busy.exchange(true, std::memory_order_acquire)) sched_yield();
  }
  ~Busy() { g_busy.store(false, std::memory_order_release); }
};

// Gives state `s` its mirror of module `m`, if it has none yet.  The delta,
// or 0 when memory is short.  Under Busy.
std::int64_t mirror(State* s, const ModuleRecord& m) {
  std::size_t index = index_of(m.slot);
  std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_RELAXED);
  if (delta) return delta;
  std::size_t size = bytes_of(m.counters_begin, m.counters_end);
  Mirror& kept = s->mirrors[index];
  char* base = kept.size >= size ? kept.base : allocate(s, size);
  if (!base) return 0;
  if (base != kept.base) {
    kept.base = base;
    kept.size = size;
  }
  delta = base - reinterpret_cast<const char*>(m.counters_begin);
  __atomic_store_n(&s->table[index], delta, __ATOMIC_RELEASE);
  return delta;
}

// Points the calling thread's own delta of module `m` (an executable's) at
// its mirror in `s`.
void set_own_delta(State* s, const ModuleRecord& m) {
  std::int64_t tls = m.tls.load(std::memory_order_acquire);
  if (!tls || !m.slot) return;
  __atomic_store_n(own_delta(tls), __atomic_load_n(&s->table[index_of(m.slot)], __ATOMIC_RELAXED),
                   __ATOMIC_RELAXED);
}

bool counts_through_mirrors(const ModuleRecord& m) {
  return m.slot && m.live.load(std::memory_order_acquire);
}

void after_fork_in_child() {
  // Only the thread that forked goes on; the others' states are free, with
  // the counts they had.
  std::int64_t* table = __tally_thread_table;
  State* mine = table == g_zero_table ? nullptr : state_of(table);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next)
    if (s != mine) s->owner.store(0, std::memory_order_relaxed);
  if (g_key_state.load() == 1) g_key_state.store(0);
  g_busy.store(false, std::memory_order_relaxed);
  forget_readers_after_fork();
}

// Before any instrumented module of the process counts, as a rule: libtally
// is initialised before the modules that need it.  The thread that loads it
// counts from then on.
const bool g_started = [] {
  key_made();
  pthread_atfork(nullptr, nullptr, after_fork_in_child);
  adopt_thread();
  return true;
}();

}  // namespace

std::int64_t take_slot() {
  for (std::size_t i = 1; i < kSlots; ++i) {
    unsigned char free = 0;
    if (g_slot_used[i].load(std::memory_order_relaxed) == 0 &&
        g_slot_used[i].compare_exchange_strong(free, 1))
      return static_cast<std::int64_t>(i * sizeof(std::int64_t));
  }
  return 0;
}

void adopt_thread() {
  Busy busy;
  State* s;
  if (std::int64_t* table = __tally_thread_table; table != g_zero_table) {
    s = state_of(table);
  } else {
    s = claim();
    if (!s) return;
    __tally_thread_table = s->table;
    if (key_made()) pthread_setspecific(g_key, s);
  }
  // Under Busy: a module registering meanwhile either is in the list by
  // now, or gives this state its mirror when it walks the states.
  for (ModuleRecord* m = first_module(); m; m = m->next)
    if (counts_through_mirrors(*m) && mirror(s, *m)) set_own_delta(s, *m);
}

void module_added(const ModuleRecord& m) {
  if (!m.slot) return;
  Busy busy;
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next) mirror(s, m);
  if (std::int64_t* table = __tally_thread_table; table != g_zero_table)
    set_own_delta(state_of(table), m);
}

void give_back_slot(std::int64_t slot, const std::uint64_t* begin, const std::uint64_t* end) {
  if (!slot) return;
  Busy busy;
  std::size_t index = index_of(slot);
  std::size_t size = bytes_of(begin, end);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next) {
    std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_ACQUIRE);
    if (!delta) continue;
    __atomic_store_n(&s->table[index], 0, __ATOMIC_RELEASE);
    zero(const_cast<char*>(reinterpret_cast<const char*>(begin)) + delta, size);
  }
  g_slot_used[index].store(0, std::memory_order_release);
}

std::uint64_t count_of(std::int64_t slot, const std::uint64_t* counter) {
  std::uint64_t sum = __atomic_load_n(counter, __ATOMIC_RELAXED);
  if (!slot) return sum;
  std::size_t index = index_of(slot);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next)
    if (std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_ACQUIRE))
      sum += __atomic_load_n(
          reinterpret_cast<const std::uint64_t*>(reinterpret_cast<const char*>(counter) + delta),
          __ATOMIC_RELAXED);
  return sum;
}

void add_mirrors(std::int64_t slot, const tally_site* sites, std::size_t n,
                 std::uint64_t* counts) {
  if (!slot) return;
  std::size_t index = index_of(slot);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next) {
    std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_ACQUIRE);
    if (!delta) continue;
    for (std::size_t i = 0; i < n; ++i)
      counts[i] += __atomic_load_n(reinterpret_cast<const std::uint64_t*>(
                                       reinterpret_cast<const char*>(counter_of(sites[i])) + delta),
                                   __ATOMIC_RELAXED);
  }
}

std::int64_t tls_offset(const std::int64_t* delta) {
  return reinterpret_cast<const char*>(delta) - thread_pointer();
}

}  // namespace tally::detail


// Threads the program starts count with a plain increment from their first
// call on: libtally's pthread_create, which the dynamic linker finds before
// the C library's wherever libtally is linked into the program, gives the
// new thread its state before the thread runs the program's code.
namespace tally::detail {
namespace {

using Create = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);

Create next_create() {
  static std::atomic<Create> next{nullptr};
  Create create = next.load(std::memory_order_acquire);
  if (!create) {
    create = reinterpret_cast<Create>(dlsym(RTLD_NEXT, "pthread_create"));
    next.store(create, std::memory_order_release);
  }
  return create;
}

// In the thread that creates it: a state for a new thread, with a mirror of
// every module, and what the thread sets up itself; null when memory is short.
State* prepare(void* (*routine)(void*), void* arg) {
  Busy busy;
  State* s = claim();
  if (!s) return nullptr;
  Start& start = s->start;
  start = Start{routine, arg, key_made(), 0, {}};
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    if (!counts_through_mirrors(*m)) continue;
    std::int64_t delta = mirror(s, *m);
    std::int64_t tls = m->tls.load(std::memory_order_acquire);
    // A fifth executable (there is one) would count with the lock.
    if (delta && tls && start.owns < 4) start.own[start.owns++] = {tls, delta};
  }
  return s;
}

// The new thread's first code.  A sanitizer's own start of the thread may
// come after it (ThreadSanitizer's pthread_create finds libtally's as the
// next one), so it is not instrumented, and calls nothing that a sanitizer
// intercepts: everything that could be is done by prepare().
__attribute__((disable_sanitizer_instrumentation)) void* start_counting(void* p) {
  auto* s = static_cast<State*>(p);
  void* (*routine)(void*) = s->start.routine;
  void* arg = s->start.arg;
  __tally_thread_table = s->table;
  if (s->start.keyed) pthread_setspecific(g_key, s);
  // thread_pointer() spelled out: an instrumented function is not inlined here.
  char* tp;
  __asm__("movq %%fs:0, %0" : "=r"(tp));
  for (int i = 0; i < s->start.owns; ++i)
    __atomic_store_n(reinterpret_cast<std::int64_t*>(tp + s->start.own[i].tls),
                     s->start.own[i].delta, __ATOMIC_RELAXED);
  return routine(arg);
}

}  // namespace
}  // namespace tally::detail

extern "C" __attribute__((visibility("default"))) int pthread_create(
    pthread_t* __restrict thread, const pthread_attr_t* __restrict attr,
    void* (*routine)(void*), void* __restrict arg) noexcept {
  using namespace tally::detail;
  Create create = next_create();
  if (!create) return EAGAIN;
  // Without memory for a state, the thread starts as it would plain, and
  // counts with the lock (the counters themselves).
  State* s = prepare(routine, arg);
  if (!s) return create(thread, attr, routine, arg);
  int error = create(thread, attr, start_counting, s);
  if (error) s->owner.store(0, std::memory_order_release);  // for the next thread
  return error;
}
