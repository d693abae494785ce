cmake_minimum_required(VERSION 3.21)
# Self-test of check_layering.cmake: a tiny tree with known violations must be
# rejected with each of them named, and a clean tree accepted.
#   cmake -DCHECKER=<check_layering.cmake> -DWORKDIR=<scratch dir> -P check_layering_selftest.cmake

file(REMOVE_RECURSE "${WORKDIR}")
set(bad "${WORKDIR}/bad/theon")
set(good "${WORKDIR}/good/theon")

foreach(root IN ITEMS "${bad}" "${good}")
  file(WRITE "${root}/core/expr.hpp"      "#pragma once\n#include <type_traits>\n")
  file(WRITE "${root}/ops/exp.hpp"        "#pragma once\n#include <theon/core/expr.hpp>\n#include \"../core/expr.hpp\"\n")
  file(WRITE "${root}/plan/plan.hpp"      "#pragma once\n#include <theon/ops/exp.hpp>\n")
  file(WRITE "${root}/exec/program.hpp"   "#pragma once\n#include <theon/plan/plan.hpp>\n")
  file(WRITE "${root}/backend/cpu/run.hpp" "#pragma once\n#include <xsimd/xsimd.hpp>\n#include <theon/exec/program.hpp>\n")
  file(WRITE "${root}/backend/thrust/run.hpp" "#pragma once\n#include <thrust/transform.h>\n")
  file(WRITE "${root}/api/function.hpp"   "#pragma once\n#include <theon/backend/cpu/run.hpp>\n#include <xtensor/xtensor.hpp>\n")
  file(WRITE "${root}/theon.hpp"          "#pragma once\n#include <theon/api/function.hpp>\n#include <xtensor/xarray.hpp>\n")
endforeach()
# violations, one per rule
file(WRITE "${bad}/core/bad_up.hpp"    "#pragma once\n\n  #  include <theon/api/function.hpp>\n")
file(WRITE "${bad}/rewrite/r.hpp"      "#pragma once\n#include \"../plan/plan.hpp\"\n")
file(WRITE "${bad}/ops/simd.hpp"       "#pragma once\n#include <xsimd/xsimd.hpp>\n")
file(WRITE "${bad}/backend/cpu/t.hpp"  "#pragma once\n#include <thrust/reduce.h>\n")
file(WRITE "${bad}/autodiff/u.hpp"     "#pragma once\n#include <theon/theon.hpp>\n")
file(WRITE "${bad}/misc/x.hpp"         "#pragma once\n")
file(WRITE "${bad}/backend/thrust/cpu.hpp" "#pragma once\n#include <theon/backend/cpu/run.hpp>\n")
file(WRITE "${bad}/exec/simd.hpp"      "#pragma once\n#include <xsimd/xsimd.hpp>\n")

set(expect
  "core/bad_up.hpp:3: #include <theon/api/function.hpp>: layer 'core' must not include layer 'api'"
  "rewrite/r.hpp:2: #include \"../plan/plan.hpp\": layer 'rewrite' must not include layer 'plan'"
  "ops/simd.hpp:2: #include <xsimd/xsimd.hpp>: only backend/cpu (and api/, theon.hpp) may include xsimd"
  "backend/cpu/t.hpp:2: #include <thrust/reduce.h>: only backend/thrust may include thrust"
  "autodiff/u.hpp:2: #include <theon/theon.hpp>: layer 'autodiff' must not include the umbrella"
  "misc/x.hpp: not in a known layer folder"
  "backend/thrust/cpu.hpp:2: #include <theon/backend/cpu/run.hpp>: layer 'backend/thrust' must not include layer 'backend/cpu'"
  "exec/simd.hpp:2: #include <xsimd/xsimd.hpp>: only backend/cpu (and api/, theon.hpp) may include xsimd")

execute_process(COMMAND "${CMAKE_COMMAND}" "-DROOT=${bad}" -P "${CHECKER}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(rc EQUAL 0)
  message(FATAL_ERROR "checker accepted a tree with violations")
endif()
foreach(e IN LISTS expect)
  string(FIND "${out}" "${e}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "checker did not report: ${e}")
  endif()
endforeach()
string(REGEX MATCHALL "\n[^\n]*\\.hpp:[0-9]+[^\n]*" reported "\n${out}")
list(LENGTH reported n)
if(NOT n EQUAL 7)
  message(FATAL_ERROR "expected exactly 7 file:line violations, got ${n}")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" "-DROOT=${good}" -P "${CHECKER}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "checker rejected a clean tree")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" "-DROOT=${WORKDIR}/empty/theon" -P "${CHECKER}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "checker rejected an empty tree:\n${out}")
endif()
message(STATUS "layering checker self-test OK")
