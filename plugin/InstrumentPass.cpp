// The IR half of the plugin: at the very start of the optimisation pipeline,
// before anything is inlined, give each function the frontend chose an
// increment of its own counter at entry, and describe it with a site record
// in the module's tally_sites section.
//
// On x86-64 the increment is the calling thread's own, with no lock (see
// tally/detail/site.h):
//     delta = T[__tally_module.slot]      T: __tally_thread_table, initial-exec
//                                          TLS in libtally; or, in code for an
//                                          executable, delta = __tally_delta,
//                                          local-exec TLS of the executable
//     if delta != 0:  ++*(counter + delta)      (one incq)
//     else:           atomically ++*counter      (lock incq, out of line)
// Elsewhere it is a relaxed atomic increment of the counter itself.
//
// With calls into (docs/calls-into.md), the same increment of a counter of
// the callee's goes just before each call the chosen functions make to a
// function that is not instrumented, which the frontend names.
#include "InstrumentPass.h"
#include "FunctionSelection.h" // normalisePath
#include "Handover.h"

#include "tally/detail/site.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/DebugLoc.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Config/llvm-config.h"  // LLVM_VERSION_MAJOR
#include "llvm/Support/MD5.h"
#include "llvm/Support/Path.h"
#if LLVM_VERSION_MAJOR >= 17
#include "llvm/TargetParser/Triple.h"
#else
#include "llvm/ADT/Triple.h"
#endif
#include "llvm/Transforms/Utils/BasicBlockUtils.h"  // SplitBlockAndInsertIfThenElse
#include "llvm/Transforms/Utils/ModuleUtils.h"  // appendToGlobalCtors, ...

#include "description.h" // the description format, shared with libtally

using namespace llvm;

namespace tally {
namespace {

constexpr const char *DoneFlag = "tally.instrumented";
constexpr int RegistrationPriority = 101; // before the module's own ctors

class ModuleInstrumenter {
public:
  ModuleInstrumenter(Module &M, bool Optimized)
      : M(M), Ctx(M.getContext()), Optimized(Optimized), I8(Type::getInt8Ty(Ctx)),
        I32(Type::getInt32Ty(Ctx)), I64(Type::getInt64Ty(Ctx)),
        BytePtr(PointerType::getUnqual(I8)), I64Ptr(PointerType::getUnqual(I64)),
        SiteTy(StructType::get(Ctx, {I32, I32, I32})),
        UnitTy(StructType::get(Ctx, {I32, I32, I32, I32, I32})),
        PerThread(Triple(M.getTargetTriple()).getArch() == Triple::x86_64 &&
                  Triple(M.getTargetTriple()).getEnvironment() != Triple::GNUX32),
        // Code that can only be linked into an executable (-fno-pic, -fPIE)
        // may use local-exec TLS: a delta of the module's own, one load.
        LocalExec(PerThread && (M.getPICLevel() == PICLevel::NotPIC ||
                                M.getPIELevel() != PIELevel::Default)) {}

  // Once per module: InstrumentPass::run checks DoneFlag first.
  bool run() {
    const Handover &H = handover();
    DenseMap<Function *, const Site *> Chosen = takeAnnotatedSites(H);
    for (Function &F : M) {
      // -funique-internal-linkage-names suffixes internal symbols.
      StringRef Symbol = F.getName().split(".__uniq.").first;
      auto It = H.SiteBySymbol.find(Symbol);
      if (It != H.SiteBySymbol.end())
        Chosen[&F] = &H.Sites[It->second];
    }
    findUnannotatedVariants(H, Chosen);
    // The calls that the chosen functions' code makes into functions that
    // are not instrumented, as written, before anything is inlined into
    // them or unrolled: a virtual call where it is; a direct call with the
    // callee it names.  Collected first, so that a callee's call sites in
    // the unit are known before any is counted (see bumpFor()).
    DenseMap<Function *, SmallVector<CallInto, 8>> CallsOf;
    DenseMap<unsigned, unsigned> SitesOf; // by index in Handover::Calls
    if (!H.CalledBySymbol.empty())
      for (auto &[F, S] : Chosen) {
        if (F->isDeclaration())
          continue;
        SmallVector<CallInto, 8> &Calls = CallsOf[F];
        for (Instruction &I : instructions(*F)) {
          auto *Call = dyn_cast<CallBase>(&I);
          if (!Call)
            continue;
          auto *Callee =
              dyn_cast<Function>(Call->getCalledOperand()->stripPointerCasts());
          StringRef Symbol =
              Callee ? Callee->getName().split(".__uniq.").first : StringRef();
          if (const VirtualCallSite *V = virtualCallAt(*Call, Symbol, S->VirtualCalls)) {
            Calls.push_back({Call, V->Call, nullptr});
            ++SitesOf[V->Call];
            continue;
          }
          if (!Callee)
            continue;
          auto Called = H.CalledBySymbol.find(Symbol);
          if (Called != H.CalledBySymbol.end()) {
            Calls.push_back({Call, Called->second, Callee});
            ++SitesOf[Called->second];
          }
        }
      }
    std::vector<Counted> InUnit; // described by the module's shared unit
    std::vector<GlobalValue *> Records;
    for (Function &F : M) {
      auto It = Chosen.find(&F);
      if (It == Chosen.end() || F.isDeclaration())
        continue;
      auto Found = CallsOf.find(&F);
      ArrayRef<CallInto> Calls;
      if (Found != CallsOf.end())
        Calls = Found->second;
      // With callers, the calls of counted functions, each at its site.
      SmallVector<std::pair<CallBase *, const CalleeRef *>, 8> CallSites;
      if (H.Callers)
        for (Instruction &I : instructions(F)) {
          auto *Call = dyn_cast<CallBase>(&I);
          if (!Call || Call->isInlineAsm())
            continue;
          auto *Callee =
              dyn_cast<Function>(Call->getCalledOperand()->stripPointerCasts());
          if (!Callee)
            continue;
          auto Ref = H.CalleeBySymbol.find(Callee->getName().split(".__uniq.").first);
          if (Ref != H.CalleeBySymbol.end())
            CallSites.push_back({Call, &Ref->second});
        }
      Counted C{&F, It->second, instrument(F)};
      const bool Tsan = F.hasFnAttribute(Attribute::SanitizeThread);
      // The call sites of a function in a COMDAT have a group of their own,
      // with their counters, records and description (which names the
      // caller too, without a record): the same in every object that
      // compiles the function with callers, and absent from those that
      // compile it without, whose copy of the function's own group the
      // linker may keep instead.
      std::vector<Counted> Described{C};
      if (F.hasComdat())
        Described.front().Counter = nullptr; // described, not recorded
      Comdat *SitesGroup = nullptr;
      for (auto &[Call, Ref] : CallSites) {
        Counted Site = callSite(*Call, *Ref, C);
        std::string Key = F.getName().str();
        for (StringRef Part : {StringRef(Site.S->Signature), StringRef(Site.S->File),
                               StringRef(Site.File)})
          (Key += '\0') += Part;
        Key += ":" + std::to_string(Site.S->Line) + ":" + std::to_string(Site.Line) + ":" +
               std::to_string(Site.Column);
        GlobalVariable *&Counter = SiteCounters[Key];
        if (!Counter) {
          Counter = F.hasComdat() ? newCounter(Key, "__tally.site.", SitesGroup)
                                  : newCounter(StringRef());
          if (F.hasComdat())
            SitesGroup = Counter->getComdat();
          Site.Counter = Counter;
          Described.push_back(std::move(Site));
        }
        if (!handover().MeasureFloor)
          countAt(Call, Counter, Tsan);
      }
      if (F.hasComdat()) {
        Records.push_back(describe({C}, C.Counter->getComdat()));
        if (SitesGroup)
          Records.push_back(describe(Described, SitesGroup));
      } else {
        InUnit.insert(InUnit.end(), Described.begin(), Described.end());
      }
      for (const auto &[Call, Index, Direct] : Calls) {
        GlobalVariable *&Counter = CallCounters[Index];
        if (!Counter && H.CallThunks) {
          // One per module, which the module's thunk of the callee names.
          Counter = callCounter(H.Calls[Index]);
          Records.push_back(
              describe({Counted{nullptr, &H.Calls[Index], Counter}}, Counter->getComdat()));
        } else if (!Counter) {
          // This object's own, described with its functions: no symbol,
          // and a few bytes of the unit's description (deflated with the
          // rest), where one per module would take a symbol and a
          // description of its own.  Readers add up a function's counters
          // whatever module or object they are in.
          Counter = newCounter(StringRef());
          InUnit.push_back(Counted{nullptr, &H.Calls[Index], Counter});
        }
        if (handover().MeasureFloor)
          continue;
        if (Function *Thunk = Direct && handover().CallThunks
                                   ? thunkFor(*Call, *Direct, Counter, Tsan)
                                   : nullptr) {
          Call->setCalledOperand(Thunk);
          // What the call may read or write, or that it may run
          // speculatively, was the callee's: the thunk's call also counts,
          // so that no two calls of it are merged, moved out of a loop
          // or dropped.
#if LLVM_VERSION_MAJOR >= 16
          Call->removeFnAttr(Attribute::Memory);
#else
          for (Attribute::AttrKind Kind :
               {Attribute::ReadNone, Attribute::ReadOnly, Attribute::WriteOnly,
                Attribute::ArgMemOnly, Attribute::InaccessibleMemOnly,
                Attribute::InaccessibleMemOrArgMemOnly})
            Call->removeFnAttr(Kind);
#endif
          Call->removeFnAttr(Attribute::Speculatable);
        } else if (Function *Bump =
                       PerThread && H.CallBumps && SitesOf[Index] >= H.CallBumps && !Tsan
                           ? bumpFor(Counter)
                           : nullptr) {
          CallInst *Add = CallInst::Create(Bump->getFunctionType(), Bump, "", Call);
          Add->setCallingConv(Bump->getCallingConv());
          Add->setAttributes(Bump->getAttributes());
          Add->setDebugLoc(Call->getDebugLoc());
        } else
          countAt(Call, Counter, Tsan);
      }
    }
    if (!InUnit.empty())
      Records.push_back(describe(InUnit, nullptr));
    if (Records.empty())
      return false;
    appendToCompilerUsed(M, Records);
    emitRegistration();
    M.addModuleFlag(Module::Warning, DoneFlag, 1);
    return true;
  }

private:
  // A call that a chosen function makes into a function that is not
  // instrumented: the callee's index in Handover::Calls, and the function
  // that a direct call names (null for a virtual call).
  struct CallInto {
    CallBase *Call;
    unsigned Index;
    Function *Direct;
  };

  // An annotation marks every variant of a constructor or destructor; only
  // those that hold the body count.  Compared with the numbers of unnamed
  // types left out (see Handover.h).
  static bool countsVariant(const Site &S, StringRef Symbol) {
    if (S.Variants.empty())
      return true;
    std::string Pattern = symbolPattern(Symbol);
    return llvm::is_contained(S.Variants, Pattern);
  }

  // Clang 14 attaches no annotations to constructors and destructors.  A
  // marked one whose variants are all missing is found by symbol pattern,
  // where exactly one function of the module has that pattern and exactly
  // one such constructor or destructor wants it.
  void findUnannotatedVariants(const Handover &H,
                               DenseMap<Function *, const Site *> &Chosen) {
    DenseSet<const Site *> Found;
    for (auto &Entry : Chosen)
      Found.insert(Entry.second);
    StringMap<SmallVector<const Site *, 1>> Wanted;
    for (const Site &S : H.Sites)
      if (!S.Variants.empty() && !Found.count(&S))
        for (const std::string &Pattern : S.Variants)
          Wanted[Pattern].push_back(&S);
    if (Wanted.empty())
      return;
    StringMap<SmallVector<Function *, 1>> Have;
    for (Function &F : M)
      if (!F.isDeclaration() && !Chosen.count(&F)) {
        std::string Pattern = symbolPattern(F.getName());
        if (Wanted.count(Pattern))
          Have[Pattern].push_back(&F);
      }
    for (auto &Entry : Wanted) {
      auto It = Have.find(Entry.getKey());
      if (Entry.getValue().size() == 1 && It != Have.end() &&
          It->getValue().size() == 1)
        Chosen[It->getValue().front()] = Entry.getValue().front();
    }
  }

  // Finds the functions that carry a "tally.mark:<mark>" annotation and
  // removes those annotations from the module: they are the plugin's own.
  DenseMap<Function *, const Site *> takeAnnotatedSites(const Handover &H) {
    DenseMap<Function *, const Site *> Found;
    GlobalVariable *Annotations = M.getGlobalVariable("llvm.global.annotations");
    if (!Annotations || !Annotations->hasInitializer())
      return Found;
    auto *Array = dyn_cast<ConstantArray>(Annotations->getInitializer());
    if (!Array)
      return Found;
    std::vector<Constant *> Kept;
    SmallSetVector<GlobalVariable *, 8> Strings; // one string may serve many
    for (Use &U : Array->operands()) {
      auto *Entry = cast<Constant>(U.get());
      unsigned Mark = 0;
      auto *Text = dyn_cast<GlobalVariable>(
          Entry->getOperand(1)->stripPointerCasts());
      auto *Data = Text && Text->hasInitializer()
                       ? dyn_cast<ConstantDataSequential>(Text->getInitializer())
                       : nullptr;
      StringRef Annotation = Data && Data->isCString() ? Data->getAsCString() : "";
      if (Annotation.consume_front(SiteAnnotationPrefix) &&
          !Annotation.getAsInteger(10, Mark)) {
        auto Chosen = H.SiteByMark.find(Mark);
        auto *F = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts());
        if (F && Chosen != H.SiteByMark.end() &&
            countsVariant(H.Sites[Chosen->second], F->getName()))
          Found[F] = &H.Sites[Chosen->second];
        Strings.insert(Text);
        continue;
      }
      Kept.push_back(Entry);
    }
    if (Kept.size() == Array->getNumOperands())
      return Found;
    if (Kept.empty()) {
      Annotations->eraseFromParent();
    } else {
      auto *Ty = ArrayType::get(Array->getType()->getElementType(), Kept.size());
      auto *Replacement = new GlobalVariable(
          M, Ty, Annotations->isConstant(), Annotations->getLinkage(),
          ConstantArray::get(Ty, Kept), "", Annotations);
      Replacement->setSection(Annotations->getSection());
      Replacement->takeName(Annotations);
      Annotations->eraseFromParent();
    }
    for (GlobalVariable *Text : Strings) {
      Text->removeDeadConstantUsers();
      if (Text->use_empty())
        Text->eraseFromParent();
    }
    return Found;
  }

  struct Counted {
    Function *F;
    const Site *S;
    GlobalVariable *Counter;
    // A call site (callers): S is the callee and Caller the calling
    // function, which is described in the same unit; the call is at File,
    // Line and Column, where code generation located it.
    const Site *Caller = nullptr;
    bool CalleeCalls = false; // the callee is counted at its call sites
    std::string File;
    unsigned Line = 0;
    unsigned Column = 0;
  };

  // The call site of `Ref` that Call is, in the function of `Caller`, with
  // no counter yet.  Where code generation left the call no location
  // (none is asked for, and none tracked), at line 0 of the caller's file.
  Counted callSite(const CallBase &Call, const CalleeRef &Ref, const Counted &Caller) {
    const Handover &H = handover();
    Counted Site{nullptr,
                 Ref.Kind == CalleeRef::Site   ? &H.Sites[Ref.Index]
                 : Ref.Kind == CalleeRef::Call ? &H.Calls[Ref.Index]
                                               : &H.Callees[Ref.Index],
                 nullptr};
    Site.Caller = Caller.S;
    Site.CalleeCalls = Ref.Kind == CalleeRef::Call;
    Site.File = Caller.S->File;
    if (const DILocation *Loc = Call.getDebugLoc().get()) {
      Site.Line = Loc->getLine();
      Site.Column = Loc->getColumn();
      SmallString<256> Path = Loc->getDirectory();
      llvm::sys::path::append(Path, Loc->getFilename());
      if (!Loc->getFilename().empty())
        Site.File = normalisePath(llvm::sys::path::is_absolute(Loc->getFilename())
                                      ? Loc->getFilename()
                                      : StringRef(Path));
    }
    return Site;
  }

  // Adds the increment of a new counter at the entry of F, and returns the
  // counter.  Counters live in zero-initialised memory, apart from the
  // records, 8 bytes each: on x86-64 they are only the layout of every
  // thread's own counters (its mirror of the module's range of counters),
  // which no two threads share.  The counter of a
  // function in a COMDAT (inline functions, template instantiations) has a
  // group of its own, shared by every instrumented object of the module,
  // and the function's record and description go in it: whichever copy of
  // the function the linker keeps (possibly one compiled without tally),
  // the module ends with exactly one counter and one record, and copies of
  // the function inlined elsewhere reach that counter.
  GlobalVariable *instrument(Function &F) {
    // Named after a 64-bit hash of the function's symbol: the name must be
    // the same in every object file, and it stays in the module's symbol
    // table, where a mangled template name can take hundreds of bytes.
    GlobalVariable *Counter = newCounter(F.hasComdat() ? F.getName() : StringRef());
    // After the entry block's allocas, which must stay in it.
    BasicBlock::iterator At = F.getEntryBlock().getFirstInsertionPt();
    while (isa<AllocaInst>(*At))
      ++At;
    if (!handover().MeasureFloor)
      countAt(&*At, Counter, F.hasFnAttribute(Attribute::SanitizeThread));
    return Counter;
  }

  // A new counter, 8 bytes of zero-initialised memory.  Given a key, it is
  // named "__tally.<hash of the key>" and is in a COMDAT group of its own,
  // shared by every object of the module that makes the same one.
  GlobalVariable *newCounter(StringRef Key, StringRef Prefix = "__tally.",
                             Comdat *Group = nullptr) {
    auto *Counter = new GlobalVariable(M, I64, /*isConstant=*/false,
                                       GlobalValue::PrivateLinkage,
                                       ConstantInt::get(I64, 0), "tally.cnt");
    Counter->setAlignment(Align(8));
    if (!Key.empty()) {
      Counter->setName(Prefix + utohexstr(MD5Hash(Key), /*LowerCase=*/true,
                                          /*Width=*/16));
      Counter->setLinkage(GlobalValue::LinkOnceODRLinkage);
      Counter->setVisibility(GlobalValue::HiddenVisibility);
      Counter->setComdat(Group ? Group : M.getOrInsertComdat(Counter->getName()));
    }
    return Counter;
  }

  // The virtual call that Call is, if it is one of Sites: at its location,
  // an indirect call, or a direct call of an overrider that code generation
  // chose.  (The pass runs before any inlining: a location is the call's.)
  static const VirtualCallSite *
  virtualCallAt(const CallBase &Call, StringRef Symbol,
                const std::vector<VirtualCallSite> &Sites) {
    if (Sites.empty() || Call.isInlineAsm())
      return nullptr;
    const DebugLoc &Loc = Call.getDebugLoc();
    if (!Loc || Loc.getInlinedAt())
      return nullptr;
    for (const VirtualCallSite &V : Sites)
      if (V.Line == Loc.getLine() && V.Column == Loc.getCol() &&
          (Call.isIndirectCall() ||
           (!Symbol.empty() && llvm::is_contained(V.Devirtualized, Symbol))))
        return &V;
    return nullptr;
  }

  // The counter of the calls of a function that is not instrumented, one
  // per module: keyed by the function's signature and declaration, which
  // every object that calls it gives alike.
  GlobalVariable *callCounter(const Site &S) {
    std::string Key = S.Signature;
    Key += '\0';
    Key += S.File + ':' + std::to_string(S.Line);
    return newCounter(Key, "__tally.calls.");
  }

  // The thunk that counts the calls of Callee in Counter, for Call, a call
  // of it: a function of Callee's type that adds one and then calls Callee
  // as a tail call that must be one (a jump, which passes every argument
  // and the variadic ones on as they came), so that a call site costs no
  // code.  One per callee per module (linkonce_odr, hidden, in a COMDAT of
  // its own; internal for a callee of internal linkage), never inlined.
  // None (the call counts where it is) where the call is not a plain call
  // of Callee's own type, the callee may return twice (setjmp, vfork), or
  // an argument is passed in memory that a tail call would have to copy;
  // nor for a function of the C library that the optimiser knows
  // (strlen, memcmp, printf), whose calls it may fold, expand or replace,
  // as it does without tally: calling it through a thunk would stop that.
  Function *thunkFor(CallBase &Call, Function &Callee, GlobalVariable *Counter, bool Tsan) {
    FunctionType *FT = Callee.getFunctionType();
    if (Call.getFunctionType() != FT || Call.hasOperandBundles() || Call.isMustTailCall() ||
        Callee.isIntrinsic() || Call.getCallingConv() != Callee.getCallingConv() ||
        Callee.hasFnAttribute(Attribute::ReturnsTwice) || Call.hasFnAttr(Attribute::ReturnsTwice))
      return nullptr;
    if (!Library)
      Library = std::make_unique<TargetLibraryInfoImpl>(Triple(M.getTargetTriple()));
    LibFunc Known;
    if (Library->getLibFunc(Callee, Known))
      return nullptr;
    for (unsigned I = 0; I < FT->getNumParams(); ++I)
      if (Callee.hasParamAttribute(I, Attribute::ByVal) ||
          Callee.hasParamAttribute(I, Attribute::InAlloca) ||
          Callee.hasParamAttribute(I, Attribute::Preallocated) ||
          Call.paramHasAttr(I, Attribute::ByVal) || Call.paramHasAttr(I, Attribute::InAlloca) ||
          Call.paramHasAttr(I, Attribute::Preallocated))
        return nullptr;
    std::string Name = (Tsan ? "__tally.thunk.tsan." : "__tally.thunk.") +
                       Counter->getName().rsplit('.').second.str();
    if (Function *Existing = M.getFunction(Name)) {
      // Another callee with the same counter (a name the unit declares
      // twice) counts where it is called.
      for (Instruction &I : instructions(*Existing))
        if (auto *Forward = dyn_cast<CallInst>(&I); Forward && Forward->isMustTailCall())
          return Forward->getCalledOperand() == &Callee ? Existing : nullptr;
      return nullptr;
    }
    Function *Thunk;
    if (Callee.hasLocalLinkage()) {
      // A callee of this unit alone (a static function of a header that
      // is not instrumented) has a thunk of this unit alone: another
      // unit's function of the same name is another function.
      Thunk = Function::Create(FT, GlobalValue::InternalLinkage, Name, M);
    } else {
      Thunk = Function::Create(FT, GlobalValue::LinkOnceODRLinkage, Name, M);
      Thunk->setVisibility(GlobalValue::HiddenVisibility);
      Thunk->setComdat(M.getOrInsertComdat(Name));
    }
    Thunk->setCallingConv(Callee.getCallingConv());
    Thunk->setAttributes(Callee.getAttributes());
    // Its own function attributes: whether it unwinds as the callee does,
    // the caller's target, unwind tables and frame pointers, and nothing
    // that would inline it back.
    Thunk->setAttributes(Thunk->getAttributes().removeFnAttributes(Ctx));
    // (Not what the callee reads or writes: the thunk writes its counter,
    // so that two calls are never merged into one.)
    if (Callee.doesNotThrow())
      Thunk->addFnAttr(Attribute::NoUnwind);
    if (Callee.doesNotReturn())
      Thunk->addFnAttr(Attribute::NoReturn);
    Thunk->addFnAttr(Attribute::NoInline);
    const Function &Caller = *Call.getFunction();
    if (Caller.hasFnAttribute(Attribute::UWTable))
      Thunk->addFnAttr(Caller.getFnAttribute(Attribute::UWTable));
    for (StringRef Kind : {"target-cpu", "target-features", "tune-cpu", "frame-pointer"})
      if (Caller.hasFnAttribute(Kind))
        Thunk->addFnAttr(Caller.getFnAttribute(Kind));
    if (Tsan)
      Thunk->addFnAttr(Attribute::SanitizeThread);
    IRBuilder<> B(BasicBlock::Create(Ctx, "", Thunk));
    SmallVector<Value *, 8> Args;
    for (Argument &A : Thunk->args())
      Args.push_back(&A);
    CallInst *Forward = B.CreateCall(FT, &Callee, Args);
    Forward->setTailCallKind(CallInst::TCK_MustTail);
    Forward->setCallingConv(Callee.getCallingConv());
    Forward->setAttributes(Callee.getAttributes().removeFnAttributes(Ctx));
    if (FT->getReturnType()->isVoidTy())
      B.CreateRetVoid();
    else
      B.CreateRet(Forward);
    countAt(Forward, Counter, Tsan);
    return Thunk;
  }

  // The routine that adds one to Counter, the counter of a callee that the
  // unit calls from many places (Handover::CallBumps): its call sites call
  // it just before the callee, 5 bytes each, where the increment written
  // out at each would take some 30 to 45.  It keeps every register but r11
  // and the flags (preserve_all), so that a call site keeps its values where
  // they are; what it touches is memory the program never sees, so the
  // optimiser keeps the program's own loads and stores as it would without
  // it, and as it writes, no two of its calls are merged, hoisted out of a
  // loop or dropped.  One per counter per object, private (no symbol, as
  // the counter), built for the size of its few instructions, with no
  // unwind table: it never throws, and nothing unwinds through it.  On
  // x86-64 only, where threads count through mirrors: elsewhere the
  // increment stays at the sites.
  Function *bumpFor(GlobalVariable *Counter) {
    Function *&Bump = Bumps[Counter];
    if (Bump)
      return Bump;
    Bump = Function::Create(FunctionType::get(Type::getVoidTy(Ctx), false),
                            GlobalValue::PrivateLinkage, "tally.bump", M);
    Bump->setCallingConv(CallingConv::PreserveAll);
    Bump->addFnAttr(Attribute::NoUnwind);
    Bump->addFnAttr(Attribute::NoInline);
    Bump->addFnAttr(Attribute::OptimizeForSize);
    Bump->addFnAttr(Attribute::WillReturn);
    Bump->addFnAttr(Attribute::NoFree);
    Bump->addFnAttr(Attribute::NoSync);
#if LLVM_VERSION_MAJOR >= 16
    Bump->setMemoryEffects(MemoryEffects::inaccessibleMemOnly());
#else
    Bump->addFnAttr(Attribute::InaccessibleMemOnly);
#endif
    IRBuilder<> B(BasicBlock::Create(Ctx, "", Bump));
    countAt(B.CreateRetVoid(), Counter, /*Tsan=*/false);
    return Bump;
  }

  // Adds one to Counter just before At: the calling thread's own counter
  // where threads count through mirrors.
  void countAt(Instruction *At, GlobalVariable *Counter, bool Tsan) {
    if (!PerThread) {
      IRBuilder<> B(At);
      B.CreateAtomicRMW(AtomicRMWInst::Add, Counter, ConstantInt::get(I64, 1),
                        MaybeAlign(8), AtomicOrdering::Monotonic);
      return;
    }
    IRBuilder<> B(At);
    // Under ThreadSanitizer the design is spelled out for it: the slot and
    // the delta, which the runtime writes from other threads, are acquire
    // loads, and the increment an atomic one of the thread's own counter,
    // which readers read atomically.  (ThreadSanitizer makes every atomic
    // access a call of its own, so the lock costs nothing more there; a
    // load and a store could be split by a signal handler that counts.)
    auto steady = [&](LoadInst *Load) { return Tsan ? acquire(Load) : this->steady(Load); };
    Value *Delta;
    if (LocalExec) {
      Delta = steady(B.CreateLoad(I64, ownDelta(), "tally.delta"));
    } else {
      Value *Table = this->steady(B.CreateLoad(BytePtr, threadTable(), "tally.table"));
      GlobalVariable *Module = moduleDescriptor();
      Value *Slot = steady(B.CreateLoad(
          I64, B.CreateStructGEP(Module->getValueType(), Module, 0), "tally.slot"));
      Delta = steady(B.CreateLoad(I64, address(B, B.CreatePtrToInt(Table, I64), Slot),
                                  "tally.delta"));
    }
    Instruction *Locked = nullptr, *Plain = nullptr;
    SplitBlockAndInsertIfThenElse(B.CreateICmpEQ(Delta, ConstantInt::get(I64, 0)), At,
                                  &Locked, &Plain,
                                  MDBuilder(Ctx).createBranchWeights(1, 1u << 20));
    IRBuilder<> L(Locked);
    L.CreateAtomicRMW(AtomicRMWInst::Add, Counter, ConstantInt::get(I64, 1), MaybeAlign(8),
                      AtomicOrdering::Monotonic);
    IRBuilder<> K(Plain);
    increment(K, address(K, K.CreatePtrToInt(Counter, I64), Delta), Tsan);
  }

  // Makes a load of the module's slot or the thread's delta an acquire
  // load, as ThreadSanitizer must see it: the runtime stores them with
  // release from other threads.
  Value *acquire(LoadInst *Load) {
    Load->setAlignment(Align(8));
    Load->setAtomic(AtomicOrdering::Acquire);
    return Load;
  }

  // Marks a load of the thread's table, the module's slot or the thread's
  // delta as one the optimiser may merge with its copies in inlined
  // callees and hoist out of loops: the value changes under a running
  // function only from 0 (no mirror yet: the call counts with the lock, as
  // exactly) to the mirror's delta, never from one delta to another, and a
  // delta is taken back only when the thread ends or the module unloads,
  // when none of the module's functions runs in the thread.
  Value *steady(LoadInst *Load) {
    Load->setMetadata(LLVMContext::MD_invariant_load, MDNode::get(Ctx, {}));
    return Load;
  }

  // The address Base + Offset, as an integer made pointer: it is in no
  // object the optimiser knows of.
  Value *address(IRBuilder<> &B, Value *Base, Value *Offset) {
    return B.CreateIntToPtr(B.CreateAdd(Base, Offset), I64Ptr);
  }

  // One instruction that adds 1 to *Counter, so that a signal handler that
  // counts on the same thread loses nothing.  Optimised, a volatile load,
  // add and store, which instruction selection makes one incq and no pass
  // moves or merges, typed so that alias analysis knows the program never
  // reads it; at -O0, where nothing would fold them, an incq written out.
  // Under ThreadSanitizer, an atomic add (see instrument()).
  void increment(IRBuilder<> &B, Value *Counter, bool Tsan) {
    if (Tsan) {
      B.CreateAtomicRMW(AtomicRMWInst::Add, Counter, ConstantInt::get(I64, 1), MaybeAlign(8),
                        AtomicOrdering::Monotonic);
      return;
    }
    if (!Optimized) {
      auto *Asm = InlineAsm::get(FunctionType::get(Type::getVoidTy(Ctx), {I64Ptr}, false),
                                 "incq $0", "=*m,~{flags}", /*hasSideEffects=*/true);
      CallInst *Call = B.CreateCall(Asm, {Counter});
      Call->addParamAttr(0, Attribute::get(Ctx, Attribute::ElementType, I64));
      Call->addFnAttr(Attribute::NoUnwind);
      return;
    }
    LoadInst *Old = B.CreateLoad(I64, Counter, /*isVolatile=*/true);
    StoreInst *New = B.CreateStore(B.CreateAdd(Old, ConstantInt::get(I64, 1)), Counter,
                                   /*isVolatile=*/true);
    Old->setAlignment(Align(8));
    New->setAlignment(Align(8));
    if (MDNode *Tag = counterTag()) {
      Old->setMetadata(LLVMContext::MD_tbaa, Tag);
      New->setMetadata(LLVMContext::MD_tbaa, Tag);
    }
  }

  // A TBAA access tag of a type of tally's own under the frontend's root,
  // so that no access of the program's may alias a counter (but those of
  // char, which alias everything); null where the module has no TBAA.
  MDNode *counterTag() {
    if (TagSearched)
      return Tag;
    TagSearched = true;
    MDNode *Root = nullptr;
    for (Function &F : M) {
      for (Instruction &I : instructions(F))
        if (MDNode *Access = I.getMetadata(LLVMContext::MD_tbaa)) {
          Root = tbaaRoot(Access);
          break;
        }
      if (Root)
        break;
    }
    if (!Root)
      return nullptr;
    MDBuilder MDB(Ctx);
    MDNode *Char = MDB.createTBAAScalarTypeNode("omnipotent char", Root);
    MDNode *Type = MDB.createTBAAScalarTypeNode("tally counter", Char);
    Tag = MDB.createTBAAStructTagNode(Type, Type, 0);
    return Tag;
  }

  // The root of a struct-path TBAA access tag: its base type's chain of
  // parents ends in a node of one operand, the root's name.
  static MDNode *tbaaRoot(MDNode *Access) {
    if (Access->getNumOperands() < 3)
      return nullptr;
    auto *Node = dyn_cast<MDNode>(Access->getOperand(1));
    for (int Depth = 0; Node && Depth < 64; ++Depth) {
      if (Node->getNumOperands() < 2)
        return isa<MDString>(Node->getOperand(0)) ? Node : nullptr;
      Node = dyn_cast<MDNode>(Node->getOperand(1));
    }
    return nullptr;
  }

  GlobalVariable *threadTable() {
    if (GlobalVariable *GV = M.getGlobalVariable("__tally_thread_table"))
      return GV;
    auto *GV = new GlobalVariable(M, BytePtr, /*isConstant=*/false,
                                  GlobalValue::ExternalLinkage, nullptr,
                                  "__tally_thread_table", nullptr,
                                  GlobalValue::InitialExecTLSModel);
    return GV;
  }

  // The executable's own delta: 8 bytes of its static TLS, however many
  // functions it has.  The runtime learns where it is from the module's
  // constructor (__tally_register_tls) and sets it with the table's.
  GlobalVariable *ownDelta() {
    if (GlobalVariable *GV = M.getGlobalVariable("__tally_delta"))
      return GV;
    auto *GV = new GlobalVariable(M, I64, /*isConstant=*/false,
                                  GlobalValue::LinkOnceODRLinkage, ConstantInt::get(I64, 0),
                                  "__tally_delta", nullptr, GlobalValue::LocalExecTLSModel);
    GV->setVisibility(GlobalValue::HiddenVisibility);
    GV->setComdat(M.getOrInsertComdat(GV->getName()));
    GV->setAlignment(Align(8));
    return GV;
  }

  // The module's tally_module (tally/detail/site.h): one per linked module,
  // in writable memory; its first field is the slot.  The same in every
  // object, whichever kind of code it holds, as the linker keeps any one.
  GlobalVariable *moduleDescriptor() {
    if (Descriptor)
      return Descriptor;
    auto *Ty = StructType::get(Ctx, {I64, BytePtr, BytePtr, I64});
    Descriptor = new GlobalVariable(M, Ty, /*isConstant=*/false,
                                    GlobalValue::LinkOnceODRLinkage, nullptr,
                                    "__tally_module");
    Descriptor->setVisibility(GlobalValue::HiddenVisibility);
    Descriptor->setComdat(M.getOrInsertComdat(Descriptor->getName()));
    Descriptor->setAlignment(Align(8));
    auto Cast = [&](GlobalVariable *GV) { return ConstantExpr::getPointerCast(GV, BytePtr); };
    Descriptor->setInitializer(ConstantStruct::get(
        Ty, {ConstantInt::get(I64, 0), Cast(bound("__start_" TALLY_SITE_SECTION)),
             Cast(bound("__stop_" TALLY_SITE_SECTION)), ConstantInt::get(I64, 0)}));
    return Descriptor;
  }

  // A hidden symbol that the linker defines around one of tally's sections.
  GlobalVariable *bound(const char *Name) {
    GlobalVariable *GV = M.getGlobalVariable(Name);
    if (!GV)
      GV = new GlobalVariable(M, I8, /*isConstant=*/true, GlobalValue::ExternalLinkage,
                              nullptr, Name);
    GV->setVisibility(GlobalValue::HiddenVisibility);
    return GV;
  }

  // Records for `Functions` in the module's tally_sites section, and the
  // unit that describes them.  The functions of the module outside COMDATs
  // share one; a function in a COMDAT has its own, with its record, in its
  // counter's group (`Group`).
  // A function without a counter is only described (the caller of call
  // sites in a group of their own), with no record.
  GlobalVariable *describe(ArrayRef<Counted> Functions, Comdat *Group) {
    GlobalVariable *Unit = unit(Functions, Group);
    std::vector<unsigned> Recorded;
    for (unsigned I = 0; I < Functions.size(); ++I)
      if (Functions[I].Counter)
        Recorded.push_back(I);
    auto *ArrayTy = ArrayType::get(SiteTy, Recorded.size());
    auto *Records = new GlobalVariable(M, ArrayTy, /*isConstant=*/true,
                                       GlobalValue::PrivateLinkage, nullptr,
                                       "tally.sites");
    std::vector<Constant *> Elements;
    for (unsigned K = 0; K < Recorded.size(); ++K)
      Elements.push_back(ConstantStruct::get(
          SiteTy, {relative(Records, ArrayTy, {0, K, 0}, Functions[Recorded[K]].Counter),
                   relative(Records, ArrayTy, {0, K, 1}, Unit),
                   ConstantInt::get(I32, Recorded[K])}));
    Records->setInitializer(ConstantArray::get(ArrayTy, Elements));
    Records->setSection(TALLY_SITE_SECTION);
    Records->setAlignment(Align(4));
    Records->setComdat(Group);
    return Records;
  }

  // The description of `Functions` (see tally_unit in site.h), deflated
  // when that makes it smaller.
  GlobalVariable *unit(ArrayRef<Counted> Functions, Comdat *Group) {
    // The unit's own file is the one most of its functions are in.
    StringMap<unsigned> Uses;
    for (const Counted &C : Functions)
      ++Uses[C.Caller ? StringRef(C.File) : StringRef(C.S->File)];
    StringRef Main = Functions.front().S->File;
    for (auto &Entry : Uses)
      if (Entry.getValue() > Uses[Main])
        Main = Entry.getKey();
    // The unit's own file is index 0, and not in the description's table.
    detail::Description D;
    StringMap<unsigned> FileIndex;
    FileIndex[Main] = 0;
    for (const Counted &C : Functions)
      for (StringRef File : {StringRef(C.S->File), C.Caller ? StringRef(C.File) : StringRef()})
        if (!File.empty() && FileIndex.try_emplace(File, D.files.size() + 1).second)
          D.files.push_back(File.str());
    DenseMap<const Site *, unsigned> Callers; // the functions', not the sites'
    for (unsigned I = 0; I < Functions.size(); ++I)
      if (!Functions[I].Caller)
        Callers.try_emplace(Functions[I].S, I);
    for (const Counted &C : Functions) {
      if (!C.Caller) {
        D.functions.push_back(
            {C.S->Line, C.S->NameSize, FileIndex[C.S->File], C.S->Signature, C.S->Calls});
        continue;
      }
      detail::Description::Function F{C.Line, C.S->NameSize, FileIndex[C.File],
                                      C.S->Signature, C.CalleeCalls};
      F.site = true;
      F.column = C.Column;
      F.caller = Callers.lookup(C.Caller);
      F.callee_file = FileIndex[C.S->File];
      F.callee_line = C.S->Line;
      D.functions.push_back(std::move(F));
    }
    std::string Raw = detail::encode_description(D);
    // Even one template signature deflates by a third on average ({fmt}'s
    // run from 138 bytes to 86): its template arguments repeat each other.
    std::string Stored = detail::deflate_bytes(Raw);
    if (Stored.empty())
      Stored = Raw;

    auto *Bytes = ConstantDataArray::get(
        Ctx, ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Stored.data()),
                               Stored.size()));
    // The unit and its description are one global: one symbol-less object
    // for the optimiser and the linker to carry, and an offset between them
    // that needs no relocation.
    auto *Ty = StructType::get(Ctx, {UnitTy, Bytes->getType()});
    auto *Unit = new GlobalVariable(M, Ty, /*isConstant=*/true,
                                    GlobalValue::PrivateLinkage, nullptr, "tally.unit");
    Unit->setAlignment(Align(4));
    Unit->setComdat(Group);
    Constant *Description = ConstantExpr::getInBoundsGetElementPtr(
        Ty, Unit,
        ArrayRef<Constant *>{ConstantInt::get(I32, 0), ConstantInt::get(I32, 1),
                             ConstantInt::get(I32, 0)});
    Unit->setInitializer(ConstantStruct::get(
        Ty, {ConstantStruct::get(
                 UnitTy, {ConstantInt::get(I32, TALLY_SITE_FORMAT),
                          ConstantInt::get(I32, Stored.size()),
                          ConstantInt::get(I32, Raw.size()),
                          relative(Unit, Ty, {0, 0, 3}, Description),
                          relative(Unit, Ty, {0, 0, 4}, string(Main))}),
             Bytes}));
    return Unit;
  }

  // The byte offset from the field at Indices in Base to Target, resolved by
  // the static linker: no dynamic relocation.
  Constant *relative(GlobalVariable *Base, Type *BaseTy, ArrayRef<unsigned> Indices,
                     Constant *Target) {
    std::vector<Constant *> Index;
    for (unsigned I : Indices)
      Index.push_back(ConstantInt::get(I32, I));
    Constant *FieldAddr = ConstantExpr::getInBoundsGetElementPtr(BaseTy, Base, Index);
    Constant *Diff = ConstantExpr::getSub(ConstantExpr::getPtrToInt(Target, I64),
                                          ConstantExpr::getPtrToInt(FieldAddr, I64));
    return ConstantExpr::getTrunc(Diff, I32);
  }

  Constant *string(StringRef Text) {
    GlobalVariable *&GV = Strings[Text];
    if (!GV) {
      Constant *Data = ConstantDataArray::getString(Ctx, Text, /*AddNull=*/true);
      GV = new GlobalVariable(M, Data->getType(), /*isConstant=*/true,
                              GlobalValue::PrivateLinkage, Data, "tally.str");
      GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      GV->setAlignment(Align(1));
    }
    return GV;
  }

  // One hidden constructor and destructor per linked module (a COMDAT keeps
  // one copy) register the module with the runtime: its tally_module where
  // threads count through mirrors, else its own tally_sites range.
  void emitRegistration() {
    auto *VoidTy = Type::getVoidTy(Ctx);
    Value *RegisterArgs[2], *UnregisterArg;
    FunctionCallee Register, Unregister;
    if (PerThread) {
      Register = M.getOrInsertFunction("__tally_register",
                                       FunctionType::get(VoidTy, {BytePtr}, false));
      Unregister = M.getOrInsertFunction("__tally_unregister",
                                         FunctionType::get(VoidTy, {BytePtr}, false));
      RegisterArgs[0] = UnregisterArg =
          ConstantExpr::getPointerCast(moduleDescriptor(), BytePtr);
    } else {
      GlobalVariable *Start = bound("__start_" TALLY_SITE_SECTION);
      GlobalVariable *Stop = bound("__stop_" TALLY_SITE_SECTION);
      auto *PtrTy = Start->getType();
      Register = M.getOrInsertFunction(
          "__tally_register_module", FunctionType::get(VoidTy, {PtrTy, PtrTy}, false));
      Unregister = M.getOrInsertFunction("__tally_unregister_module",
                                         FunctionType::get(VoidTy, {PtrTy}, false));
      RegisterArgs[0] = UnregisterArg = Start;
      RegisterArgs[1] = Stop;
    }

    Function *Init = moduleFunction("__tally_module_init");
    if (Init->empty()) {
      IRBuilder<> B(BasicBlock::Create(Ctx, "", Init));
      B.CreateCall(Register, ArrayRef<Value *>(RegisterArgs, PerThread ? 1 : 2));
      B.CreateRetVoid();
      appendToGlobalCtors(M, Init, RegistrationPriority, Init);
    }
    if (LocalExec) {
      // Its own constructor: the module's other objects may be PIC, and the
      // linker keeps any one copy of __tally_module_init.
      Function *Tls = moduleFunction("__tally_module_tls_init");
      if (Tls->empty()) {
        FunctionCallee RegisterTls = M.getOrInsertFunction(
            "__tally_register_tls", FunctionType::get(VoidTy, {BytePtr, BytePtr}, false));
        IRBuilder<> B(BasicBlock::Create(Ctx, "", Tls));
        B.CreateCall(RegisterTls, {ConstantExpr::getPointerCast(moduleDescriptor(), BytePtr),
                                   B.CreatePointerCast(ownDelta(), BytePtr)});
        B.CreateRetVoid();
        appendToGlobalCtors(M, Tls, RegistrationPriority, Tls);
      }
    }
    Function *Fini = moduleFunction("__tally_module_fini");
    if (Fini->empty()) {
      IRBuilder<> B(BasicBlock::Create(Ctx, "", Fini));
      B.CreateCall(Unregister, {UnregisterArg});
      B.CreateRetVoid();
      appendToGlobalDtors(M, Fini, RegistrationPriority, Fini);
    }
  }

  Function *moduleFunction(StringRef Name) {
    if (Function *F = M.getFunction(Name))
      return F;
    Function *F = Function::Create(FunctionType::get(Type::getVoidTy(Ctx), false),
                                   GlobalValue::LinkOnceODRLinkage, Name, M);
    F->setVisibility(GlobalValue::HiddenVisibility);
    F->setComdat(M.getOrInsertComdat(Name));
    F->addFnAttr(Attribute::NoUnwind);
    return F;
  }

  Module &M;
  LLVMContext &Ctx;
  bool Optimized;
  IntegerType *I8;
  IntegerType *I32;
  IntegerType *I64;
  PointerType *BytePtr;
  PointerType *I64Ptr;
  StructType *SiteTy;
  StructType *UnitTy;
  bool PerThread;  // threads count through mirrors (x86-64)
  bool LocalExec;  // through a delta of the module's own (executables)
  GlobalVariable *Descriptor = nullptr;
  MDNode *Tag = nullptr;
  bool TagSearched = false;
  StringMap<GlobalVariable *> Strings;
  DenseMap<unsigned, GlobalVariable *> CallCounters; // by index in Handover::Calls
  DenseMap<GlobalVariable *, Function *> Bumps;       // by counter
  StringMap<GlobalVariable *> SiteCounters; // by caller, callee and location
  std::unique_ptr<TargetLibraryInfoImpl> Library; // the C library the optimiser knows
};

} // namespace

PreservedAnalyses InstrumentPass::run(Module &M, ModuleAnalysisManager &) {
  if (M.getModuleFlag(DoneFlag))
    return PreservedAnalyses::all();
  bool Changed = ModuleInstrumenter(M, Optimized).run();
  // The module took the unit's choices: nothing of them is left for the
  // next unit a host compiles.
  handover() = Handover();
  return Changed ? PreservedAnalyses::none() : PreservedAnalyses::all();
}

} // namespace tally
