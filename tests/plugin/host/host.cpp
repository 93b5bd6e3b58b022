// A host that compiles several files in one process with the tally plugin
// loaded once, as a tool built on Clang's libraries does.  Each file's
// choices are its own: the second file, whose filter leaves f() out, must
// come out without a counter, though the first had one for the same symbol.
//
//   plugin_host <tally-plugin.so> <counted.cpp> <directory for the objects>
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "llvm/Support/TargetSelect.h"

#include <dlfcn.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace {

// Compiles `source` to `object` as clang++ -fplugin would (-load, then the
// plugin's arguments).
bool compile(const std::string& plugin, const std::string& source, const std::string& object,
             const std::vector<std::string>& plugin_args) {
  std::vector<std::string> args = {"-triple", "x86_64-pc-linux-gnu", "-emit-obj", "-O1",
                                   "-load", plugin};
  for (const std::string& a : plugin_args) {
    args.push_back("-plugin-arg-tally");
    args.push_back(a);
  }
  args.insert(args.end(), {"-x", "c++", source, "-o", object});
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());

  auto ci = std::make_unique<clang::CompilerInstance>();
  ci->createDiagnostics();
  if (!clang::CompilerInvocation::CreateFromArgs(ci->getInvocation(), argv,
                                                 ci->getDiagnostics()))
    return false;
  clang::EmitObjAction action;
  return ci->ExecuteAction(action);
}

bool has_counters(const std::string& object) {
  std::ifstream in(object, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.find("tally_sites") != std::string::npos;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: plugin_host <tally-plugin.so> <counted.cpp> <directory>\n");
    return 2;
  }
  const std::string plugin = argv[1], source = argv[2], dir = argv[3];
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // What -load does in clang's own driver: the plugin registers itself.
  if (!dlopen(plugin.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
    std::fprintf(stderr, "plugin_host: %s\n", dlerror());
    return 2;
  }
  struct Job {
    std::string object;
    std::vector<std::string> plugin_args;
    bool counted;
  } jobs[] = {{dir + "/first.o", {}, true},
              {dir + "/filtered.o", {"exclude-function=^f$"}, false},
              {dir + "/again.o", {}, true}};
  int failures = 0;
  for (const Job& job : jobs) {
    if (!compile(plugin, source, job.object, job.plugin_args)) {
      std::fprintf(stderr, "plugin_host: cannot compile %s\n", job.object.c_str());
      return 1;
    }
    bool counted = has_counters(job.object);
    std::printf("%s: %s\n", job.object.c_str(), counted ? "counted" : "not counted");
    if (counted != job.counted) ++failures;
  }
  return failures == 0 ? 0 : 1;
}
