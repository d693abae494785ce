#pragma once
// check_grad: Theano's verify_grad. Compares the symbolic gradient of a scalar
// cost with central finite differences at the given inputs and reports the
// worst entry.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>

#include <xtensor/xtensor.hpp>

#include "theon/api/function.hpp"
#include "theon/autodiff/reverse.hpp"

namespace theon {

struct grad_check_options {
  double step = 1e-6;        // relative: h = step * max(1, |x_i|)
  double tolerance = 1e-6;   // on |symbolic - numeric| / max(1, |numeric|)
};

struct grad_check_report {
  bool ok = true;
  double worst_error = 0;        // the scaled error of the worst entry
  std::size_t worst_index = 0;   // flat index into the variable
  double symbolic = 0, numeric = 0;  // the two values at the worst entry
  std::string variable;

  std::string to_string() const {
    std::ostringstream text;  // %g-style numbers: an error of 3e-11 shows as such, not as 0.000000
    text << (ok ? "gradient check passed" : "gradient check FAILED") << " for '" << variable << "': worst entry "
         << worst_index << ", symbolic " << symbolic << ", numeric " << numeric << ", scaled error " << worst_error;
    return text.str();
  }
};

namespace detail {
// The binding b, or x bound to `replacement` where b binds x.
template <class X, class Replacement, class B>
decltype(auto) rebind(const B& b, const Replacement& replacement) {
  if constexpr (std::is_same_v<typename B::variable, X>) return X{} = replacement;
  else return b;
}
}  // namespace detail

// check_grad(cost, x, bindings...): the bindings must bind every input of cost, x included.
template <expression Cost, class X, class... Bindings>
grad_check_report check_grad(const grad_check_options& options, Cost cost, X x, const Bindings&... bindings) {
  static_assert(is_var_v<X>, "theon::check_grad: the gradient is checked with respect to a variable");
  using T = typename X::value_type;
  static_assert(std::is_floating_point_v<T>, "theon::check_grad: finite differences need a floating-point variable");
  constexpr std::size_t rank = rank_v<X>;

  auto value = function(cost);
  auto gradient = function(grad(cost, x));
  value.threads(1);
  gradient.threads(1);
  const auto symbolic = gradient(bindings...);

  // A private copy of x's value to perturb: inputs are never modified.
  static_assert((std::is_same_v<typename Bindings::variable, X> || ...),
                "theon::check_grad: bind a value to the variable being checked");
  xt::xtensor<T, rank> point;
  auto copy_from = [&]<class B>(const B& b) {
    if constexpr (std::is_same_v<typename B::variable, X>) {
      const bound_input<X, typename B::value_type> in(*b.value);
      const auto view = in.view();
      point = xt::xtensor<T, rank>::from_shape(view.shape);
      copy_strided(view, point.data());
    }
  };
  (copy_from(bindings), ...);

  grad_check_report report;
  report.variable = std::string(X::name.view());
  for (std::size_t i = 0; i < point.size(); ++i) {
    const T original = point.flat(i);
    const T h = static_cast<T>(options.step * std::max<double>(1.0, std::abs(original)));
    point.flat(i) = original + h;
    const double up = static_cast<double>(value(detail::rebind<X>(bindings, point)...));
    point.flat(i) = original - h;
    const double down = static_cast<double>(value(detail::rebind<X>(bindings, point)...));
    point.flat(i) = original;
    const double numeric = (up - down) / (2.0 * static_cast<double>(h));
    const double exact = [&] {
      if constexpr (rank == 0) return static_cast<double>(symbolic);
      else return static_cast<double>(symbolic.flat(i));
    }();
    const double error = std::abs(exact - numeric) / std::max(1.0, std::abs(numeric));
    if (error > report.worst_error || (std::isnan(error) && report.ok) || i == 0) {
      report.worst_error = std::isnan(error) ? INFINITY : error;
      report.worst_index = i;
      report.symbolic = exact;
      report.numeric = numeric;
    }
    report.ok = report.ok && error <= options.tolerance;
  }
  return report;
}

template <expression Cost, class X, class... Bindings>
grad_check_report check_grad(Cost cost, X x, const Bindings&... bindings) {
  return check_grad(grad_check_options{}, cost, x, bindings...);
}

}  // namespace theon
