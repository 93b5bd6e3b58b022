#ifndef EXAMPLE_DOWNLOADER_HPP_
#define EXAMPLE_DOWNLOADER_HPP_

#include <cstddef>
#include <string>
#include <vector>

#include "example/http.hpp"

namespace example {

// Fetches the first `limit` of `urls` (all of them if there are fewer) and
// returns the responses in order.
std::vector<http::Response> download(const std::vector<std::string>& urls,
                                     std::size_t limit);

// Like download(), but answers the URLs fetched before from the cache in
// example::db, and stores there what it fetches.
std::vector<http::Response> download_cached(const std::vector<std::string>& urls,
                                            std::size_t limit);

}  // namespace example

#endif  // EXAMPLE_DOWNLOADER_HPP_
