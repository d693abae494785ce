cmake_minimum_required(VERSION 3.21)
# Compile-fail test driver:  cmake -DCOMPILER=... -DSOURCE=... -DFLAGS_FILE=... -P compile_fail.cmake
#
# SOURCE must contain one or more lines
#     // expect: <regex>
# (CMake regex syntax).  The test passes only if compiling SOURCE fails AND the
# compiler output matches every such regex.  Diagnostics are produced with
# LC_ALL=C, so g++ quotes with plain ASCII '...' (not Unicode quotes).
#
# FLAGS_FILE (generated at configure time) sets:
#   CF_INCLUDES  include directories of theon::theon and its dependencies
#   CF_DEFINES   compile definitions (e.g. XTENSOR_USE_XSIMD)
#   CF_OPTIONS   extra options (e.g. -march=native, -pthread)
#   CF_IMPLICIT  the compiler's implicit include dirs (never passed as -I)

foreach(v COMPILER SOURCE FLAGS_FILE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "compile_fail.cmake: -D${v}=... is required")
  endif()
endforeach()
include("${FLAGS_FILE}")

# --- collect the expected regexes (no CMake lists: regexes may hold [ or ;)
file(READ "${SOURCE}" _src)
set(_n 0)
set(_rest "${_src}")
while(TRUE)
  string(FIND "${_rest}" "// expect:" _pos)
  if(_pos EQUAL -1)
    break()
  endif()
  math(EXPR _pos "${_pos} + 10")
  string(SUBSTRING "${_rest}" ${_pos} -1 _rest)
  string(FIND "${_rest}" "\n" _eol)
  string(SUBSTRING "${_rest}" 0 ${_eol} _re)
  string(STRIP "${_re}" _re)
  if(NOT _re STREQUAL "")
    math(EXPR _n "${_n} + 1")
    set(_expect_${_n} "${_re}")
  endif()
  if(_eol EQUAL -1)
    break()
  endif()
endwhile()
if(_n EQUAL 0)
  message(FATAL_ERROR "${SOURCE}: no '// expect: <regex>' line")
endif()

# --- build the command line
set(_args -std=c++20 -fsyntax-only -fdiagnostics-color=never)
foreach(_d IN LISTS CF_INCLUDES)
  if(NOT _d STREQUAL "" AND NOT _d IN_LIST CF_IMPLICIT AND NOT "-I${_d}" IN_LIST _args)
    list(APPEND _args "-I${_d}")
  endif()
endforeach()
foreach(_d IN LISTS CF_DEFINES)
  if(NOT _d STREQUAL "")
    list(APPEND _args "-D${_d}")
  endif()
endforeach()
list(APPEND _args ${CF_OPTIONS})

set(ENV{LC_ALL} C)
set(ENV{LANG} C)
execute_process(
  COMMAND "${COMPILER}" ${_args} "${SOURCE}"
  RESULT_VARIABLE _rc
  OUTPUT_VARIABLE _out
  ERROR_VARIABLE _out)

string(REPLACE ";" " " _cmd "${COMPILER};${_args};${SOURCE}")
if(_rc EQUAL 0)
  message("${_out}")
  message(FATAL_ERROR "COMPILED, but was expected to fail:\n  ${_cmd}")
endif()

foreach(_i RANGE 1 ${_n})
  if(NOT _out MATCHES "${_expect_${_i}}")
    message("---- compiler output ----\n${_out}\n-------------------------")
    message(FATAL_ERROR "compile failed as expected (rc=${_rc}) but the output does not match\n"
                        "  expect: ${_expect_${_i}}\n  command: ${_cmd}")
  endif()
  message(STATUS "failed as expected; matched: ${_expect_${_i}}")
endforeach()
