// Which functions tally counts, and under which names.  Shared by the plugin
// and by anything else that must agree with it on what is counted.
#ifndef TALLY_PLUGIN_FUNCTIONSELECTION_H
#define TALLY_PLUGIN_FUNCTIONSELECTION_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class HeaderSearchOptions;
class ASTContext;
class Decl;
class FunctionDecl;
class GlobalDecl;
class MangleContext;
class SourceLocation;
class SourceManager;
} // namespace clang

namespace tally {

// What is counted, beyond the fixed rules (never system headers, never
// compiler-generated code).  Set from the plugin's arguments; see
// docs/filters.md.
//
// Arguments belong to a scope: "@<scope>:<argument>", or the unnamed scope
// without the prefix.  A function is counted when any scope accepts it.  A
// scope accepts a function when its file is under one of the scope's
// include-dir directories (if any), matches one of its include regexes (if
// any) and none of its exclude regexes, and the function's name matches one
// of its function regexes (if any) and none of its exclude-function
// regexes, and, with headers-only, the file is not the main source file.
// "all" only makes the scope exist: a scope with no other argument accepts
// every function.  Without arguments everything is counted.
class Filter {
public:
  // Takes one plugin argument.  Returns false, with Error saying why, when
  // Arg is not a valid one.
  bool parseArgument(llvm::StringRef Arg, std::string &Error);

  // Whether calls into functions that are not counted are counted at their
  // call sites: the default set (see countsCallsInto) unless
  // "no-calls-into", which "calls-into" undoes, given later; and
  // "calls-into=<regex>", "not-into=<regex>".
  bool countsCalls() const { return CallsIntoDefault || !CallsInto.empty(); }
  // Whether calls into were asked for by an argument ("calls-into" or a
  // "calls-into=<regex>"), rather than being the default.
  bool callsIntoAsked() const { return CallsIntoAsked; }
  // Whether a call into Name, a function that is not counted, is counted:
  // Name matches a calls-into regex, or the default set is on and
  // InDefaultSet; and it matches no not-into regex.
  bool countsCallsInto(llvm::StringRef Name, bool InDefaultSet) const;
  // Whether countsCallsInto can hold for some name: without calls-into
  // regexes, only for functions in the default set.
  bool mayCountCallsInto(bool InDefaultSet) const {
    return (InDefaultSet && CallsIntoDefault) || !CallsInto.empty();
  }

  // Whether some scope may count functions of this file.
  bool acceptsFile(llvm::StringRef NormalisedPath, bool IsMainFile) const;
  // Whether some scope counts the function Name of this file.
  bool accepts(llvm::StringRef NormalisedPath, bool IsMainFile,
               llvm::StringRef Name) const;

private:
  struct Scope {
    std::string Name;
    std::vector<std::string> Dirs;
    std::vector<llvm::Regex> Include, Exclude, Functions, ExcludeFunctions;
    bool HeadersOnly = false;

    bool acceptsFile(llvm::StringRef Path, bool IsMainFile) const;
    bool acceptsName(llvm::StringRef Name) const;
  };

  Scope &scope(llvm::StringRef Name);
  bool parseCallsArgument(llvm::StringRef Arg, std::string &Error);

  std::vector<Scope> Scopes;
  bool CallsIntoDefault = true;
  bool CallsIntoAsked = false;
  std::vector<llvm::Regex> CallsInto, NotInto;
};

// System headers are the files under the compiler's system include
// directories (-isystem, -idirafter, the standard library's, /usr/include),
// and the part of a file after its own '#pragma GCC system_header' (tally's
// headers have one, and may come in through -I). Clang's own notion also
// covers any file included from one with '#pragma system_header', which is
// how CMake includes precompiled headers: tally would miss the user's header
// code there.
class SystemFiles {
public:
  explicit SystemFiles(std::vector<std::string> NormalisedDirs);
  ~SystemFiles();

  bool contains(const clang::SourceManager &SM, clang::SourceLocation Loc);

private:
  std::vector<std::string> Dirs;
  llvm::DenseMap<unsigned, bool> ByFile; // FileID hash value -> system
};

// A virtual call in a selected function of a function counted at its call
// sites: where Clang's code generation locates it (the expansion location of
// the member's name, the operator, as line and column of the presumed
// location), and the overriders it may call directly instead.
struct VirtualCall {
  unsigned Line;
  unsigned Column;
  unsigned Callee; // index into selectCalledFunctions()
  std::vector<std::string> Devirtualized;
};

struct SelectedFunction {
  const clang::FunctionDecl *Decl;
  std::string Name;
  std::string Signature; // begins with Name
  std::string File;      // normalised absolute path
  unsigned Line;
  // The IR symbols whose entry means one run-time call of this function: for
  // constructors and destructors only the variants that hold the body.
  std::vector<std::string> Symbols;
  // Filled by selectCalledFunctions().
  std::vector<VirtualCall> VirtualCalls;
};

std::vector<SelectedFunction> selectFunctions(clang::ASTContext &Ctx,
                                              const Filter &Filter,
                                              SystemFiles &System);

// The functions that the Selected ones call and that are not counted
// themselves, whose calls the filter counts at the call sites (see
// docs/calls-into.md): named and located by their first written
// declaration, with the symbols a call of each may name.  Records each
// Selected function's virtual calls of them in its VirtualCalls.
std::vector<SelectedFunction>
selectCalledFunctions(clang::ASTContext &Ctx, const Filter &Filter,
                      SystemFiles &System,
                      std::vector<SelectedFunction> &Selected);

// A function that the Selected ones call directly and that tally counts:
// one of them (Selected), one counted at its call sites (CalledInto, an
// index into selectCalledFunctions()), or one counted at its entry where
// it is compiled, in another unit (Elsewhere, described by Function).  For
// the call sites of callers (docs/callers.md).
struct Callee {
  enum KindType { Selected, CalledInto, Elsewhere } Kind = Elsewhere;
  unsigned Index = 0;        // Selected, CalledInto
  SelectedFunction Function; // Elsewhere
  // The symbols a call of it may name.
  std::vector<std::string> Symbols;
};

std::vector<Callee> selectCallees(clang::ASTContext &Ctx, const Filter &Filter,
                                  SystemFiles &System,
                                  const std::vector<SelectedFunction> &Selected,
                                  const std::vector<SelectedFunction> &Called);

// The IR symbols of functions, from Clang's name mangler.
class Symbols {
public:
  explicit Symbols(clang::ASTContext &Ctx);
  ~Symbols();

  // The symbols whose entry means one run-time call of FD: for constructors
  // and destructors only the variants that hold the body.
  std::vector<std::string> symbols(const clang::FunctionDecl *FD);
  // The symbols that a call of FD may name: for a constructor both the
  // complete-object and the base-object one.  Without the '\1' that marks
  // a name given with asm().
  std::vector<std::string> callSymbols(const clang::FunctionDecl *FD);

  // Whether these symbols hold numbers of unnamed types ('$_0' for a lambda
  // in a non-inline function, also as a template argument): a mangler hands
  // them out in the order it meets those types, so two manglers differ.
  static bool unpredictable(const std::vector<std::string> &Symbols);

private:
  std::string mangle(clang::GlobalDecl GD);

  std::unique_ptr<clang::MangleContext> Mangler;
};

// Whether FD is a kind of function that is counted at all: user-written,
// not a template pattern, not consteval, not defaulted or deleted, not
// marked no_instrument_function or naked, not a lambda's static invoker.
bool isCountable(const clang::FunctionDecl *FD);

// Every function declared under D, template instantiations included.
std::vector<const clang::FunctionDecl *> collectFunctions(clang::Decl *D,
                                                         SystemFiles &System);

// Whether FD's symbol may hold numbers of unnamed types: FD is a member of
// a lambda or another unnamed class, or a template instantiation (or a member
// of one), whose arguments may be such types.  Looks at the AST only: it does
// not compute linkage, which must not happen before a declaration is
// complete.
bool mayHaveUnpredictableSymbol(const clang::FunctionDecl *FD);

// The system include directories of a compilation (see SystemFiles),
// normalised.
std::vector<std::string> systemDirs(const clang::HeaderSearchOptions &Options);

// Makes a path absolute and removes '.' and '..' components.
std::string normalisePath(llvm::StringRef Path);

} // namespace tally

#endif
