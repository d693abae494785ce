#pragma once
// A naive reference for the random expression tests: dense arrays of long
// double and one plain loop per operation, NumPy semantics, no fusion, no
// strides, no SIMD and nothing from theon. The generated tests write each
// expression twice, once for theon and once in these functions.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <stdexcept>
#include <vector>

namespace reference {

using real = long double;

struct array {
  std::vector<std::size_t> shape;
  std::vector<real> values;

  std::size_t size() const { return values.size(); }
  std::size_t rank() const { return shape.size(); }
};

inline std::size_t count(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t e : shape) n *= e;
  return n;
}

inline array constant(real v) { return {{}, {v}}; }

template <class Container>
array from(const Container& c) {
  array a{{c.shape().begin(), c.shape().end()}, {}};
  for (auto v : c) a.values.push_back(static_cast<real>(v));
  return a;
}

inline array map(const array& a, const std::function<real(real)>& f) {
  array out = a;
  for (real& v : out.values) v = f(v);
  return out;
}

// The flat index into `in` (aligned on the right, extents 1 repeating) of the
// element at flat index `flat` of the broadcast shape `out`.
inline std::size_t source(std::size_t flat, const std::vector<std::size_t>& out, const std::vector<std::size_t>& in) {
  std::size_t index = 0, stride = 1;
  for (std::size_t k = 0; k < in.size(); ++k) {
    const std::size_t axis_out = out.size() - 1 - k, axis_in = in.size() - 1 - k;
    std::size_t step = 1;
    for (std::size_t j = axis_out + 1; j < out.size(); ++j) step *= out[j];
    const std::size_t i = flat / step % out[axis_out];
    index += (in[axis_in] == 1 ? 0 : i) * stride;
    stride *= in[axis_in];
  }
  return index;
}

inline std::vector<std::size_t> broadcast(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
  std::vector<std::size_t> out(std::max(a.size(), b.size()), 1);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::size_t ea = k < a.size() ? a[a.size() - 1 - k] : 1, eb = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (ea != eb && ea != 1 && eb != 1) throw std::invalid_argument("reference: shapes do not broadcast");
    out[out.size() - 1 - k] = ea == 1 ? eb : ea;
  }
  return out;
}

inline array zip(const array& a, const array& b, const std::function<real(real, real)>& f) {
  array out{broadcast(a.shape, b.shape), {}};
  const std::size_t n = count(out.shape);
  for (std::size_t i = 0; i < n; ++i)
    out.values.push_back(f(a.values[source(i, out.shape, a.shape)], b.values[source(i, out.shape, b.shape)]));
  return out;
}

inline array zip3(const array& a, const array& b, const array& c, const std::function<real(real, real, real)>& f) {
  array out{broadcast(broadcast(a.shape, b.shape), c.shape), {}};
  const std::size_t n = count(out.shape);
  for (std::size_t i = 0; i < n; ++i)
    out.values.push_back(f(a.values[source(i, out.shape, a.shape)], b.values[source(i, out.shape, b.shape)],
                           c.values[source(i, out.shape, c.shape)]));
  return out;
}

enum class fold { sum, mean, max, min, prod };

// A reduction over one axis, or over all of them (axis < 0).
inline array reduce(const array& a, fold how, int axis, bool keep) {
  const std::size_t rank = a.rank();
  std::vector<bool> reduced(rank, axis < 0);
  if (axis >= 0) reduced[static_cast<std::size_t>(axis)] = true;
  array out;
  for (std::size_t k = 0; k < rank; ++k)
    if (!reduced[k]) out.shape.push_back(a.shape[k]);
    else if (keep) out.shape.push_back(1);
  const std::vector<std::size_t> kept = [&] {
    std::vector<std::size_t> s;
    for (std::size_t k = 0; k < rank; ++k) s.push_back(reduced[k] ? 1 : a.shape[k]);
    return s;
  }();
  const real start = how == fold::max   ? -std::numeric_limits<real>::infinity()
                     : how == fold::min ? std::numeric_limits<real>::infinity()
                     : how == fold::prod ? 1
                                         : 0;
  out.values.assign(count(kept), start);
  std::vector<std::size_t> members(out.values.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    // The flat index of element i's result: its index along the kept axes.
    std::size_t rest = i, target = 0, stride = 1;
    for (std::size_t k = rank; k-- > 0;) {
      const std::size_t index = rest % a.shape[k];
      rest /= a.shape[k];
      if (!reduced[k]) target += index * stride;
      stride *= kept[k];
    }
    real& r = out.values[target];
    const real v = a.values[i];
    r = how == fold::max ? std::max(r, v) : how == fold::min ? std::min(r, v) : how == fold::prod ? r * v : r + v;
    ++members[target];
  }
  if (how == fold::mean)
    for (std::size_t t = 0; t < out.values.size(); ++t) out.values[t] /= static_cast<real>(members[t]);
  return out;
}

inline array transpose(const array& a) {
  if (a.rank() != 2) return a;
  array out{{a.shape[1], a.shape[0]}, std::vector<real>(a.size())};
  for (std::size_t i = 0; i < a.shape[0]; ++i)
    for (std::size_t j = 0; j < a.shape[1]; ++j) out.values[j * a.shape[0] + i] = a.values[i * a.shape[1] + j];
  return out;
}

inline array expand_dims(const array& a, std::size_t axis) {
  array out = a;
  out.shape.insert(out.shape.begin() + static_cast<std::ptrdiff_t>(axis), 1);
  return out;
}

// matmul and dot for ranks 1 and 2, NumPy semantics.
inline array matmul(const array& a, const array& b) {
  const std::size_t rows = a.rank() == 2 ? a.shape[0] : 1, inner = a.shape.back();
  const std::size_t cols = b.rank() == 2 ? b.shape[1] : 1;
  if (b.shape[0] != inner) throw std::invalid_argument("reference: inner extents differ");
  array out;
  if (a.rank() == 2) out.shape.push_back(rows);
  if (b.rank() == 2) out.shape.push_back(cols);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      real s = 0;
      for (std::size_t k = 0; k < inner; ++k) s += a.values[i * inner + k] * b.values[k * cols + j];
      out.values.push_back(s);
    }
  return out;
}

inline array outer(const array& u, const array& v) { return zip(expand_dims(u, 1), expand_dims(v, 0), std::multiplies<real>{}); }

// log(sum(exp(a))) over `axis` (all axes when < 0), computed as written in
// long double: the reference needs no stable form at these magnitudes.
inline array logsumexp(const array& a, int axis, bool keep) {
  return map(reduce(map(a, [](real v) { return std::exp(v); }), fold::sum, axis, keep), [](real v) { return std::log(v); });
}
inline array log_softmax(const array& a, int axis) {
  return zip(a, logsumexp(a, axis, true), std::minus<real>{});
}
inline array softmax(const array& a, int axis) {
  return map(log_softmax(a, axis), [](real v) { return std::exp(v); });
}

}  // namespace reference
