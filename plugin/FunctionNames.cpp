#include "FunctionNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/QualTypeNames.h"  // TypeName::getFullyQualifiedType
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Path.h"  // sys::path::filename

#include <cstring>  // std::strchr, std::strlen

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

// 'struct S *' written in the source prints with its keyword, whatever the
// policy says: drop 'struct', 'class', 'union' and 'enum' where they start a
// type, but not in '(unnamed struct at ...)'.
static std::string withoutTagKeywords(const std::string &Type) {
  static const char *const Keywords[] = {"struct ", "class ", "union ", "enum "};
  std::string Out;
  for (size_t I = 0; I < Type.size();) {
    bool AtTypeStart = Out.empty() || std::strchr(" (<,", Out.back());
    bool AfterUnnamed =
        Out.size() >= 8 && Out.compare(Out.size() - 8, 8, "unnamed ") == 0;
    size_t Skip = 0;
    for (const char *Keyword : Keywords)
      if (AtTypeStart && !AfterUnnamed &&
          Type.compare(I, std::strlen(Keyword), Keyword) == 0)
        Skip = std::strlen(Keyword);
    if (Skip) {
      I += Skip;
    } else {
      Out += Type[I++];
    }
  }
  return Out;
}

// Types as written are printed fully qualified.  Types that come from
// template arguments are printed canonically: whether Clang keeps their sugar
// ('std::string' or 'std::basic_string<char>') varies between versions and
// even with the order of instantiation.
void FunctionNames::printType(QualType T, bool FromTemplateArgument,
                              raw_ostream &OS) {
  std::string Text;
  llvm::raw_string_ostream Printed(Text);
  if (FromTemplateArgument)
    T.getCanonicalType().print(Printed, Policy);
  else
    TypeName::getFullyQualifiedType(T, Ctx, /*WithGlobalNsPrefix=*/false)
        .print(Printed, Policy);
  OS << withoutTagKeywords(Printed.str());
}

static void printArgs(ArrayRef<TemplateArgument> Args,
                      const TemplateParameterList *Params, ASTContext &Ctx,
                      const PrintingPolicy &Policy, raw_ostream &OS) {
  SmallVector<TemplateArgument, 4> Canonical;
  for (const TemplateArgument &A : Args)
    Canonical.push_back(Ctx.getCanonicalTemplateArgument(A));
  printTemplateArgumentList(OS, Canonical, Policy, Params);
}

// '(lambda at FILE:LINE:COL)', '(unnamed struct at FILE:LINE:COL)': the
// spelling Clang gives these types, with the file's base name.
void FunctionNames::printUnnamed(const RecordDecl *RD, raw_ostream &OS) {
  const auto *CRD = dyn_cast<CXXRecordDecl>(RD);
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Loc = SM.getExpansionLoc(RD->getLocation());
  PresumedLoc P = SM.getPresumedLoc(Loc);
  if (CRD && CRD->isLambda())
    OS << "(lambda at ";
  else
    OS << "(unnamed " << RD->getKindName() << " at ";
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
        printUnnamed(CRD, OS);
      } else if (RD->getIdentifier()) {
        OS << RD->getName();
        if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          printArgs(Spec->getTemplateArgs().asArray(),
                    Spec->getSpecializedTemplate()->getTemplateParameters(),
                    Ctx, Policy, OS);
      } else if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl()) {
        OS << TD->getName();
      } else {
        printUnnamed(RD, OS);
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
      printUnnamed(MD->getParent(), OS);
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
    const auto *Pattern = dyn_cast_or_null<CXXConversionDecl>(
        Conv->getTemplateInstantiationPattern());
    printType(Conv->getConversionType(),
              Pattern && Pattern->getConversionType()->isDependentType(), OS);
  } else {
    FD->getDeclName().print(OS, Policy);
  }

  // All of a function template's arguments, defaults included: whether
  // Clang leaves out a default one here differs between versions.
  if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
    printArgs(Args->asArray(), /*Params=*/nullptr, Ctx, Policy, OS);
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
    // A parameter type is dependent in the template the function was
    // instantiated from, if any (see printType).
    const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();
    const auto *PatternProto =
        Pattern ? Pattern->getType()->getAs<FunctionProtoType>() : nullptr;
    bool SameArity =
        PatternProto && PatternProto->getNumParams() == Proto->getNumParams();
    for (unsigned I = 0, N = Proto->getNumParams(); I != N; ++I) {
      if (I)
        OS << ", ";
      bool FromTemplate =
          Pattern && (!SameArity ||
                      PatternProto->getParamType(I)->isDependentType());
      // Without the parameter's own qualifiers: a declaration may say
      // 'const char *__restrict' where the definition says 'const char *'.
      printType(Proto->getParamType(I).getUnqualifiedType(), FromTemplate, OS);
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
