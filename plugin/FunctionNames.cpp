#include "FunctionNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/QualTypeNames.h"  // TypeName::getFullyQualifiedType
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"  // sys::path::filename

using namespace clang;

namespace tally {
namespace {

PrintingPolicy makePolicy(const ASTContext &Ctx, const PrintingCallbacks *CB) {
  PrintingPolicy P(Ctx.getLangOpts());
  P.SuppressTagKeyword = true;       // 'Foo', never 'struct Foo'
  P.SuppressInlineNamespace = true;  // 'std::string', not 'std::__cxx11::...'
  P.SuppressDefaultTemplateArgs = true;
  P.SuppressUnwrittenScope = false;  // keep '(anonymous namespace)'
  P.FullyQualifiedName = true;
  P.PrintCanonicalTypes = false;     // keep typedefs as written
  P.SplitTemplateClosers = false;    // '>>' on every language version
  P.AnonymousTagLocations = true;
  P.Bool = true;
  P.UseVoidForZeroParams = false;
  P.Callbacks = CB;
  return P;
}

} // namespace

// Lambdas are named after their file's base name, so that names do not depend
// on where the project was checked out or how the compiler was invoked.
class FunctionNames::PathCallbacks : public PrintingCallbacks {
public:
  std::string remapPath(StringRef Path) const override {
    return llvm::sys::path::filename(Path).str();
  }
};

FunctionNames::FunctionNames(ASTContext &Ctx)
    : Ctx(Ctx), Callbacks(std::make_unique<PathCallbacks>()),
      Policy(makePolicy(Ctx, Callbacks.get())) {}

FunctionNames::~FunctionNames() = default;

void FunctionNames::printType(QualType T, raw_ostream &OS) {
  TypeName::getFullyQualifiedType(T, Ctx, /*WithGlobalNsPrefix=*/false)
      .print(OS, Policy);
}

static void printArgs(ArrayRef<TemplateArgument> Args,
                      const TemplateParameterList *Params, ASTContext &Ctx,
                      const PrintingPolicy &Policy, raw_ostream &OS) {
  SmallVector<TemplateArgument, 4> Qualified;
  for (const TemplateArgument &A : Args) {
    if (A.getKind() == TemplateArgument::Type)
      Qualified.push_back(TemplateArgument(TypeName::getFullyQualifiedType(
          A.getAsType(), Ctx, /*WithGlobalNsPrefix=*/false)));
    else
      Qualified.push_back(A);
  }
  printTemplateArgumentList(OS, Qualified, Policy, Params);
}

void FunctionNames::printLambda(const CXXRecordDecl *Lambda, raw_ostream &OS) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = SM.getExpansionLoc(Lambda->getLocation());
  PresumedLoc P = SM.getPresumedLoc(Loc);
  OS << "(lambda at ";
  if (P.isValid())
    OS << llvm::sys::path::filename(P.getFilename()) << ':' << P.getLine()
       << ':' << P.getColumn();
  else
    OS << "<unknown>";
  OS << ')';
}

void FunctionNames::printScope(const DeclContext *DC, raw_ostream &OS) {
  // Scopes from the innermost out, stopping at an enclosing function: its
  // name already carries the scopes outside it.
  SmallVector<const DeclContext *, 8> Chain;
  for (; DC && !isa<TranslationUnitDecl>(DC); DC = DC->getParent()) {
    Chain.push_back(DC);
    if (isa<FunctionDecl>(DC))
      break;
  }

  for (const DeclContext *Scope : llvm::reverse(Chain)) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(Scope)) {
      if (NS->isInline())
        continue;
      if (NS->isAnonymousNamespace())
        OS << "(anonymous namespace)";
      else
        OS << NS->getName();
    } else if (const auto *RD = dyn_cast<RecordDecl>(Scope)) {
      const auto *CRD = dyn_cast<CXXRecordDecl>(RD);
      if (CRD && CRD->isLambda()) {
        printLambda(CRD, OS);
      } else if (RD->getIdentifier()) {
        OS << RD->getName();
        if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          printArgs(Spec->getTemplateArgs().asArray(),
                    Spec->getSpecializedTemplate()->getTemplateParameters(),
                    Ctx, Policy, OS);
      } else if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl()) {
        OS << TD->getName();
      } else {
        OS << "(anonymous " << RD->getKindName() << ')';
      }
    } else if (const auto *Fn = dyn_cast<FunctionDecl>(Scope)) {
      printName(Fn, OS);
    } else {
      continue; // extern "C" blocks, export blocks, ...: no name of their own
    }
    OS << "::";
  }
}

void FunctionNames::printName(const FunctionDecl *FD, raw_ostream &OS) {
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    if (MD->getParent()->isLambda()) {
      printScope(MD->getParent()->getDeclContext(), OS);
      printLambda(MD->getParent(), OS);
      return;
    }
  }

  printScope(FD->getDeclContext(), OS);
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD)) {
    OS << Ctor->getParent()->getName();
  } else if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD)) {
    OS << '~' << Dtor->getParent()->getName();
  } else if (const auto *Conv = dyn_cast<CXXConversionDecl>(FD)) {
    OS << "operator ";
    printType(Conv->getConversionType(), OS);
  } else {
    FD->getDeclName().print(OS, Policy);
  }

  if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
    printArgs(Args->asArray(),
              FD->getPrimaryTemplate()->getTemplateParameters(), Ctx, Policy,
              OS);
}

std::string FunctionNames::name(const FunctionDecl *FD) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printName(FD, OS);
  return OS.str();
}

std::string FunctionNames::signature(const FunctionDecl *FD) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printName(FD, OS);
  OS << '(';
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (Proto) {
    for (unsigned I = 0, N = Proto->getNumParams(); I != N; ++I) {
      if (I)
        OS << ", ";
      printType(Proto->getParamType(I), OS);
    }
    if (Proto->isVariadic())
      OS << (Proto->getNumParams() ? ", ..." : "...");
  }
  OS << ')';

  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  if (Proto && MD && MD->isInstance()) {
    Qualifiers Quals = Proto->getMethodQuals();
    if (Quals.hasConst())
      OS << " const";
    if (Quals.hasVolatile())
      OS << " volatile";
    if (Proto->getRefQualifier() == RQ_LValue)
      OS << " &";
    else if (Proto->getRefQualifier() == RQ_RValue)
      OS << " &&";
  }
  return OS.str();
}

} // namespace tally
