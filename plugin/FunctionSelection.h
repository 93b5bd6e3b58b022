// Which functions tally counts, and under which names.  Shared by the plugin
// and by anything else that must agree with it on what is counted.
#ifndef TALLY_PLUGIN_FUNCTIONSELECTION_H
#define TALLY_PLUGIN_FUNCTIONSELECTION_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class FunctionDecl;
} // namespace clang

namespace tally {

// Which source files are counted.  Functions in system headers never are.
struct FileFilter {
  // When non-empty, only files under one of these normalised absolute
  // directories are counted.
  std::vector<std::string> IncludeDirs;
  // Never count functions defined in the main source file of the translation
  // unit: used where a target only carries another target's header code.
  bool HeadersOnly = false;

  bool accepts(llvm::StringRef NormalisedPath, bool IsMainFile) const;
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
};

std::vector<SelectedFunction> selectFunctions(clang::ASTContext &Ctx,
                                              const FileFilter &Filter);

// Every function declared under D, template instantiations included.
std::vector<const clang::FunctionDecl *> collectFunctions(clang::Decl *D);

// Whether FD is a member of a lambda or of another unnamed class, whose
// mangled names hold numbers that depend on the order of mangling.
bool isInUnnamedType(const clang::FunctionDecl *FD);

// Makes a path absolute and removes '.' and '..' components.
std::string normalisePath(llvm::StringRef Path);

} // namespace tally

#endif
