// -fxray-instrument -fxray-instruction-threshold=1 with a counting handler:
// one atomic counter per XRay function id, the cheapest exact handler.
#include <xray/xray_interface.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "target.hpp"

namespace {

std::atomic<std::uint64_t>* g_counts = nullptr;

void on_event(std::int32_t id, XRayEntryType type) {
  if (type == XRayEntryType::ENTRY) g_counts[id].fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t calls_of(void* fn) {
  std::uint64_t total = 0;
  for (std::size_t id = 1; id <= __xray_max_function_id(); ++id)
    if (reinterpret_cast<void*>(__xray_function_address(id)) == fn)
      total += g_counts[id].load(std::memory_order_relaxed);
  return total;
}

// Patches the sleds before main(), as XRAY_OPTIONS=patch_premain=true would.
struct Patch {
  Patch() {
    g_counts = new std::atomic<std::uint64_t>[__xray_max_function_id() + 1]();
    __xray_set_handler(on_event);
    if (__xray_patch() != XRayPatchingStatus::SUCCESS) {
      std::fprintf(stderr, "calls_xray: __xray_patch failed\n");
      std::exit(1);
    }
  }
} g_patch;

}  // namespace

namespace bench {
namespace {
std::uint64_t raw() {
  return calls_of(reinterpret_cast<void*>(&work_a)) + calls_of(reinterpret_cast<void*>(&work_b));
}
std::uint64_t g_start = 0;
}  // namespace

void start_counting() { g_start = raw(); }
std::uint64_t counted_calls() { return raw() - g_start; }
const char* counter_name() { return "-fxray-instrument"; }

}  // namespace bench
