#include "example/downloader.hpp"

#include <algorithm>

namespace example {

std::vector<http::Response> download(const std::vector<std::string>& urls,
                                     std::size_t limit) {
  std::vector<http::Response> responses;
  std::size_t n = std::min(limit, urls.size());
  responses.reserve(n);
  for (std::size_t i = 0; i < n; ++i) responses.push_back(http::get(urls[i]));
  return responses;
}

}  // namespace example
