# tally_instrument(<target>... [INCLUDE <regex>...] [EXCLUDE <regex>...]
#                  [FUNCTIONS <regex>...] [EXCLUDE_FUNCTIONS <regex>...]
#                  [NO_CALLS_INTO] [CALLS_INTO [DEFAULT] [<regex>...]]
#                  [NOT_INTO <regex>...] [CALLERS])
#
# With TALLY_INSTRUMENT=ON, compiles each target with the tally Clang plugin,
# so that its functions are counted, and links it with the tally runtime.
# Targets that link an instrumented target, without being instrumented
# themselves, get the plugin restricted to the header code of the
# instrumented target: its inline functions and templates are counted
# wherever they are compiled, the consumer's own functions are not.
#
# INCLUDE and EXCLUDE select source files by regular expressions on their
# absolute paths, FUNCTIONS and EXCLUDE_FUNCTIONS functions by regular
# expressions on their names (see docs/filters.md).
#
# The calls that the targets' code makes into functions that are not
# instrumented (the C library, other libraries) are counted at the call
# sites too: by default those into every function but the standard
# library's (TALLY_CALLS_INTO=OFF turns the default off for every target,
# NO_CALLS_INTO for these).  CALLS_INTO adds the functions that regular
# expressions name, DEFAULT the default set back; NOT_INTO leaves functions
# out (see docs/calls-into.md).  tally_calls_into() does the same for
# targets instrumented otherwise.
#
# CALLERS counts every call of a counted function in the targets' code at
# its call site too, as TALLY_CALLERS=ON does for every target (see
# docs/callers.md).
#
# With TALLY_INSTRUMENT=OFF the targets are only linked with the runtime: the
# code builds unchanged and tally::instrumented() returns false.
include_guard(GLOBAL)

# tally_compile_options(<variable>): the compile options that instrument
# code.  Besides loading the plugin: when optimising, Clang makes a destructor
# with an empty body an alias of its base class's destructor, or calls the
# base's directly; the function that would count it then does not exist.
# The plugin turns this off itself on newer Clang; Clang 14 copies the option
# before plugins run.
#
# TALLY_CALLERS=ON counts every call of a counted function in instrumented
# code at its call site too, so that a profile tells where the calls came
# from (docs/callers.md).
#
# TALLY_CALLS_INTO=OFF stops counting calls into functions that are not
# instrumented, but for those that CALLS_INTO names (docs/calls-into.md).
#
# TALLY_MEASURE_FLOOR=ON, for overhead studies only, keeps everything but the
# increment itself (records, registration): every count is 0, and the
# difference from a normal instrumented build is what counting costs.
#
# The options also say "all" (the plugin's unnamed scope counts every
# function), so that a target compiled with them counts all of its own code
# even when it links an instrumented library, whose consumers get the plugin
# restricted to that library's header code (a scope of its own).
function(tally_compile_options out)
  _tally_plugin_options(options)
  list(APPEND options "-fplugin-arg-tally-all")
  set(${out} "${options}" PARENT_SCOPE)
endfunction()

# The options of callers.  Call sites are located where Clang's IR locates
# the calls: before Clang 19 it tracks locations only when asked (see
# _tally_location_tracking), in C as in C++.
function(_tally_callers_options out)
  set(options "-fplugin-arg-tally-callers")
  get_property(major GLOBAL PROPERTY TALLY_CLANG_VERSION_MAJOR)
  if (major VERSION_LESS 19)
    list(APPEND options "-Rpass=tally-location-tracking")
  endif()
  set(${out} "${options}" PARENT_SCOPE)
endfunction()

# Whether TALLY_CALLS_INTO is on: ON when not set; a value that is not a
# boolean is an error (it once took DEFAULT and regular expressions).
function(_tally_calls_into_on out)
  if (NOT DEFINED TALLY_CALLS_INTO)
    set(${out} ON PARENT_SCOPE)
    return()
  endif()
  string(TOUPPER "${TALLY_CALLS_INTO}" value)
  if (value MATCHES "^(ON|YES|TRUE|Y|1)$")
    set(${out} ON PARENT_SCOPE)
  elseif (value MATCHES "^(OFF|NO|FALSE|N|0)$")
    set(${out} OFF PARENT_SCOPE)
  else()
    message(FATAL_ERROR
      "tally: TALLY_CALLS_INTO is '${TALLY_CALLS_INTO}', but it is ON (the "
      "default: calls into every function that is not instrumented, but the "
      "standard library's, are counted) or OFF.\n"
      "Fix: leave it ON, or set it OFF; give regular expressions on the names "
      "of more functions as TALLY_ALSO_INTO (instrument-all) or "
      "tally_instrument(<target> CALLS_INTO <regex>...), see docs/calls-into.md.")
  endif()
endfunction()

# The options that load the plugin, without saying what it counts.
function(_tally_plugin_options out)
  set(options
    "-fplugin=$<TARGET_FILE:Tally::plugin>"
    "SHELL:-Xclang -mno-constructor-aliases")
  _tally_calls_into_on(calls_into)
  if (NOT calls_into)
    list(APPEND options "-fplugin-arg-tally-no-calls-into")
  else()
    _tally_location_tracking(tracking "1")
    if (tracking)
      list(APPEND options "${tracking}")
    endif()
  endif()
  if (TALLY_CALLERS)
    _tally_callers_options(callers)
    list(APPEND options ${callers})
  endif()
  if (TALLY_MEASURE_FLOOR)
    list(APPEND options "-fplugin-arg-tally-measure-floor")
  endif()
  set(${out} "${options}" PARENT_SCOPE)
endfunction()

# A generator expression: true for C and C++ sources compiled by the Clang
# the plugin was built for.  Sources that another compiler builds (GCC, or
# another Clang, for a consumer's C files say) get nothing they cannot read.
function(_tally_source_condition out)
  get_property(major GLOBAL PROPERTY TALLY_CLANG_VERSION_MAJOR)
  math(EXPR next "${major} + 1")
  set(conditions "")
  foreach(lang IN ITEMS C CXX)
    list(APPEND conditions
      "$<AND:$<COMPILE_LANG_AND_ID:${lang},Clang>,$<VERSION_GREATER_EQUAL:$<${lang}_COMPILER_VERSION>,${major}>,$<VERSION_LESS:$<${lang}_COMPILER_VERSION>,${next}>>")
  endforeach()
  list(JOIN conditions "," conditions)
  set(${out} "$<OR:${conditions}>" PARENT_SCOPE)
endfunction()

function(_tally_check_compiler lang)
  get_property(needed GLOBAL PROPERTY TALLY_CLANG_VERSION_MAJOR)
  set(id "${CMAKE_${lang}_COMPILER_ID}")
  string(REGEX MATCH "^[0-9]+" major "${CMAKE_${lang}_COMPILER_VERSION}")
  if (id STREQUAL "Clang" AND needed AND major EQUAL needed)
    return()
  endif()
  if (lang STREQUAL "CXX")
    set(driver "clang++")
  else()
    set(driver "clang")
  endif()
  get_property(installed GLOBAL PROPERTY TALLY_INSTALLED_PACKAGE)
  get_property(problem GLOBAL PROPERTY TALLY_PLUGIN_PROBLEM)
  if (NOT needed AND problem AND id STREQUAL "Clang")
    message(FATAL_ERROR
      "tally: TALLY_INSTRUMENT=ON needs the tally Clang plugin, which this "
      "build does not have: ${problem}.\n"
      "Fix: that, then configure again with -DTALLY_BUILD_PLUGIN=ON; or set "
      "-DTALLY_INSTRUMENT=OFF.")
  elseif (installed AND NOT needed)
    message(FATAL_ERROR
      "tally: TALLY_INSTRUMENT=ON needs the tally Clang plugin, but the tally "
      "installation found (${Tally_DIR}) has none: it was built with a "
      "compiler other than Clang.\n"
      "Fix: build and install tally with -DCMAKE_CXX_COMPILER=clang++-19 "
      "(or clang++-14), or set -DTALLY_INSTRUMENT=OFF.")
  elseif (needed)
    set(what "Clang ${needed}, the compiler the tally plugin was built for,")
    set(fix "-DCMAKE_${lang}_COMPILER=${driver}-${needed}")
  else()
    set(what "Clang, with the LLVM and Clang development packages of its version,")
    set(fix "-DCMAKE_${lang}_COMPILER=${driver}-19 (or ${driver}-14)")
  endif()
  message(FATAL_ERROR
    "tally: TALLY_INSTRUMENT=ON needs ${what} as the ${lang} compiler, but the "
    "${lang} compiler is ${id} ${CMAKE_${lang}_COMPILER_VERSION} "
    "(${CMAKE_${lang}_COMPILER}).\n"
    "Fix: configure a new build directory with ${fix}, "
    "or set -DTALLY_INSTRUMENT=OFF.")
endfunction()

# The options that consumers of `target` get: the plugin, restricted to the
# target's header code (functions in files under its own include directories
# or, when it has none, its source directory, never in the consumer's main
# source files) and to the target's filters, in a plugin scope of its own so
# that the filters of two instrumented dependencies do not mix.  Consumers
# that are instrumented themselves get nothing: they count by their own rules.
function(_tally_consumer_options target)
  # Sources may have been added after tally_instrument(): check the C
  # compiler now that all are known.
  get_target_property(sources "${target}" SOURCES)
  if (sources MATCHES "\\.c(;|$)")
    _tally_check_compiler(C)
  endif()

  get_target_property(dirs "${target}" INTERFACE_INCLUDE_DIRECTORIES)
  if (NOT dirs)
    get_target_property(dirs "${target}" SOURCE_DIR)
  endif()
  get_target_property(filters "${target}" TALLY_FILTERS)
  _tally_source_condition(lang)
  set(consumer_plain "$<AND:${lang},$<NOT:$<BOOL:$<TARGET_PROPERTY:TALLY_INSTRUMENTED>>>>")
  set(scope "-fplugin-arg-tally-@${target}:")
  _tally_plugin_options(options)
  foreach(option IN LISTS options)
    target_compile_options("${target}" INTERFACE "$<${consumer_plain}:${option}>")
  endforeach()
  target_compile_options("${target}" INTERFACE
    "$<${consumer_plain}:${scope}headers-only>"
    "$<${consumer_plain}:${scope}include-dir=$<JOIN:$<REMOVE_DUPLICATES:$<FILTER:${dirs},EXCLUDE,^$>>,$<SEMICOLON>${scope}include-dir=>>")
  foreach(filter IN LISTS filters)
    target_compile_options("${target}" INTERFACE "$<${consumer_plain}:${scope}${filter}>")
  endforeach()
  # Calls that the target's header code makes are counted wherever it is
  # compiled.  (Unscoped: a consumer of two such targets counts the calls
  # that either counts.)
  get_target_property(calls "${target}" TALLY_CALLS)
  if (NOT calls)
    set(calls "")
  endif()
  foreach(argument IN LISTS calls)
    target_compile_options("${target}" INTERFACE
      "$<${consumer_plain}:-fplugin-arg-tally-${argument}>")
  endforeach()
  _tally_location_tracking(tracking "${consumer_plain}")
  list(FILTER calls INCLUDE REGEX "^calls-into")
  if (calls AND tracking)
    target_compile_options("${target}" INTERFACE "${tracking}")
  endif()
endfunction()

# The C++ compiler, when the project uses C++.  C sources are checked per
# target (see _tally_consumer_options): a project may enable C without
# instrumenting any C file.
function(_tally_check_enabled_compilers)
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if ("CXX" IN_LIST languages)
    _tally_check_compiler(CXX)
  endif()
endfunction()

# The plugin arguments of NO_CALLS_INTO (a boolean), CALLS_INTO and NOT_INTO
# lists.
function(_tally_calls_arguments out no_calls_into calls_into not_into)
  set(arguments "")
  if (no_calls_into)
    list(APPEND arguments "no-calls-into")
  endif()
  foreach(regex IN LISTS calls_into)
    if (regex STREQUAL "DEFAULT")
      list(APPEND arguments "calls-into")
    else()
      list(APPEND arguments "calls-into=${regex}")
    endif()
  endforeach()
  foreach(regex IN LISTS not_into)
    list(APPEND arguments "not-into=${regex}")
  endforeach()
  list(TRANSFORM arguments REPLACE ">" "$<ANGLE-R>")
  list(TRANSFORM arguments REPLACE "," "$<COMMA>")
  set(${out} "${arguments}" PARENT_SCOPE)
endfunction()

# The compile option that makes Clang track source locations in its IR,
# which the plugin finds virtual calls by (docs/calls-into.md), for C++
# sources compiled under condition: a remark that no pass makes, which
# changes no code and puts no debug information into objects.  Clang 19's
# plugin turns location tracking on itself; before that Clang's code
# generation copies its options before a plugin can change them.
function(_tally_location_tracking out condition)
  get_property(major GLOBAL PROPERTY TALLY_CLANG_VERSION_MAJOR)
  if (major VERSION_LESS 19)
    set(${out} "$<$<AND:${condition},$<COMPILE_LANGUAGE:CXX>>:-Rpass=tally-location-tracking>" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Adds calls-into arguments to an instrumented target, and to the consumers
# that compile its header code.  Location tracking is on already unless
# TALLY_CALLS_INTO=OFF (see _tally_plugin_options).
function(_tally_add_calls target arguments)
  _tally_source_condition(lang)
  foreach(argument IN LISTS arguments)
    target_compile_options("${target}" PRIVATE "$<${lang}:-fplugin-arg-tally-${argument}>")
  endforeach()
  _tally_location_tracking(tracking "${lang}")
  set(counting "${arguments}")
  list(FILTER counting INCLUDE REGEX "^calls-into")
  if (counting AND tracking)
    target_compile_options("${target}" PRIVATE "${tracking}")
  endif()
  set_property(TARGET "${target}" APPEND PROPERTY TALLY_CALLS "${arguments}")
endfunction()

# tally_calls_into(<target>... [NO_CALLS_INTO] [CALLS_INTO [DEFAULT] [<regex>...]]
#                  [NOT_INTO <regex>...])
#
# Chooses which calls that the code of instrumented targets makes into
# functions that are not instrumented are counted, as NO_CALLS_INTO,
# CALLS_INTO and NOT_INTO of tally_instrument() do.  With TALLY_INSTRUMENT=ON each target must be
# instrumented already; with TALLY_INSTRUMENT=OFF this does nothing.
function(tally_calls_into)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "NO_CALLS_INTO" "" "CALLS_INTO;NOT_INTO")
  if (NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tally_calls_into: no target given.")
  endif()
  if ("CALLS_INTO" IN_LIST ARG_KEYWORDS_MISSING_VALUES OR
      NOT (ARG_CALLS_INTO OR ARG_NOT_INTO OR ARG_NO_CALLS_INTO))
    message(FATAL_ERROR
      "tally_calls_into: nothing to do: give NO_CALLS_INTO, CALLS_INTO with "
      "DEFAULT or regular expressions on the names of the functions whose "
      "calls to count, or NOT_INTO with those of functions to leave out.")
  endif()
  _tally_calls_arguments(arguments "${ARG_NO_CALLS_INTO}" "${ARG_CALLS_INTO}" "${ARG_NOT_INTO}")
  foreach(target IN LISTS ARG_UNPARSED_ARGUMENTS)
    if (NOT TARGET "${target}")
      message(FATAL_ERROR "tally_calls_into: '${target}' is not a target.")
    endif()
    if (NOT TALLY_INSTRUMENT)
      continue()
    endif()
    get_target_property(instrumented "${target}" TALLY_INSTRUMENTED)
    if (NOT instrumented)
      message(FATAL_ERROR
        "tally_calls_into: CALLS_INTO given to '${target}', which is not "
        "instrumented: no call in its code would be counted.\n"
        "Fix: instrument it, tally_instrument(${target} CALLS_INTO ...).")
    endif()
    _tally_add_calls("${target}" "${arguments}")
  endforeach()
endfunction()

function(tally_instrument)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "CALLERS;NO_CALLS_INTO" ""
    "INCLUDE;EXCLUDE;FUNCTIONS;EXCLUDE_FUNCTIONS;CALLS_INTO;NOT_INTO")
  if (NOT ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tally_instrument: no target given.")
  endif()
  if ("CALLS_INTO" IN_LIST ARG_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR
      "tally_instrument: CALLS_INTO needs DEFAULT or regular expressions on the "
      "names of the functions whose calls to count.")
  endif()
  _tally_calls_arguments(calls "${ARG_NO_CALLS_INTO}" "${ARG_CALLS_INTO}" "${ARG_NOT_INTO}")
  # Filters become plugin arguments (see docs/filters.md); '>' and ',' would
  # end a generator expression early.
  set(filters "")
  foreach(kind IN ITEMS INCLUDE EXCLUDE FUNCTIONS EXCLUDE_FUNCTIONS)
    string(TOLOWER "${kind}" argument)
    string(REPLACE "_" "-" argument "${argument}")
    string(REPLACE "functions" "function" argument "${argument}")
    foreach(regex IN LISTS ARG_${kind})
      string(REPLACE ">" "$<ANGLE-R>" regex "${regex}")
      string(REPLACE "," "$<COMMA>" regex "${regex}")
      list(APPEND filters "${argument}=${regex}")
    endforeach()
  endforeach()

  foreach(target IN LISTS ARG_UNPARSED_ARGUMENTS)
    if (NOT TARGET "${target}")
      message(FATAL_ERROR "tally_instrument: '${target}' is not a target.")
    endif()
    get_target_property(type "${target}" TYPE)
    if (NOT type MATCHES "^(EXECUTABLE|STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
      message(FATAL_ERROR
        "tally_instrument: '${target}' is a ${type}; only targets that "
        "compile sources can be instrumented.")
    endif()

    # The runtime is linked either way, so that tests build unchanged and can
    # tell whether anything is instrumented.  Set through properties rather
    # than target_link_libraries() to work with either of its signatures.
    set_property(TARGET "${target}" APPEND PROPERTY LINK_LIBRARIES Tally::runtime)
    set_property(TARGET "${target}" APPEND PROPERTY INTERFACE_LINK_LIBRARIES Tally::runtime)

    if (NOT TALLY_INSTRUMENT)
      continue()
    endif()

    _tally_check_enabled_compilers()
    _tally_source_condition(lang)
    set_property(TARGET "${target}" PROPERTY TALLY_INSTRUMENTED ON)
    tally_compile_options(options)
    foreach(option IN LISTS options)
      target_compile_options("${target}" PRIVATE "$<${lang}:${option}>")
    endforeach()
    foreach(filter IN LISTS filters)
      target_compile_options("${target}" PRIVATE "$<${lang}:-fplugin-arg-tally-${filter}>")
    endforeach()
    if (calls)
      _tally_add_calls("${target}" "${calls}")
    endif()
    if (ARG_CALLERS AND NOT TALLY_CALLERS)  # TALLY_CALLERS: in options already
      _tally_callers_options(callers)
      foreach(option IN LISTS callers)
        target_compile_options("${target}" PRIVATE "$<${lang}:${option}>")
      endforeach()
    endif()
    if (TARGET tally_plugin_ready)  # built in this project: build it first,
      add_dependencies("${target}" tally_plugin_ready)
      # and compile again when it changes.  Sources added later are not
      # covered; OBJECT_DEPENDS takes no generator expressions.
      get_target_property(sources "${target}" SOURCES)
      get_target_property(plugin_dir tally_plugin BINARY_DIR)
      set_source_files_properties(${sources} TARGET_DIRECTORY "${target}" PROPERTIES
        OBJECT_DEPENDS "${plugin_dir}/tally-plugin.so")
    endif()

    # Consumers that are not instrumented themselves count this target's
    # header code; which directories hold it, and which sources the target
    # has, is known once the whole project has been read.
    set_property(TARGET "${target}" PROPERTY TALLY_FILTERS "${filters}")
    cmake_language(EVAL CODE
      "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _tally_consumer_options [[${target}]])")
  endforeach()
endfunction()

if (TALLY_INSTRUMENT)
  _tally_check_enabled_compilers()
endif()
