#pragma once
// theon: Theano's compiled math expressions in the C++ type system.
// The one include for the CPU: expressions, ops, rewriting, printing,
// planning, differentiation, function() and check_grad().
#include "theon/core/expr.hpp"
#include "theon/ops/arithmetic.hpp"
#include "theon/ops/compare.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/linalg.hpp"
#include "theon/ops/math.hpp"
#include "theon/ops/broadcast.hpp"
#include "theon/ops/nn.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/ops/special.hpp"
#include "theon/ops/dist.hpp"
#include "theon/ops/subscript.hpp"
#include "theon/rewrite/phases.hpp"
#include "theon/plan/describe.hpp"
#include "theon/plan/print.hpp"
#include "theon/autodiff/forward.hpp"
#include "theon/autodiff/reverse.hpp"
#include "theon/autodiff/sweep.hpp"
#include "theon/api/function.hpp"
#include "theon/api/check_grad.hpp"
