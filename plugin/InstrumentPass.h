#ifndef TALLY_PLUGIN_INSTRUMENTPASS_H
#define TALLY_PLUGIN_INSTRUMENTPASS_H

#include "llvm/IR/PassManager.h"

namespace tally {

class InstrumentPass : public llvm::PassInfoMixin<InstrumentPass> {
public:
  // Optimized: whether the pipeline optimises (-O1 and above); at -O0 the
  // increment is written so that no later pass is needed to make it a
  // single instruction.
  explicit InstrumentPass(bool Optimized) : Optimized(Optimized) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  // Runs at -O0 and on optnone functions too: counting is not an optimisation.
  static bool isRequired() { return true; }

private:
  bool Optimized;
};

} // namespace tally

#endif
