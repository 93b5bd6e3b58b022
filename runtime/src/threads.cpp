// Per-thread counters: thread states, mirrors, the slow path of the
// counting code, and reading (see threads.h and tally/detail/site.h).
// Everything here may run in a signal handler, in a thread that is ending,
// or in a forked child: no lock, no allocation but mmap, no exception.
#include "threads.h"

#include <errno.h>     // errno
#include <pthread.h>   // pthread_key_create, pthread_atfork
#include <sys/mman.h>  // mmap

#include <atomic>   // std::atomic
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

struct State {
  std::int64_t table[kSlots];  // first: a thread's __tally_thread_table points here
  Mirror mirrors[kSlots];
  std::atomic<int> owner;  // 1 while a live thread counts with it
  std::atomic<std::size_t> arena_used;
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

// The end of a thread: its state goes to the next thread that counts.  A
// call the thread counts after this (another key's destructor) takes a
// state again, and sets the key again, so this runs again.
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
  // Made by the runtime's start-up; here only for a module that counts
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

State* own_state() {
  std::int64_t* table = __tally_thread_table;
  if (table != g_zero_table) return state_of(table);
  State* s = claim();
  if (!s) return nullptr;
  __tally_thread_table = s->table;
  if (key_made()) pthread_setspecific(g_key, s);
  return s;
}

char* allocate(State* s, std::size_t size) {
  size = (size + 63) & ~std::size_t{63};
  if (size <= kInArena) {
    std::size_t used = s->arena_used.load(std::memory_order_relaxed);
    while (used + size <= kArena)
      if (s->arena_used.compare_exchange_weak(used, used + size)) return s->arena + used;
  }
  return static_cast<char*>(map(size));
}

// The delta of state `s` for the module in `slot` whose counters are
// [begin, end): its mirror, made now if it has none.  0 when memory is short.
std::int64_t delta_for(State* s, std::int64_t slot, const std::uint64_t* begin,
                       const std::uint64_t* end) {
  std::size_t index = index_of(slot);
  std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_RELAXED);
  if (delta) return delta;
  std::size_t size = bytes_of(begin, end);
  Mirror& kept = s->mirrors[index];
  char* base = __atomic_load_n(&kept.size, __ATOMIC_RELAXED) >= size
                   ? __atomic_load_n(&kept.base, __ATOMIC_RELAXED)
                   : allocate(s, size);
  if (!base) return 0;
  delta = base - reinterpret_cast<const char*>(begin);
  std::int64_t none = 0;
  // A signal handler on this thread may have made one meanwhile: use it.
  if (!__atomic_compare_exchange_n(&s->table[index], &none, delta, false, __ATOMIC_RELEASE,
                                   __ATOMIC_RELAXED))
    return none;
  if (base != kept.base) {
    __atomic_store_n(&kept.base, base, __ATOMIC_RELAXED);
    __atomic_store_n(&kept.size, size, __ATOMIC_RELAXED);
  }
  return delta;
}

void after_fork_in_child() {
  // Only the thread that forked goes on; the others' states are free, with
  // the counts they had.
  std::int64_t* table = __tally_thread_table;
  State* mine = table == g_zero_table ? nullptr : state_of(table);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next)
    if (s != mine) s->owner.store(0, std::memory_order_relaxed);
  if (g_key_state.load() == 1) g_key_state.store(0);
  forget_readers_after_fork();
}

// Before any instrumented module of the process counts, as a rule: libtally
// is initialised before the modules that need it.
const bool g_started = [] {
  key_made();
  pthread_atfork(nullptr, nullptr, after_fork_in_child);
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

void give_back_slot(std::int64_t slot, const std::uint64_t* begin, const std::uint64_t* end) {
  if (!slot) return;
  std::size_t index = index_of(slot);
  std::size_t size = bytes_of(begin, end);
  for (State* s = g_states.load(std::memory_order_acquire); s; s = s->next) {
    std::int64_t delta = __atomic_load_n(&s->table[index], __ATOMIC_ACQUIRE);
    if (!delta) continue;
    std::memset(const_cast<char*>(reinterpret_cast<const char*>(begin)) + delta, 0, size);
    __atomic_store_n(&s->table[index], 0, __ATOMIC_RELEASE);
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

// The C part of __tally_count_slow (count_slow.S).
extern "C" __attribute__((visibility("hidden"))) void __tally_count_slow_c(std::uint64_t* counter) {
  using namespace tally::detail;
  int saved_errno = errno;
  std::int64_t delta = 0;
  if (const ModuleRecord* m = module_of_counter(counter))
    if (State* s = own_state()) {
      delta = delta_for(s, m->slot, m->counters_begin, m->counters_end);
      if (std::int64_t tls = m->tls.load(std::memory_order_acquire); tls && delta)
        __atomic_store_n(own_delta(tls), delta, __ATOMIC_RELAXED);
    }
  // Without a mirror (the module has not registered yet, no slot was free,
  // or memory is short) the call counts in the counter itself, atomically.
  auto* target = reinterpret_cast<std::uint64_t*>(reinterpret_cast<char*>(counter) + delta);
  __atomic_fetch_add(target, 1, __ATOMIC_RELAXED);
  errno = saved_errno;
}
