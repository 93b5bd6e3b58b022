// Per-thread counters (see tally/detail/site.h): every thread libtally saw
// start has a state, with its table of deltas, one per module slot, and its
// mirrors of the modules' counters, one per registered module.  Only the
// owning thread writes its mirrors; readers add them up.  States are never
// freed: a thread that ends hands its state, counts and all, to the next
// thread that starts, so the sums stay exact without folding anything.
// Internal to libtally.
#ifndef TALLY_RUNTIME_THREADS_H_
#define TALLY_RUNTIME_THREADS_H_

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t, std::int64_t

#include "tally/detail/site.h"

namespace tally::detail {

// Modules that count through mirrors at once; slot 0 is none.
constexpr std::size_t kSlots = 4096;

struct ModuleRecord;

// A free slot, as the byte offset a module's counting code adds to its
// thread's table; 0 when none is left (the module's calls are then counted
// in its counters themselves, atomically).  Async-signal-safe.
std::int64_t take_slot();

// Gives the calling thread a state, if it has none, with a mirror of every
// registered module.  Called as a thread starts, and wherever libtally
// meets a thread that has none (it then counts with the lock until here).
void adopt_thread();

// Gives every state a mirror of module `m`, which has just taken its slot,
// and points the calling thread's own delta of it, if it has one, there.
void module_added(const ModuleRecord& m);
// Ends the use of `slot` by the module whose counters are [begin, end):
// every thread's mirror of them is zeroed and kept for the slot's next
// module.  Only once no thread runs the module's code.
void give_back_slot(std::int64_t slot, const std::uint64_t* begin, const std::uint64_t* end);

// The count of `counter` (a layout counter of the module in `slot`): the
// counter itself and every thread's mirror of it.  Async-signal-safe.
std::uint64_t count_of(std::int64_t slot, const std::uint64_t* counter);

// Adds every thread's mirror of the counters of sites[0..n), of the module
// in `slot`, to `counts`.  Async-signal-safe, allocates nothing.
void add_mirrors(std::int64_t slot, const tally_site* sites, std::size_t n,
                 std::uint64_t* counts);

// The offset from the calling thread's thread pointer of `delta`, a
// variable in static TLS: the same in every thread.
std::int64_t tls_offset(const std::int64_t* delta);

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_THREADS_H_
