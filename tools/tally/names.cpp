// tally names: the functions the plugin counts in source files of a build,
// found by the plugin's own selection and naming code (plugin/
// FunctionSelection.cpp), run with libTooling on the build's compile
// commands and the plugin arguments they pass.
#include <fmt/core.h>

#include <algorithm>  // std::sort
#include <filesystem> // std::filesystem
#include <regex>      // std::regex
#include <set>        // std::set

#include "args.h"
#include "commands.h"
#include "entries.h"  // runtime/src: detail::location
#include "inputs.h"

#ifdef TALLY_HAVE_NAMES
#include "FunctionSelection.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#endif

namespace tally::tool {

const char* const names_usage =
    "usage: tally names -p BUILD_DIR [FILE...] [--match REGEX] [--format table|csv]\n"
    "\n"
    "Lists every function that the tally plugin counts in the given source files\n"
    "(default: every file of the build), with the names that profiles and reports\n"
    "give them: the strings to query. Reads BUILD_DIR/compile_commands.json (CMake:\n"
    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON) and, for each file compiled with the plugin,\n"
    "applies the plugin arguments of its compile command (tally_instrument's filters)\n"
    "through the plugin's own code. Files compiled without the plugin have none.\n"
    "\n"
    "options:\n"
    "  -p BUILD_DIR     the build directory that holds compile_commands.json\n"
    "  --match REGEX    only functions whose qualified name REGEX finds (ECMAScript)\n"
    "  --format FORMAT  table (default: signature and definition) or csv\n"
    "                   (name,signature,file,line)\n"
    "\n"
    "exit status: 0; 1 when a file did not compile; 2 for bad arguments.\n";

#ifdef TALLY_HAVE_NAMES
namespace {

namespace fs = std::filesystem;
using clang::tooling::CommandLineArguments;
using clang::tooling::CompileCommand;

// One entry per function (tally::SameFunction).
using Functions = std::set<Entry, FunctionOrder>;

// One compile command, as a compilation database.
class OneCommand : public clang::tooling::CompilationDatabase {
 public:
  explicit OneCommand(CompileCommand command) : command_(std::move(command)) {}
  std::vector<CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {command_};
  }

 private:
  CompileCommand command_;
};

class Consumer : public clang::ASTConsumer {
 public:
  Consumer(const Filter& filter, std::vector<std::string> system_dirs, Functions& out)
      : filter_(filter), system_(std::move(system_dirs)), out_(out) {}
  void HandleTranslationUnit(clang::ASTContext& context) override {
    if (context.getDiagnostics().hasErrorOccurred()) return;  // as the plugin does
    for (const SelectedFunction& f : selectFunctions(context, filter_, system_))
      out_.insert(Entry{f.Signature, f.Name, f.File, f.Line, 0});
  }

 private:
  const Filter& filter_;
  SystemFiles system_;
  Functions& out_;
};

class Action : public clang::ASTFrontendAction {
 public:
  Action(const Filter& filter, Functions& out) : filter_(filter), out_(out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef) override {
    return std::make_unique<Consumer>(filter_, systemDirs(ci.getHeaderSearchOpts()), out_);
  }

 private:
  const Filter& filter_;
  Functions& out_;
};

class Factory : public clang::tooling::FrontendActionFactory {
 public:
  Factory(const Filter& filter, Functions& out) : filter_(filter), out_(out) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<Action>(filter_, out_);
  }

 private:
  const Filter& filter_;
  Functions& out_;
};

bool starts(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool is_plugin(const std::string& arg) {
  return starts(arg, "-fplugin=") && fs::path(arg.substr(9)).filename() == "tally-plugin.so";
}

// Lists the functions of one compile command into `out`; false when the
// file did not compile.  A command without the plugin counts nothing.
bool list(const CompileCommand& command, Functions& out) {
  Filter filter;
  bool instrumented = false;
  const std::string prefix = "-fplugin-arg-tally-";
  for (const std::string& arg : command.CommandLine) {
    instrumented |= is_plugin(arg);
    if (arg.rfind(prefix, 0) != 0) continue;
    std::string error;
    if (!filter.parseArgument(arg.substr(prefix.size()), error))
      throw std::runtime_error(command.Filename + ": the plugin would reject its argument " +
                               arg + ": " + error);
  }
  if (!instrumented) return true;

  OneCommand database(command);
  clang::tooling::ClangTool tool(database, {command.Filename});
  tool.appendArgumentsAdjuster([](const CommandLineArguments& args, llvm::StringRef) {
    CommandLineArguments adjusted;
    bool has_resource_dir = false;
    for (const std::string& arg : args) {
      if (is_plugin(arg) || starts(arg, "-fplugin-arg-tally-")) continue;
      has_resource_dir |= starts(arg, "-resource-dir");
      adjusted.push_back(arg);
    }
    // The compiler's own headers (stddef.h, ...), which a tool finds only
    // relative to its own executable.
    if (!has_resource_dir) adjusted.push_back("-resource-dir=" TALLY_CLANG_RESOURCE_DIR);
    return adjusted;
  });
  Factory factory(filter, out);
  return tool.run(&factory) == 0;
}

int names(const std::vector<std::string>& arguments) {
  Args args(arguments, {"-p", "--match", "--format"}, {});
  if (args.has_rest()) throw UsageError("unexpected --");
  std::optional<std::string> build = args.value("-p");
  if (!build) throw UsageError("-p BUILD_DIR is required: the build's compile_commands.json");
  std::string format = args.value("--format").value_or("table");
  if (format != "table" && format != "csv")
    throw UsageError("--format must be table or csv, not \"" + format + "\"");
  std::optional<std::regex> match = args.regex("--match");

  std::string error;
  std::unique_ptr<clang::tooling::CompilationDatabase> database =
      clang::tooling::JSONCompilationDatabase::loadFromFile(
          (fs::path(*build) / "compile_commands.json").string(), error,
          clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!database)
    throw std::runtime_error("cannot read " + (fs::path(*build) / "compile_commands.json").string() +
                             ": " + error +
                             "; configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
  std::vector<std::string> files;
  for (const std::string& file : args.positional())
    files.push_back(fs::weakly_canonical(fs::absolute(file)).string());
  if (files.empty()) files = database->getAllFiles();

  Functions found;
  bool failed = false;
  for (const std::string& file : files) {
    std::vector<CompileCommand> commands = database->getCompileCommands(file);
    if (commands.empty())
      throw std::runtime_error(file + " is not in " +
                               (fs::path(*build) / "compile_commands.json").string() +
                               "; name a source file that the build compiles");
    for (const CompileCommand& command : commands)
      if (!list(command, found)) {
        fmt::print(stderr, "tally names: {} did not compile; its functions are not listed\n",
                   file);
        failed = true;
      }
  }

  std::vector<Entry> rows;
  for (const Entry& f : found)
    if (!match || std::regex_search(f.name, *match)) rows.push_back(f);
  if (format == "csv") {
    fmt::print("name,signature,file,line\n");
    for (const Entry& f : rows)
      fmt::print("{},{},{},{}\n", csv_field(f.name), csv_field(f.signature), csv_field(f.file),
                 f.line);
  } else {
    if (!rows.empty()) {
      Table table({{"function"}, {"defined at"}});
      for (const Entry& f : rows) table.add({f.signature, detail::location(f)});
      fmt::print("{}\n", table.text());
    }
    fmt::print("{} function{} counted in {} file{}\n", rows.size(), rows.size() == 1 ? "" : "s",
               files.size(), files.size() == 1 ? "" : "s");
  }
  return failed ? 1 : 0;
}

}  // namespace

int run_names(const std::vector<std::string>& args) { return guarded("names", names, args); }

#else

int run_names(const std::vector<std::string>&) {
  fmt::print(stderr,
             "tally names: this tally was built without the plugin (by a compiler other than "
             "Clang), so it cannot list what the plugin counts; build tally with clang++\n");
  return kUsageError;
}

#endif

}  // namespace tally::tool
