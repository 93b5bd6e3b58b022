#include "example/downloader.hpp"

#include <algorithm>

#include "example/db.hpp"

namespace example {

std::vector<http::Response> download(const std::vector<std::string>& urls,
                                     std::size_t limit) {
  std::vector<http::Response> responses;
  std::size_t n = std::min(limit, urls.size());
  responses.reserve(n);
  for (std::size_t i = 0; i < n; ++i) responses.push_back(http::get(urls[i]));
  return responses;
}

std::vector<http::Response> download_cached(const std::vector<std::string>& urls,
                                            std::size_t limit) {
  std::vector<http::Response> responses;
  std::size_t n = std::min(limit, urls.size());
  responses.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (std::optional<std::string> body = db::load(urls[i])) {
      responses.push_back(http::Response{200, *body});
      continue;
    }
    responses.push_back(http::get(urls[i]));
    db::save(urls[i], responses.back().body);
  }
  return responses;
}

}  // namespace example
