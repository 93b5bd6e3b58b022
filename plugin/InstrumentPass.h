#ifndef TALLY_PLUGIN_INSTRUMENTPASS_H
#define TALLY_PLUGIN_INSTRUMENTPASS_H

#include "llvm/IR/PassManager.h"

namespace tally {

class InstrumentPass : public llvm::PassInfoMixin<InstrumentPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  // Runs at -O0 and on optnone functions too: counting is not an optimisation.
  static bool isRequired() { return true; }
};

} // namespace tally

#endif
