// The frontend half of the plugin decides what is counted; the IR pass half
// does the counting.  Both halves live in this one shared object, loaded once
// into the compiler process: the frontend leaves its decisions for the
// translation unit it parses here, and the pass of that unit's module takes
// them.  A host that compiles several units in one process does so one after
// another: the frontend starts each unit with an empty hand-over.
//
// A function is found in the IR by its symbol name, except where that name
// holds numbers that Clang's name mangler hands out in the order it meets
// unnamed types ('$_0' for a lambda in a non-inline function, in the symbols
// of its members and of templates instantiated with it): two manglers
// differ.  Those functions carry an annotation "tally.mark:<mark>" instead,
// which code generation attaches.
#ifndef TALLY_PLUGIN_HANDOVER_H
#define TALLY_PLUGIN_HANDOVER_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace tally {

// A call in a counted function whose callee the code finds at run time (a
// virtual call) of a function counted at its call sites: no symbol names it,
// so the pass finds it where code generation located it, the line and column
// of the member's name (of the operator), among the indirect calls.  Where
// Clang's code generation knows the object's class it calls the overrider
// directly: one of Devirtualized.
struct VirtualCallSite {
  unsigned Line;
  unsigned Column;
  unsigned Call; // index into Handover::Calls
  std::vector<std::string> Devirtualized;
};

struct Site {
  std::string Signature;
  unsigned NameSize;
  std::string File;
  unsigned Line;
  // For a marked constructor or destructor: symbolPattern() of the variants
  // that hold its body.  Empty: every function with the mark counts.
  std::vector<std::string> Variants;
  // Counts the calls of a function that is not instrumented, at the call
  // sites in instrumented functions (docs/calls-into.md), not entries.
  bool Calls = false;
  // For a counted function: its virtual calls of functions counted at call
  // sites.
  std::vector<VirtualCallSite> VirtualCalls;
};

// A symbol with the numbers of unnamed types ('$_12') left out, which is
// what two manglers agree on.
std::string symbolPattern(llvm::StringRef Symbol);

// A function whose calls callers counts at each call site (docs/callers.md),
// and where its description is: a function counted here (Sites), one
// counted at its call sites (Calls), or one counted at its entry in another
// unit (Callees).
struct CalleeRef {
  enum KindType : unsigned char { Site, Call, Elsewhere } Kind;
  unsigned Index;
};

struct Handover {
  // -fplugin-arg-tally-measure-floor: records and registration as always,
  // but no increment (every count stays 0), to measure what the increment
  // itself costs.
  bool MeasureFloor = false;
  // -fplugin-arg-tally-call-thunks: a direct call into a function that is
  // not instrumented calls a thunk that counts and jumps to the callee,
  // instead of counting at the call site.
  bool CallThunks = false;
  // A callee that the unit calls from at least this many places (0:
  // none) counts its calls in a routine of its own that each of its call
  // sites calls, instead of at each site (-fplugin-arg-tally-call-bumps=N).
  // Below it, the increment written out at a site is smaller than the
  // routine's share.
  unsigned CallBumps = 4;
  std::vector<Site> Sites;
  llvm::StringMap<unsigned> SiteBySymbol; // index into Sites
  llvm::DenseMap<unsigned, unsigned> SiteByMark;
  // Functions whose calls are counted where the chosen functions call them,
  // by the symbols a call names.
  std::vector<Site> Calls;
  llvm::StringMap<unsigned> CalledBySymbol; // index into Calls
  // -fplugin-arg-tally-callers: every call that the chosen functions make
  // of a counted function is counted at its call site too, keyed by
  // caller, callee and location.
  bool Callers = false;
  std::vector<Site> Callees;
  llvm::StringMap<CalleeRef> CalleeBySymbol;
};

constexpr const char *SiteAnnotationPrefix = "tally.mark:";

Handover &handover();

} // namespace tally

#endif
