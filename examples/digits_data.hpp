#pragma once
// The digits data of the digits examples: 1797 images of 8 x 8 pixels (0..16)
// with their digit, one per line as 65 comma-separated integers
// (examples/data/README.md says where they come from).
#include <algorithm>
#include <cstddef>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#ifndef THEON_EXAMPLES_DATA
#define THEON_EXAMPLES_DATA "examples/data"
#endif

namespace digits {

constexpr std::size_t pixels = 64, classes = 10;

struct dataset {
  xt::xtensor<double, 2> images;  // scaled to [0, 1]
  std::vector<int> digits;
};

// Reads the CSV; a missing file or a malformed line is an error naming it.
inline dataset read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open '" + path + "' (pass the path to digits.csv as the first argument)");
  std::vector<double> values;
  std::vector<int> digits;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::vector<int> row;
    std::string field;
    while (std::getline(fields, field, ',')) {
      std::size_t used = 0;
      int v = -1;
      try {
        v = std::stoi(field, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != field.find_last_not_of(" \r") + 1)
        throw std::runtime_error(path + ":" + std::to_string(number) + ": '" + field + "' is not an integer");
      row.push_back(v);
    }
    if (row.size() != pixels + 1)
      throw std::runtime_error(path + ":" + std::to_string(number) + ": expected 65 comma-separated integers, found " +
                               std::to_string(row.size()));
    for (std::size_t j = 0; j < pixels; ++j) {
      if (row[j] < 0 || row[j] > 16)
        throw std::runtime_error(path + ":" + std::to_string(number) + ": pixel " + std::to_string(j) + " is " +
                                 std::to_string(row[j]) + ", outside 0..16");
      values.push_back(row[j] / 16.0);
    }
    if (row[pixels] < 0 || row[pixels] > 9)
      throw std::runtime_error(path + ":" + std::to_string(number) + ": the digit is " + std::to_string(row[pixels]) +
                               ", outside 0..9");
    digits.push_back(row[pixels]);
  }
  if (digits.empty()) throw std::runtime_error("'" + path + "' holds no images");
  dataset d{xt::xtensor<double, 2>::from_shape({digits.size(), pixels}), std::move(digits)};
  std::copy(values.begin(), values.end(), d.images.begin());
  return d;
}

// The rows `order[first, last)` of d as a minibatch: images and one-hot digits.
inline void gather(const dataset& d, const std::vector<std::size_t>& order, std::size_t first, std::size_t last,
            xt::xtensor<double, 2>& images, xt::xtensor<double, 2>& one_hot) {
  images.resize({last - first, pixels});
  one_hot = xt::zeros<double>({last - first, classes});
  for (std::size_t i = first; i < last; ++i) {
    xt::view(images, i - first, xt::all()) = xt::view(d.images, order[i], xt::all());
    one_hot(i - first, static_cast<std::size_t>(d.digits[order[i]])) = 1;
  }
}

// A fixed split: rows shuffled by rng, the first 80% to train, the rest to test.
inline std::pair<std::vector<std::size_t>, std::vector<std::size_t>> split(const dataset& d, std::mt19937& rng) {
  const std::size_t n = d.digits.size(), n_train = n * 4 / 5;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
  return {std::vector<std::size_t>(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_train)),
          std::vector<std::size_t>(order.begin() + static_cast<std::ptrdiff_t>(n_train), order.end())};
}

}  // namespace digits
