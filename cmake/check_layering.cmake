cmake_minimum_required(VERSION 3.21)
# Layering check:  cmake -DROOT=<repo>/include/theon -P check_layering.cmake
#
# Scans every header under ROOT and fails, naming file:line, when an #include
# crosses the architecture's layers (DESIGN.md section 3):
#
#   core < ops < {rewrite | autodiff | plan} < exec < {backend/cpu | backend/thrust | backend/mpi} < api
#
# A layer may include itself and any layer to its left; rewrite, autodiff and
# plan may not include each other, nor may the backends. Files directly in ROOT (theon.hpp and other
# umbrella headers) may include any theon header.
# External libraries:
#   <xtensor/...>, <xsimd/...> : only backend/cpu, api and umbrella headers
#   <thrust/...>, <cub/...>            : only backend/thrust
#   <mpi.h>                            : only backend/mpi
# Both <theon/...> and relative "..." includes are checked.

if(NOT DEFINED ROOT)
  message(FATAL_ERROR "check_layering.cmake: -DROOT=<include/theon dir> is required")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

# layer -> rank (same rank, different layer = forbidden)
set(_layers core ops rewrite autodiff plan exec backend/cpu backend/thrust backend/mpi api)
set(_rank_core 0)
set(_rank_ops 1)
set(_rank_rewrite 2)
set(_rank_autodiff 2)
set(_rank_plan 2)
set(_rank_exec 3)
set(_rank_backend/cpu 4)
set(_rank_backend/thrust 4)
set(_rank_backend/mpi 4)
set(_rank_api 5)

# Layer of a path relative to ROOT: a layer name, "umbrella" or "" (unknown).
function(_layer_of rel out)
  if(NOT rel MATCHES "/")
    set(${out} umbrella PARENT_SCOPE)
    return()
  endif()
  foreach(l IN LISTS _layers)
    if(rel MATCHES "^${l}/")
      set(${out} ${l} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

set(_errors "")
set(_nfiles 0)
if(EXISTS "${ROOT}")
  file(GLOB_RECURSE _files RELATIVE "${ROOT}"
       "${ROOT}/*.hpp" "${ROOT}/*.h" "${ROOT}/*.inl" "${ROOT}/*.cuh" "${ROOT}/*.ipp")
else()
  set(_files "")
endif()
list(SORT _files)

foreach(_rel IN LISTS _files)
  math(EXPR _nfiles "${_nfiles} + 1")
  _layer_of("${_rel}" _src_layer)
  if(_src_layer STREQUAL "")
    string(APPEND _errors "include/theon/${_rel}: not in a known layer folder (core, ops, rewrite, autodiff, plan, exec, backend/cpu, backend/thrust, backend/mpi, api) nor directly in include/theon/\n")
    continue()
  endif()
  get_filename_component(_dir "${ROOT}/${_rel}" DIRECTORY)

  file(READ "${ROOT}/${_rel}" _text)
  # Keep CMake list handling away from the source text.
  string(REPLACE ";" "<SEMI>" _text "${_text}")
  string(REPLACE "[" "<LB>" _text "${_text}")
  string(REPLACE "]" "<RB>" _text "${_text}")
  string(REPLACE "\n" ";" _lines "${_text}")
  set(_lineno 0)
  foreach(_line IN LISTS _lines)
    math(EXPR _lineno "${_lineno} + 1")
    if(NOT _line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
      continue()
    endif()
    set(_delim "${CMAKE_MATCH_1}")
    set(_inc "${CMAKE_MATCH_2}")
    if(_delim STREQUAL "<")
      set(_where "include/theon/${_rel}:${_lineno}: #include <${_inc}>")
    else()
      set(_where "include/theon/${_rel}:${_lineno}: #include \"${_inc}\"")
    endif()

    # Resolve to a theon-relative path when it is a theon header.
    set(_target_rel "")
    if(_inc MATCHES "^theon/(.*)$")
      set(_target_rel "${CMAKE_MATCH_1}")
    elseif(_delim STREQUAL "\"")
      get_filename_component(_abs "${_dir}/${_inc}" ABSOLUTE)
      if(EXISTS "${_abs}")
        file(RELATIVE_PATH _r "${ROOT}" "${_abs}")
        if(NOT _r MATCHES "^\\.\\./")
          set(_target_rel "${_r}")
        endif()
      endif()
    endif()

    if(NOT _target_rel STREQUAL "")
      if(_src_layer STREQUAL "umbrella")
        continue()
      endif()
      _layer_of("${_target_rel}" _dst_layer)
      if(_dst_layer STREQUAL "umbrella")
        string(APPEND _errors "${_where}: layer '${_src_layer}' must not include the umbrella header ${_target_rel}\n")
      elseif(_dst_layer STREQUAL "")
        string(APPEND _errors "${_where}: includes a header outside every layer folder\n")
      elseif(NOT _dst_layer STREQUAL _src_layer)
        if(NOT _rank_${_dst_layer} LESS _rank_${_src_layer})
          string(APPEND _errors "${_where}: layer '${_src_layer}' must not include layer '${_dst_layer}'\n")
        endif()
      endif()
      continue()
    endif()

    # External libraries confined to one backend.
    if(_inc MATCHES "^(xtensor|xsimd)/")
      set(_lib "${CMAKE_MATCH_1}")
      if(NOT _src_layer MATCHES "^(backend/cpu|api|umbrella)$")
        string(APPEND _errors "${_where}: only backend/cpu (and api/, theon.hpp) may include ${_lib}\n")
      endif()
    elseif(_inc MATCHES "^(thrust|cub)/")
      set(_lib "${CMAKE_MATCH_1}")
      if(NOT _src_layer STREQUAL "backend/thrust")
        string(APPEND _errors "${_where}: only backend/thrust may include ${_lib}\n")
      endif()
    elseif(_inc STREQUAL "mpi.h")
      if(NOT _src_layer STREQUAL "backend/mpi")
        string(APPEND _errors "${_where}: only backend/mpi may include mpi.h\n")
      endif()
    endif()
  endforeach()
endforeach()

if(NOT _errors STREQUAL "")
  string(REPLACE "<SEMI>" ";" _errors "${_errors}")
  string(REPLACE "<LB>" "[" _errors "${_errors}")
  string(REPLACE "<RB>" "]" _errors "${_errors}")
  message("${_errors}")
  message(FATAL_ERROR "layering violations found (see above)")
endif()
message(STATUS "layering OK (${_nfiles} headers checked)")
