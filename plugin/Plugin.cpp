// The tally Clang plugin: one shared object that is both a frontend plugin
// (-fplugin=...) and a pass plugin.  The frontend half decides which functions
// are counted and names them; it wires in the pass half itself, so users pass
// only -fplugin.
#include "FunctionSelection.h"
#include "Handover.h"
#include "InstrumentPass.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Version.h"  // CLANG_VERSION_MAJOR
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/HeaderSearchOptions.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/Path.h"

#include <dlfcn.h>   // dladdr
#include <link.h>    // dl_iterate_phdr
#include <unistd.h>  // _exit

#include <algorithm>  // std::find
#include <cctype>     // std::isdigit
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace clang;

#if __has_include("llvm/Frontend/Debug/Options.h")
namespace debugoptions = llvm::codegenoptions;
#else
namespace debugoptions = clang::codegenoptions;
#endif

namespace tally {

Handover &handover() {
  static Handover H;
  return H;
}

std::string symbolPattern(llvm::StringRef Symbol) {
  std::string Pattern;
  for (size_t I = 0; I < Symbol.size(); ++I) {
    Pattern += Symbol[I];
    if (Symbol[I] == '$' && I + 1 < Symbol.size() && Symbol[I + 1] == '_') {
      Pattern += '_';
      for (++I; I + 1 < Symbol.size() && std::isdigit(Symbol[I + 1]); ++I) {
      }
    }
  }
  return Pattern;
}

namespace {

// Chooses the functions to count once the whole translation unit, with every
// template instantiation, has been parsed; code generation runs after it.
//
// Functions whose symbols cannot be predicted (members of lambdas, template
// instantiations over lambdas, see Handover.h) are also marked earlier, as
// each top-level declaration or instantiation reaches code generation: they
// travel to the pass as annotations, which must be on the declaration before
// code generation first refers to it.  Inline member functions reach code
// generation with their class's top-level declaration, after its typedef
// name for linkage, if any, is known.
class SelectionConsumer : public ASTConsumer {
public:
  SelectionConsumer(Filter F, std::vector<std::string> SystemDirs)
      : TheFilter(std::move(F)), System(std::move(SystemDirs)) {}

  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      markUnpredictable(D);
    return true;
  }
  void HandleCXXImplicitFunctionInstantiation(FunctionDecl *D) override {
    markUnpredictable(D);
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    Handover &H = handover();
    std::vector<SelectedFunction> Selected = selectFunctions(Ctx, TheFilter, System);
    std::vector<SelectedFunction> Called =
        selectCalledFunctions(Ctx, TheFilter, System, Selected);
    for (SelectedFunction &F : Called) {
      unsigned Index = H.Calls.size();
      H.Calls.push_back(Site{F.Signature, unsigned(F.Name.size()), F.File,
                             F.Line, {}, /*Calls=*/true});
      for (const std::string &Symbol : F.Symbols)
        H.CalledBySymbol[Symbol] = Index;
    }
    // Sites and Calls are in the order of Selected and Called.
    if (H.Callers)
      for (Callee &C : selectCallees(Ctx, TheFilter, System, Selected, Called)) {
        CalleeRef Ref{CalleeRef::Site, C.Index};
        if (C.Kind == Callee::CalledInto) {
          Ref.Kind = CalleeRef::Call;
        } else if (C.Kind == Callee::Elsewhere) {
          Ref = {CalleeRef::Elsewhere, unsigned(H.Callees.size())};
          H.Callees.push_back(Site{C.Function.Signature, unsigned(C.Function.Name.size()),
                                   C.Function.File, C.Function.Line});
        }
        for (const std::string &Symbol : C.Symbols)
          H.CalleeBySymbol[Symbol] = Ref;
      }
    for (SelectedFunction &F : Selected) {
      unsigned Index = H.Sites.size();
      H.Sites.push_back(
          Site{F.Signature, unsigned(F.Name.size()), F.File, F.Line});
      for (VirtualCall &V : F.VirtualCalls)
        H.Sites[Index].VirtualCalls.push_back(
            VirtualCallSite{V.Line, V.Column, V.Callee, std::move(V.Devirtualized)});
      auto Marked = Marks.find(F.Decl);
      if (Marked != Marks.end()) {
        H.SiteByMark[Marked->second] = Index;
        if (isa<CXXConstructorDecl>(F.Decl) || isa<CXXDestructorDecl>(F.Decl))
          for (const std::string &Symbol : F.Symbols)
            H.Sites[Index].Variants.push_back(symbolPattern(Symbol));
        continue;
      }
      if (!Symbols::unpredictable(F.Symbols))
        for (const std::string &Symbol : F.Symbols)
          H.SiteBySymbol[Symbol] = Index;
    }
  }

private:
  void markUnpredictable(Decl *D) {
    if (!D)
      return;
    if (!Mangler)
      Mangler = std::make_unique<Symbols>(D->getASTContext());
    for (const FunctionDecl *FD : collectFunctions(D, System)) {
      if (Marks.count(FD) || !isCountable(FD) || !mayHaveUnpredictableSymbol(FD) ||
          !Symbols::unpredictable(Mangler->symbols(FD)))
        continue;
      unsigned Mark = Marks.size();
      Marks[FD] = Mark;
      const_cast<FunctionDecl *>(FD)->addAttr(AnnotateAttr::CreateImplicit(
          FD->getASTContext(), SiteAnnotationPrefix + std::to_string(Mark),
          nullptr, 0));
    }
  }

  Filter TheFilter;
  SystemFiles System;
  std::unique_ptr<Symbols> Mangler;
  llvm::DenseMap<const FunctionDecl *, unsigned> Marks;
};

// The path this shared object was loaded from, to load it as a pass plugin.
std::string ownPath() {
  Dl_info Info;
  if (dladdr(reinterpret_cast<void *>(&ownPath), &Info) && Info.dli_fname)
    return Info.dli_fname;
  return {};
}

class TallyAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    // With optimisation, Clang emits a destructor whose body is empty as an
    // alias of its base class's destructor: its own entry would vanish.
    // Without aliases each variant is a function of its own; what runs and
    // in which order is unchanged.
    CI.getCodeGenOpts().CXXCtorDtorAliases = false;
    std::vector<std::string> &PassPlugins = CI.getCodeGenOpts().PassPlugins;
    std::string Self = ownPath();
    if (!Self.empty() &&
        std::find(PassPlugins.begin(), PassPlugins.end(), Self) ==
            PassPlugins.end())
      PassPlugins.push_back(Self);
    // Virtual calls are found by their locations (Handover.h): without
    // debug information asked for, Clang tracks locations in the IR only,
    // which puts nothing into the object file.
    CodeGenOptions &CodeGen = CI.getCodeGenOpts();
    if ((TheFilter.countsCalls() || Callers) &&
        CodeGen.getDebugInfo() == debugoptions::NoDebugInfo) {
#if CLANG_VERSION_MAJOR < 19
      // Before Clang 19 the code generator has read this option already:
      // only a remark asked for on the command line (or -g) turns tracking
      // on in time.  Callers need it for their lines; calls into, in C++,
      // to find virtual calls.  Calls into that are only the default, not
      // asked for, go without virtual calls silently (docs/calls-into.md):
      // a plain -fplugin must not warn.
      bool Virtual = TheFilter.callsIntoAsked() && CI.getLangOpts().CPlusPlus;
      if (Callers || Virtual) {
        std::string Lost = Callers ? "call sites have line 0" : "";
        if (Virtual)
          Lost += std::string(Callers ? " and " : "") +
                  "virtual calls are not counted";
        DiagnosticsEngine &Diags = CI.getDiagnostics();
        Diags.Report(Diags.getCustomDiagID(
            DiagnosticsEngine::Warning,
            "the tally plugin's %0 need location tracking, which Clang %1 "
            "turns on only from the command line: add "
            "-Rpass=tally-location-tracking (tally_instrument() and "
            "instrument-all.cmake do); without it, %2"))
            << (Callers ? "callers" : "calls into") << CLANG_VERSION_MAJOR
            << Lost;
      }
#endif
      CodeGen.setDebugInfo(debugoptions::LocTrackingOnly);
      CodeGen.DebugColumnInfo = true;
    }
    return std::make_unique<SelectionConsumer>(std::move(TheFilter),
                                               systemDirs(CI.getHeaderSearchOpts()));
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    // A new translation unit: a host that compiles several in one process
    // (a tool built on Clang's libraries) must not find the last one's.
    handover() = Handover();
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    for (const std::string &Arg : Args) {
      if (Arg == "measure-floor") {
        handover().MeasureFloor = true;
        continue;
      }
      if (Arg == "call-thunks") {
        handover().CallThunks = true;
        continue;
      }
      if (llvm::StringRef Value = Arg; Value.consume_front("call-bumps=")) {
        unsigned N;
        if (Value.getAsInteger(10, N)) {
          Diags.Report(Diags.getCustomDiagID(
              DiagnosticsEngine::Error,
              "invalid argument '%0' for the tally plugin; expected call-bumps=<number>, "
              "the fewest call sites of a callee that count through a routine of its "
              "own (0: none)"))
              << Arg;
          return false;
        }
        handover().CallBumps = N;
        continue;
      }
      if (Arg == "callers") {
        handover().Callers = Callers = true;
        continue;
      }
      std::string Error;
      if (!TheFilter.parseArgument(Arg, Error)) {
        Diags.Report(Diags.getCustomDiagID(DiagnosticsEngine::Error, "%0"))
            << Error;
        return false;
      }
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  Filter TheFilter;
  bool Callers = false;
};

// A plugin built for one Clang crashes inside another: refuse to run there,
// before any Clang code is called.  Debian-style builds link the compiler
// against a versioned libclang-cpp.so.N / libLLVM-N.so; look for it.
int hostClangMajor() {
  int Major = 0;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Data) {
        const char *Path = Info->dlpi_name;
        const char *Base = Path ? std::strrchr(Path, '/') : nullptr;
        Base = Base ? Base + 1 : Path;
        if (!Base)
          return 0;
        for (const char *Prefix : {"libclang-cpp.so.", "libLLVM-", "libLLVM.so."}) {
          size_t N = std::strlen(Prefix);
          if (std::strncmp(Base, Prefix, N) == 0 && std::isdigit(Base[N])) {
            *static_cast<int *>(Data) = std::atoi(Base + N);
            return 1;
          }
        }
        return 0;
      },
      &Major);
  return Major;
}

bool registerIfCompatible() {
  int Host = hostClangMajor();
  if (Host != 0 && Host != CLANG_VERSION_MAJOR) {
    std::fprintf(stderr,
                 "error: the tally plugin '%s' was built for Clang %d and "
                 "cannot run in Clang %d; use clang++-%d, or build tally with "
                 "-DCMAKE_CXX_COMPILER=clang++-%d\n",
                 ownPath().c_str(), CLANG_VERSION_MAJOR, Host,
                 CLANG_VERSION_MAJOR, Host);
    std::fflush(stderr);
    _exit(1);
  }
  static FrontendPluginRegistry::Add<TallyAction> Registration(
      "tally", "count function calls for tally::profile()");
  return true;
}

const bool Registered = registerIfCompatible();

} // namespace
} // namespace tally

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default")))
llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "tally", "1",
          [](llvm::PassBuilder &PB) {
            PB.registerPipelineStartEPCallback(
                [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel Level) {
                  MPM.addPass(tally::InstrumentPass(Level != llvm::OptimizationLevel::O0));
                });
          }};
}
