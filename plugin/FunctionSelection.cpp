#include "FunctionSelection.h"
#include "FunctionNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/GlobalDecl.h"
#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"  // CXXTryStmt
#include "clang/Basic/Builtins.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/SourceManagerInternals.h" // LineEntry
#include "clang/Lex/HeaderSearchOptions.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm> // std::unique
#include <cctype>    // std::isupper
#include <map>

using namespace clang;

namespace tally {

std::string normalisePath(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P.str());
}

static bool matchesAny(const std::vector<llvm::Regex> &Patterns,
                       llvm::StringRef Text) {
  for (const llvm::Regex &R : Patterns)
    if (R.match(Text))
      return true;
  return false;
}

static bool isUnder(llvm::StringRef Path, llvm::StringRef Dir) {
  return Path.substr(0, Dir.size()) == Dir &&
         (Path.size() == Dir.size() || Path[Dir.size()] == '/' ||
          Dir.back() == '/');
}

static std::string invalidArgument(llvm::StringRef Arg) {
  return "invalid argument '" + Arg.str() +
         "' for the tally plugin; expected include-dir=<directory>, "
         "include=<regex>, exclude=<regex>, function=<regex>, "
         "exclude-function=<regex>, headers-only or all, each as "
         "-fplugin-arg-tally-<argument> or -fplugin-arg-tally-@<scope>:<argument>; "
         "or calls-into, no-calls-into, calls-into=<regex>, not-into=<regex>, "
         "call-thunks, call-bumps=<number>, callers or measure-floor, "
         "as -fplugin-arg-tally-<argument>";
}

static bool isCallsArgument(llvm::StringRef Arg) {
  llvm::StringRef Key = Arg.split('=').first;
  return Key == "calls-into" || Arg == "no-calls-into" ||
         (Key == "not-into" && Key.size() < Arg.size());
}

static bool parseRegex(llvm::StringRef Arg, llvm::StringRef Value,
                       std::vector<llvm::Regex> &Into, std::string &Error) {
  llvm::Regex R(Value);
  std::string Why;
  if (!R.isValid(Why)) {
    Error = "invalid regular expression in tally plugin argument '" +
            Arg.str() + "': " + Why;
    return false;
  }
  Into.push_back(std::move(R));
  return true;
}

bool Filter::parseCallsArgument(llvm::StringRef Arg, std::string &Error) {
  if (Arg == "calls-into" || Arg == "no-calls-into") {
    CallsIntoDefault = Arg == "calls-into";
    CallsIntoAsked |= CallsIntoDefault;
    return true;
  }
  auto [Key, Value] = Arg.split('=');
  if (Value.empty()) {
    Error = "tally plugin argument '" + Arg.str() +
            "' needs a regular expression after '='";
    return false;
  }
  // Like every filter, a regex matches anywhere in the name; '^' and '$'
  // anchor it.
  CallsIntoAsked |= Key == "calls-into";
  return parseRegex(Arg, Value, Key == "calls-into" ? CallsInto : NotInto,
                    Error);
}

bool Filter::countsCallsInto(llvm::StringRef Name, bool InDefaultSet) const {
  if (!(InDefaultSet && CallsIntoDefault) && !matchesAny(CallsInto, Name))
    return false;
  return !matchesAny(NotInto, Name);
}

Filter::Scope &Filter::scope(llvm::StringRef Name) {
  for (Scope &S : Scopes)
    if (S.Name == Name)
      return S;
  Scopes.emplace_back();
  Scopes.back().Name = Name.str();
  return Scopes.back();
}

bool Filter::parseArgument(llvm::StringRef Arg, std::string &Error) {
  if (isCallsArgument(Arg))
    return parseCallsArgument(Arg, Error);
  llvm::StringRef ScopeName, Rest = Arg;
  if (Rest.consume_front("@")) {
    std::tie(ScopeName, Rest) = Rest.split(':');
    if (ScopeName.empty() || Rest.empty()) {
      Error = invalidArgument(Arg);
      return false;
    }
    if (isCallsArgument(Rest)) {
      Error = "tally plugin argument '" + Arg.str() +
              "': calls-into, no-calls-into and not-into apply to the whole compilation; "
              "give them without '@" + ScopeName.str() + ":'";
      return false;
    }
  }
  if (Rest == "headers-only") {
    scope(ScopeName).HeadersOnly = true;
    return true;
  }
  if (Rest == "all") { // the scope exists, with nothing else it accepts all
    scope(ScopeName);
    return true;
  }
  auto [Key, Value] = Rest.split('=');
  if (Key == Rest || Value.empty()) {
    Error = invalidArgument(Arg);
    return false;
  }
  if (Key == "include-dir") {
    scope(ScopeName).Dirs.push_back(normalisePath(Value));
    return true;
  }
  Scope &S = scope(ScopeName);
  std::vector<llvm::Regex> *List =
      llvm::StringSwitch<std::vector<llvm::Regex> *>(Key)
          .Case("include", &S.Include)
          .Case("exclude", &S.Exclude)
          .Case("function", &S.Functions)
          .Case("exclude-function", &S.ExcludeFunctions)
          .Default(nullptr);
  if (!List) {
    Error = invalidArgument(Arg);
    return false;
  }
  return parseRegex(Arg, Value, *List, Error);
}

bool Filter::Scope::acceptsFile(llvm::StringRef Path, bool IsMainFile) const {
  if (HeadersOnly && IsMainFile)
    return false;
  if (!Dirs.empty() &&
      llvm::none_of(Dirs, [&](const std::string &D) { return isUnder(Path, D); }))
    return false;
  if (!Include.empty() && !matchesAny(Include, Path))
    return false;
  return !matchesAny(Exclude, Path);
}

bool Filter::Scope::acceptsName(llvm::StringRef Name) const {
  if (!Functions.empty() && !matchesAny(Functions, Name))
    return false;
  return !matchesAny(ExcludeFunctions, Name);
}

bool Filter::acceptsFile(llvm::StringRef Path, bool IsMainFile) const {
  return Scopes.empty() || llvm::any_of(Scopes, [&](const Scope &S) {
           return S.acceptsFile(Path, IsMainFile);
         });
}

bool Filter::accepts(llvm::StringRef Path, bool IsMainFile,
                     llvm::StringRef Name) const {
  return Scopes.empty() || llvm::any_of(Scopes, [&](const Scope &S) {
           return S.acceptsFile(Path, IsMainFile) && S.acceptsName(Name);
         });
}

SystemFiles::SystemFiles(std::vector<std::string> NormalisedDirs)
    : Dirs(std::move(NormalisedDirs)) {}
SystemFiles::~SystemFiles() = default;

// A line marker made the rest of the file a system header: '#pragma GCC
// system_header' (tally's own headers have it), or a '# 1 "file" 3' of
// preprocessed input. The file's own characteristic is not used, because
// Clang gives it to every file of a precompiled header.
static bool markedSystem(const SourceManager &SM, FileID File, SourceLocation Loc) {
  bool Invalid = false;
  const SrcMgr::SLocEntry &Entry = SM.getSLocEntry(File, &Invalid);
  if (Invalid || !Entry.isFile() || !Entry.getFile().hasLineDirectives())
    return false;
  auto &Lines = const_cast<SourceManager &>(SM).getLineTable();
  const LineEntry *Line = Lines.FindNearestLineEntry(File, SM.getFileOffset(Loc));
  return Line && SrcMgr::isSystem(Line->FileKind);
}

bool SystemFiles::contains(const SourceManager &SM, SourceLocation Loc) {
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  FileID File = SM.getFileID(Expansion);
  if (File.isInvalid())
    return false;
  if (markedSystem(SM, File, Expansion))
    return true;
  auto It = ByFile.find(File.getHashValue());
  if (It != ByFile.end())
    return It->second;
  bool System = false;
  if (auto Entry = SM.getFileEntryRefForID(File)) {
    llvm::SmallString<256> Path(Entry->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    std::string Normalised = normalisePath(Path);
    System = llvm::any_of(Dirs, [&](const std::string &D) { return isUnder(Normalised, D); });
  }
  ByFile[File.getHashValue()] = System;
  return System;
}

namespace {

// Collects every function declaration under a declaration, including
// template instantiations and lambda call operators.
class DefinitionCollector : public RecursiveASTVisitor<DefinitionCollector> {
public:
  DefinitionCollector(const SourceManager &SM, SystemFiles &System)
      : SM(SM), System(System) {}

  std::vector<const FunctionDecl *> Found;

  // Nothing declared in a system header is counted, and no function that is
  // counted is declared inside one: skip those subtrees (the standard
  // library's namespaces and all their template instantiations).
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && System.contains(SM, D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; } // lambda classes

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (Seen.insert(FD).second)
      Found.push_back(FD);
    return true;
  }

  // The visitor does not descend into the members of an explicit
  // instantiation definition ('template class Box<int>;').
  bool VisitClassTemplateSpecializationDecl(ClassTemplateSpecializationDecl *D) {
    if (D->getSpecializationKind() == TSK_ExplicitInstantiationDefinition &&
        ExplicitlyInstantiated.insert(D).second)
      for (Decl *Member : D->decls())
        TraverseDecl(Member);
    return true;
  }

private:
  const SourceManager &SM;
  SystemFiles &System;
  llvm::SmallPtrSet<const FunctionDecl *, 32> Seen;
  llvm::SmallPtrSet<const Decl *, 8> ExplicitlyInstantiated;
};

// Mirrors Clang's code generation: the complete-object constructor runs the
// body itself, rather than calling the base-object one, in these cases.
bool completeCtorHasOwnBody(const CXXConstructorDecl *Ctor) {
  return Ctor->getParent()->getNumVBases() != 0 ||
         Ctor->getType()->castAs<FunctionProtoType>()->isVariadic() ||
         Ctor->isDelegatingConstructor();
}

// The complete-object destructor calls the base-object one, unless the body
// is a function-try-block.
bool completeDtorHasOwnBody(const CXXDestructorDecl *Dtor) {
  return Dtor->getBody() && isa<CXXTryStmt>(Dtor->getBody());
}

} // namespace

bool isCountable(const FunctionDecl *FD) {
  if (FD->isInvalidDecl() || FD->isImplicit() || FD->isDefaulted() ||
      FD->isDeleted() || FD->isConsteval() || FD->isDependentContext() ||
      FD->isMultiVersion())
    return false;
  if (FD->hasAttr<NakedAttr>() || FD->hasAttr<NoInstrumentFunctionAttr>())
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (MD->getParent()->isLambda() && !MD->isOverloadedOperator())
      return false; // the static invoker: it forwards to operator()
  return true;
}

Symbols::Symbols(ASTContext &Ctx) : Mangler(Ctx.createMangleContext()) {}
Symbols::~Symbols() = default;

std::string Symbols::mangle(GlobalDecl GD) {
  const auto *ND = cast<NamedDecl>(GD.getDecl());
  if (!Mangler->shouldMangleDeclName(ND))
    return ND->getIdentifier() ? ND->getName().str() : std::string();
  std::string S;
  llvm::raw_string_ostream OS(S);
  Mangler->mangleName(GD, OS);
  return OS.str();
}

std::vector<std::string> Symbols::symbols(const FunctionDecl *FD) {
  std::vector<std::string> Out;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD)) {
    Out.push_back(mangle(GlobalDecl(Ctor, Ctor_Base)));
    if (completeCtorHasOwnBody(Ctor))
      Out.push_back(mangle(GlobalDecl(Ctor, Ctor_Complete)));
  } else if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD)) {
    Out.push_back(mangle(GlobalDecl(Dtor, Dtor_Base)));
    if (completeDtorHasOwnBody(Dtor))
      Out.push_back(mangle(GlobalDecl(Dtor, Dtor_Complete)));
  } else {
    Out.push_back(mangle(GlobalDecl(FD)));
  }
  return Out;
}

std::vector<std::string> Symbols::callSymbols(const FunctionDecl *FD) {
  std::vector<std::string> Out;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD)) {
    Out.push_back(mangle(GlobalDecl(Ctor, Ctor_Complete)));
    Out.push_back(mangle(GlobalDecl(Ctor, Ctor_Base)));
  } else {
    Out.push_back(mangle(GlobalDecl(FD)));
  }
  for (std::string &S : Out)
    if (!S.empty() && S[0] == '\1')
      S.erase(0, 1);
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

bool Symbols::unpredictable(const std::vector<std::string> &Symbols) {
  for (const std::string &S : Symbols)
    if (S.empty() || S.find("$_") != std::string::npos)
      return true;
  return false;
}

namespace {

class Selector {
public:
  Selector(ASTContext &Ctx, const Filter &TheFilter, SystemFiles &System)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), TheFilter(TheFilter),
        System(System), Names(Ctx), Mangler(Ctx) {}

  // A function that a selected one calls: counted at the call sites when
  // it is not counted itself and the filter wants its calls.
  void selectCalled(const FunctionDecl *Callee,
                    std::vector<SelectedFunction> &Out) {
    const FunctionDecl *FD = writtenDeclaration(Callee);
    if (!FD || !callable(FD))
      return;
    // Before anything is printed: most callees of C++ code are the
    // standard library's, which the default set leaves out.
    bool InDefaultSet = inDefaultSet(FD);
    if (!TheFilter.mayCountCallsInto(InDefaultSet))
      return;
    SourceLocation Loc = SM.getExpansionLoc(location(FD));
    if (Loc.isInvalid())
      return;
    FileID File = SM.getFileID(Loc);
    const std::string *Path = pathOf(File);
    std::string Name = Names.name(FD);
    // Declared where the filter counts functions: counted at its entry, if
    // anywhere (this is how tally tells a function it instruments from one
    // it does not).
    if (!System.contains(SM, Loc) && Path &&
        TheFilter.accepts(*Path, File == SM.getMainFileID(), Name))
      return;
    if (!TheFilter.countsCallsInto(Name, InDefaultSet))
      return;
    std::vector<std::string> CallSymbols = Mangler.callSymbols(FD);
    if (Symbols::unpredictable(CallSymbols))
      return;
    SelectedFunction S;
    S.Decl = FD;
    S.Name = std::move(Name);
    S.Signature = Names.signature(FD);
    S.File = Path ? *Path : std::string();
    S.Line = SM.getExpansionLineNumber(Loc);
    S.Symbols = std::move(CallSymbols);
    Out.push_back(std::move(S));
  }

  // A function that a selected one calls, that this unit does not define
  // and that is counted at its entry where it is compiled: declared where
  // the filter counts functions (the test selectCalled makes).  Named and
  // located by its first written declaration, with the symbols a call of
  // it may name.  For the call sites of callers (docs/callers.md).
  bool selectCountedElsewhere(const FunctionDecl *Callee, SelectedFunction &Out) {
    const FunctionDecl *FD = writtenDeclaration(Callee);
    if (!FD || !callable(FD) || !isCountable(Callee))
      return false;
    SourceLocation Loc = SM.getExpansionLoc(location(FD));
    if (Loc.isInvalid() || System.contains(SM, Loc))
      return false;
    FileID File = SM.getFileID(Loc);
    const std::string *Path = pathOf(File);
    if (!Path)
      return false;
    std::string Name = Names.name(FD);
    if (!TheFilter.accepts(*Path, File == SM.getMainFileID(), Name))
      return false;
    std::vector<std::string> CallSymbols = Mangler.callSymbols(FD);
    if (Symbols::unpredictable(CallSymbols))
      return false;
    Out.Decl = FD;
    Out.Name = std::move(Name);
    Out.Signature = Names.signature(FD);
    Out.File = *Path;
    Out.Line = SM.getExpansionLineNumber(Loc);
    Out.Symbols = std::move(CallSymbols);
    return true;
  }

  // The symbols a call of FD may name, or none where a mangler cannot
  // predict them.
  std::vector<std::string> callSymbols(const FunctionDecl *FD) {
    std::vector<std::string> Out = Mangler.callSymbols(FD);
    if (Symbols::unpredictable(Out))
      Out.clear();
    return Out;
  }

  void select(const FunctionDecl *FD, std::vector<SelectedFunction> &Out) {
    if (!isCountable(FD))
      return;
    SourceLocation Loc = SM.getExpansionLoc(location(FD));
    if (Loc.isInvalid() || System.contains(SM, Loc))
      return;
    FileID File = SM.getFileID(Loc);
    const std::string *Path = pathOf(File);
    if (!Path || !TheFilter.acceptsFile(*Path, File == SM.getMainFileID()))
      return;

    SelectedFunction S;
    S.Decl = FD;
    S.Name = Names.name(FD);
    if (!TheFilter.accepts(*Path, File == SM.getMainFileID(), S.Name))
      return;
    S.Signature = Names.signature(FD);
    S.File = *Path;
    S.Line = SM.getExpansionLineNumber(Loc);
    S.Symbols = Mangler.symbols(FD);
    Out.push_back(std::move(S));
  }

private:
  // A lambda is located at its introducer, like Clang's '(lambda at ...)';
  // a template instantiation where its template's definition is (Clang 14
  // keeps the location of the first declaration for some of them).
  static SourceLocation location(const FunctionDecl *FD) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
      if (MD->getParent()->isLambda())
        return MD->getParent()->getLocation();
    if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
      return Pattern->getLocation();
    return FD->getLocation();
  }

  // The first declaration the program wrote (not one Clang made up for a
  // builtin): the same in every translation unit that includes the same
  // headers.  (An instantiation is located at its template, by location().)
  static const FunctionDecl *writtenDeclaration(const FunctionDecl *FD) {
    for (const FunctionDecl *D : FD->getFirstDecl()->redecls())
      if (!D->isImplicit())
        return D;
    return nullptr;
  }

  // Whether a call of FD is a call tally can count at its call site: one
  // that names FD's symbol in the code.
  bool callable(const FunctionDecl *FD) {
    if (FD->isInvalidDecl() || FD->isDefaulted() || FD->isDeleted() ||
        FD->isConsteval() || FD->isDependentContext() || FD->isMultiVersion())
      return false;
    if (isa<CXXDestructorDecl>(FD)) // run where scopes end, not called
      return false;
    if (unsigned ID = FD->getBuiltinID())
      if (!Ctx.BuiltinInfo.isPredefinedLibFunction(ID))
        return false; // __builtin_*: code, never a call
    for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
      if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
        if (NS->getName() == "tally" && NS->getParent()->isTranslationUnit())
          return false;
    return true;
  }

  // The default set: every function but those of the standard library
  // (namespace std and reserved names: '__x', '_X', in any enclosing
  // scope), allocation functions (counted as allocations) and the library
  // functions that Clang itself turns into other code before any
  // optimisation (memcpy of a known size, sqrt, strlen of a constant), whose
  // calls into the library would otherwise count 0.
  bool inDefaultSet(const FunctionDecl *FD) {
    auto Reserved = [](const IdentifierInfo *Id) {
      llvm::StringRef S = Id ? Id->getName() : "";
      return S.size() >= 2 && S[0] == '_' && (S[1] == '_' || std::isupper(S[1]));
    };
    // A library's own helpers, by the names libraries give the namespaces
    // they keep them in (testing::internal, fmt::detail, boost::*::detail,
    // absl::strings_internal): what a call into them counts is how the
    // library's inline code and macros are written, not a call the
    // program's own code makes.
    auto Internal = [](const NamespaceDecl *NS) {
      llvm::StringRef S = NS->getIdentifier() ? NS->getIdentifier()->getName() : "";
      // The whole name, or its last part after '_'.
      llvm::StringRef Last = S.rsplit('_').second.empty() ? S : S.rsplit('_').second;
      return Last == "detail" || Last == "details" || Last == "internal" || Last == "impl";
    };
    if (Reserved(FD->getIdentifier()))
      return false;
    // Enclosing namespaces and classes: std (members of its classes, its
    // nested and inline namespaces too), reserved names and a library's
    // internal namespaces.
    for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent()) {
      if (DC->isStdNamespace())
        return false;
      if (const auto *ND = dyn_cast<NamedDecl>(DC))
        if (Reserved(ND->getIdentifier()))
          return false;
      if (const auto *NS = dyn_cast<NamespaceDecl>(DC); NS && Internal(NS))
        return false;
    }
    OverloadedOperatorKind Op = FD->getOverloadedOperator();
    if (Op == OO_New || Op == OO_Delete || Op == OO_Array_New ||
        Op == OO_Array_Delete)
      return false;
    if (unsigned ID = FD->getBuiltinID()) {
      llvm::StringRef Header = Ctx.BuiltinInfo.getHeaderName(ID)
                                   ? Ctx.BuiltinInfo.getHeaderName(ID)
                                   : "";
      if (Ctx.BuiltinInfo.isConst(ID) || Header == "math.h" ||
          Header == "complex.h")
        return false;
      static const char *const Lowered[] = {
          "memcpy", "memmove", "memset", "memcmp", "bcmp", "bzero", "bcopy",
          "memchr", "mempcpy", "strlen", "strcmp", "strncmp", "strchr",
          "strrchr", "strcpy", "strncpy", "strcat", "strncat", "strstr",
          "wcslen", "wcscmp", "wcsncmp", "wcschr", "wmemcmp", "wmemchr",
          "alloca"};
      // A builtin is a C library function: its name is its identifier.
      if (FD->getIdentifier() && llvm::is_contained(Lowered, FD->getName()))
        return false;
    }
    return true;
  }

  const std::string *pathOf(FileID File) {
    auto It = Paths.find(File);
    if (It != Paths.end())
      return It->second.empty() ? nullptr : &It->second;
    std::string &Path = Paths[File];
    if (auto Entry = SM.getFileEntryRefForID(File)) {
      llvm::SmallString<256> P(Entry->getName());
      SM.getFileManager().makeAbsolutePath(P);
      Path = normalisePath(P);
    }
    return Path.empty() ? nullptr : &Path;
  }

  ASTContext &Ctx;
  SourceManager &SM;
  const Filter &TheFilter;
  SystemFiles &System;
  FunctionNames Names;
  Symbols Mangler;
  llvm::DenseMap<FileID, std::string> Paths;
};

} // namespace

namespace {

// A visitor of a function's code that also visits, once each, the default
// arguments and member initialisers that the code evaluates: Clang keeps
// them in the declarations they belong to, not in the function.
template <class Derived>
class FunctionCodeVisitor : public RecursiveASTVisitor<Derived> {
public:
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitCXXDefaultArgExpr(CXXDefaultArgExpr *E) {
    expand(E->getExpr());
    return true;
  }
  bool VisitCXXDefaultInitExpr(CXXDefaultInitExpr *E) {
    expand(E->getExpr());
    return true;
  }

private:
  void expand(Expr *E) {
    if (E && Expanded.insert(E).second)
      static_cast<Derived *>(this)->TraverseStmt(E);
  }

  llvm::SmallPtrSet<const Expr *, 8> Expanded;
};

// The functions that calls in a function's code name directly: calls,
// member calls, operators, constructions, also in the default arguments and
// member initialisers that the function's code evaluates.
class CalleeCollector : public FunctionCodeVisitor<CalleeCollector> {
public:
  bool VisitCallExpr(CallExpr *E) {
    if (const FunctionDecl *FD = E->getDirectCallee())
      add(FD);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    add(E->getConstructor());
    return true;
  }

  std::vector<const FunctionDecl *> Found;

private:
  void add(const FunctionDecl *FD) {
    if (FD && Seen.insert(FD->getCanonicalDecl()).second)
      Found.push_back(FD);
  }

  llvm::SmallPtrSet<const FunctionDecl *, 32> Seen;
};

// The virtual calls in one function's own code (not in the lambdas, blocks
// and local classes it defines, which are functions of their own): the
// calls of a virtual member function, not a destructor, that name it
// without a qualifier, with the object they call it on.
class VirtualCallCollector
    : public FunctionCodeVisitor<VirtualCallCollector> {
public:
  struct Found {
    const CXXMethodDecl *Method;
    const Expr *Object;
    SourceLocation Loc;
  };

  explicit VirtualCallCollector(const FunctionDecl *Root) : Root(Root) {}

  bool TraverseDecl(Decl *D) {
    if (D && D != Root &&
        (isa<FunctionDecl>(D) || isa<RecordDecl>(D) || isa<BlockDecl>(D)))
      return true;
    return FunctionCodeVisitor::TraverseDecl(D);
  }
  bool TraverseLambdaExpr(LambdaExpr *E) {
    for (Expr *Init : E->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *E) {
    const auto *Member = dyn_cast<MemberExpr>(E->getCallee()->IgnoreParens());
    if (Member && !Member->hasQualifier())
      add(E->getMethodDecl(), Member->getBase(), E->getExprLoc());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *E) {
    if (E->getNumArgs() > 0)
      add(dyn_cast_or_null<CXXMethodDecl>(E->getDirectCallee()), E->getArg(0),
          E->getExprLoc());
    return true;
  }

  std::vector<Found> Calls;

private:
  void add(const CXXMethodDecl *MD, const Expr *Object, SourceLocation Loc) {
    if (MD && Object && MD->isVirtual() && !isa<CXXDestructorDecl>(MD))
      Calls.push_back({MD, Object, Loc});
  }

  const FunctionDecl *Root;
};

// The functions that code generation may call directly in place of a
// virtual call of MD on Object, where it knows Object's class (as Clang's
// CodeGenFunction::EmitCXXMemberOrOperatorMemberCallExpr does).
std::vector<const CXXMethodDecl *> devirtualized(const CXXMethodDecl *MD,
                                                 const Expr *Object) {
  std::vector<const CXXMethodDecl *> Out;
  auto Add = [&](const CXXMethodDecl *M) {
    if (M && M != MD && !llvm::is_contained(Out, M))
      Out.push_back(M);
  };
  Add(MD->getDevirtualizedMethod(Object, /*IsAppleKext=*/false));
  if (const CXXRecordDecl *Best = Object->getBestDynamicClassType())
    Add(const_cast<CXXMethodDecl *>(MD)->getCorrespondingMethodInClass(Best));
  return Out;
}

} // namespace

std::vector<SelectedFunction>
selectCalledFunctions(ASTContext &Ctx, const Filter &Filter,
                      SystemFiles &System,
                      std::vector<SelectedFunction> &Selected) {
  std::vector<SelectedFunction> Out;
  if (!Filter.countsCalls())
    return Out;
  llvm::SmallPtrSet<const FunctionDecl *, 32> Counted;
  for (const SelectedFunction &F : Selected)
    Counted.insert(F.Decl->getCanonicalDecl());
  CalleeCollector Collector;
  for (const SelectedFunction &F : Selected)
    Collector.TraverseDecl(const_cast<FunctionDecl *>(F.Decl));
  Selector S(Ctx, Filter, System);
  llvm::DenseMap<const FunctionDecl *, unsigned> Index; // into Out
  for (const FunctionDecl *FD : Collector.Found) {
    if (Counted.count(FD->getCanonicalDecl()))
      continue;
    size_t Before = Out.size();
    S.selectCalled(FD, Out);
    if (Out.size() > Before)
      Index[FD->getCanonicalDecl()] = unsigned(Before);
  }

  // Virtual calls of the functions counted at call sites, by location.  Two
  // of different functions at one location (a macro's expansion) cannot be
  // told apart: neither is counted there.
  SourceManager &SM = Ctx.getSourceManager();
  Symbols Mangler(Ctx);
  for (SelectedFunction &F : Selected) {
    VirtualCallCollector Virtual(F.Decl);
    Virtual.TraverseDecl(const_cast<FunctionDecl *>(F.Decl));
    std::map<std::pair<unsigned, unsigned>, int> Where; // -1: ambiguous
    std::vector<VirtualCall> Calls;
    auto AddDevirtualized = [&](VirtualCall &Call,
                                const VirtualCallCollector::Found &C) {
      for (const CXXMethodDecl *M : devirtualized(C.Method, C.Object))
        for (std::string &Symbol : Mangler.callSymbols(M))
          Call.Devirtualized.push_back(std::move(Symbol));
    };
    for (const VirtualCallCollector::Found &C : Virtual.Calls) {
      auto It = Index.find(C.Method->getCanonicalDecl());
      if (It == Index.end())
        continue;
      PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(C.Loc));
      if (P.isInvalid())
        continue;
      auto [At, New] =
          Where.try_emplace({P.getLine(), P.getColumn()}, int(Calls.size()));
      if (!New) {
        if (At->second >= 0 && Calls[At->second].Callee != It->second)
          At->second = -1;
        if (At->second >= 0)
          AddDevirtualized(Calls[At->second], C);
        continue;
      }
      Calls.push_back({P.getLine(), P.getColumn(), It->second, {}});
      AddDevirtualized(Calls.back(), C);
    }
    for (auto &[Key, At] : Where)
      if (At >= 0)
        F.VirtualCalls.push_back(std::move(Calls[At]));
  }
  return Out;
}

std::vector<Callee> selectCallees(ASTContext &Ctx, const Filter &Filter,
                                  SystemFiles &System,
                                  const std::vector<SelectedFunction> &Selected,
                                  const std::vector<SelectedFunction> &Called) {
  llvm::DenseMap<const FunctionDecl *, unsigned> SelectedIndex, CalledIndex;
  for (unsigned I = 0; I < Selected.size(); ++I)
    SelectedIndex[Selected[I].Decl->getCanonicalDecl()] = I;
  for (unsigned I = 0; I < Called.size(); ++I)
    CalledIndex[Called[I].Decl->getCanonicalDecl()] = I;
  CalleeCollector Collector;
  for (const SelectedFunction &F : Selected)
    Collector.TraverseDecl(const_cast<FunctionDecl *>(F.Decl));
  Selector S(Ctx, Filter, System);
  std::vector<Callee> Out;
  for (const FunctionDecl *FD : Collector.Found) {
    const FunctionDecl *Canonical = FD->getCanonicalDecl();
    Callee C;
    if (auto It = SelectedIndex.find(Canonical); It != SelectedIndex.end()) {
      C.Kind = Callee::Selected;
      C.Index = It->second;
      C.Symbols = S.callSymbols(FD);
    } else if (auto It = CalledIndex.find(Canonical); It != CalledIndex.end()) {
      C.Kind = Callee::CalledInto;
      C.Index = It->second;
      C.Symbols = Called[It->second].Symbols;
    } else if (S.selectCountedElsewhere(FD, C.Function)) {
      C.Kind = Callee::Elsewhere;
      C.Symbols = C.Function.Symbols;
    } else {
      continue; // not counted anywhere: no call sites
    }
    if (!C.Symbols.empty())
      Out.push_back(std::move(C));
  }
  return Out;
}

std::vector<SelectedFunction> selectFunctions(ASTContext &Ctx,
                                              const Filter &Filter,
                                              SystemFiles &System) {
  DefinitionCollector Collector(Ctx.getSourceManager(), System);
  Collector.TraverseDecl(Ctx.getTranslationUnitDecl());
  Selector S(Ctx, Filter, System);
  std::vector<SelectedFunction> Out;
  for (const FunctionDecl *FD : Collector.Found)
    if (FD->doesThisDeclarationHaveABody())
      S.select(FD, Out);
  return Out;
}

bool mayHaveUnpredictableSymbol(const FunctionDecl *FD) {
  if (FD->getTemplateSpecializationArgs())
    return true;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC)) {
      if (RD->isLambda() || isa<ClassTemplateSpecializationDecl>(RD) ||
          (!RD->getIdentifier() && !RD->getTypedefNameForAnonDecl()))
        return true;
    } else if (const auto *Fn = dyn_cast<FunctionDecl>(DC)) {
      if (Fn->getTemplateSpecializationArgs())
        return true;
    }
  }
  return false;
}

std::vector<const FunctionDecl *> collectFunctions(Decl *D,
                                                  SystemFiles &System) {
  DefinitionCollector Collector(D->getASTContext().getSourceManager(), System);
  Collector.TraverseDecl(D);
  return std::move(Collector.Found);
}


std::vector<std::string> systemDirs(const clang::HeaderSearchOptions &Options) {
  std::vector<std::string> Dirs;
  for (const clang::HeaderSearchOptions::Entry &E : Options.UserEntries) {
    switch (E.Group) {
    case clang::frontend::System:
    case clang::frontend::ExternCSystem:
    case clang::frontend::CSystem:
    case clang::frontend::CXXSystem:
    case clang::frontend::ObjCSystem:
    case clang::frontend::ObjCXXSystem:
    case clang::frontend::After:
      Dirs.push_back(normalisePath(E.Path));
      break;
    default:
      break;
    }
  }
  return Dirs;
}

} // namespace tally
