#pragma once
// The run-time errors a call of a compiled function throws.
#include <stdexcept>

namespace theon {

// Shape, rank and extent mismatches, and indices outside an array; the message
// names the operation, the variables and the shapes involved.
struct shape_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// A matrix outside a routine's domain: not positive definite (cholesky),
// exactly singular (solve, inverse, solve_triangular). The message names the
// op and the failing pivot. NaNs are not errors: they propagate.
struct numeric_error : std::domain_error {
  using std::domain_error::domain_error;
};

}  // namespace theon
