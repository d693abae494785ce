cmake_minimum_required(VERSION 3.21)
# Configure, build and run tests/consumer in a fresh build dir.
#   -DCONSUMER_SOURCE= -DCONSUMER_BINARY= -DGENERATOR= -DCXX= -DCONFIG=
#   and either -DPREFIX=<install prefix>          (find_package(theon))
#   or         -DTHEON_SOURCE_DIR=<theon sources> (add_subdirectory)
#   optional   -DEXPECT=<the runners' targets the package must have, comma-separated: thrust_omp,mpi,cuda>
#              -DCUDA_COMPILER= -DCUDA_ARCHITECTURES=<comma-separated> for theon::cuda's consumer

foreach(v CONSUMER_SOURCE CONSUMER_BINARY GENERATOR CXX)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_consumer.cmake: -D${v}=... is required")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

set(_args -S "${CONSUMER_SOURCE}" -B "${CONSUMER_BINARY}" -G "${GENERATOR}"
          "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_BUILD_TYPE=${CONFIG}"
          -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
if(CUDA_COMPILER)
  string(REPLACE "," ";" _archs "${CUDA_ARCHITECTURES}")
  list(APPEND _args "-DCMAKE_CUDA_COMPILER=${CUDA_COMPILER}" "-DCMAKE_CUDA_ARCHITECTURES=${_archs}")
endif()
if(DEFINED PREFIX)
  list(APPEND _args "-DCMAKE_PREFIX_PATH=${PREFIX}")
elseif(DEFINED THEON_SOURCE_DIR)
  list(APPEND _args -DTHEON_CONSUMER_USE_SUBDIR=ON "-DTHEON_SOURCE_DIR=${THEON_SOURCE_DIR}")
else()
  message(FATAL_ERROR "run_consumer.cmake: give -DPREFIX= or -DTHEON_SOURCE_DIR=")
endif()

function(_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("---- ${what} ----\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer ${what} failed (rc=${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE "${CONSUMER_BINARY}")
_step(configure "${CMAKE_COMMAND}" ${_args})

if(DEFINED PREFIX)
  # Make sure the package really came from the test prefix.
  file(STRINGS "${CONSUMER_BINARY}/CMakeCache.txt" _dir REGEX "^theon_DIR:")
  string(REGEX REPLACE "^theon_DIR:[A-Z]+=" "" _dir "${_dir}")
  file(REAL_PATH "${PREFIX}" _rp)
  file(REAL_PATH "${_dir}" _rd)
  string(FIND "${_rd}" "${_rp}/" _at)
  if(NOT _at EQUAL 0)
    message(FATAL_ERROR "theon was found at '${_dir}', not under the test prefix '${PREFIX}'")
  endif()
endif()

_step(build "${CMAKE_COMMAND}" --build "${CONSUMER_BINARY}" --config "${CONFIG}")

set(_exe "${CONSUMER_BINARY}/consumer")
if(NOT EXISTS "${_exe}")
  set(_exe "${CONSUMER_BINARY}/${CONFIG}/consumer")
endif()
_step(run "${_exe}")

# EXPECT: the runners' targets this package must provide (thrust_omp, mpi, cuda).
# theon::thrust_omp's consumer runs; theon::mpi's (mpiexec starts it) and
# theon::cuda's (a GPU runs it) are built only.
string(REPLACE "," ";" _expected "${EXPECT}")
foreach(_runner IN LISTS _expected)
  get_filename_component(_dir "${_exe}" DIRECTORY)
  set(_runner_exe "${_dir}/consumer_${_runner}")
  if(NOT EXISTS "${_runner_exe}")
    message(FATAL_ERROR "the consumer found no theon::${_runner}: the package does not provide it")
  endif()
  if(_runner STREQUAL "thrust_omp")
    _step("run theon::thrust_omp" "${_runner_exe}")
  endif()
endforeach()
message(STATUS "consumer OK")
