// The process side of sessions, called by module registration.  Internal to
// libtally.
#ifndef TALLY_RUNTIME_SESSION_INTERNAL_H_
#define TALLY_RUNTIME_SESSION_INTERNAL_H_

#include <cstdint>  // std::uint64_t

#include "registry.h"

namespace tally::detail {

// With TALLY_SESSION set, adds a module that has just registered to the
// session (joining it first, for the process's first module).
void session_register(ModuleRecord* module, std::uint64_t generation);
// Copies an unloading module's counts into the session, for the last time.
void session_unregister(ModuleRecord* module);
// Copies every count into the session: the process ends now.
void session_exit();

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_SESSION_INTERNAL_H_
