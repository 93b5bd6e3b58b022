// Readable function names, computed from the AST with one fixed printing
// policy so that they are identical on every supported Clang version.
//
//   name:      example::Box<int>::put, example::max<int>, X::~X,
//              example::run::(lambda at downloader.cpp:12:7)
//   signature: name + parameter types + method qualifiers,
//              example::http::get(const std::string &), Box<int>::take() const
#ifndef TALLY_PLUGIN_FUNCTIONNAMES_H
#define TALLY_PLUGIN_FUNCTIONNAMES_H

#include "clang/AST/PrettyPrinter.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace clang {
class ASTContext;
class RecordDecl;
class DeclContext;
class FunctionDecl;
class QualType;
} // namespace clang

namespace tally {

class FunctionNames {
public:
  explicit FunctionNames(clang::ASTContext &Ctx);
  ~FunctionNames();

  std::string name(const clang::FunctionDecl *FD);
  // The signature always begins with name(FD).
  std::string signature(const clang::FunctionDecl *FD);

private:
  void printName(const clang::FunctionDecl *FD, llvm::raw_ostream &OS);
  void printScope(const clang::DeclContext *DC, llvm::raw_ostream &OS);
  void printUnnamed(const clang::RecordDecl *RD, llvm::raw_ostream &OS);
  void printType(clang::QualType T, bool FromTemplateArgument,
                 llvm::raw_ostream &OS);

  clang::ASTContext &Ctx;
  class PathCallbacks;
  std::unique_ptr<PathCallbacks> Callbacks;
  clang::PrintingPolicy Policy;
};

} // namespace tally

#endif
