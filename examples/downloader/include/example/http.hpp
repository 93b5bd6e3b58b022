#ifndef EXAMPLE_HTTP_HPP_
#define EXAMPLE_HTTP_HPP_

#include <string>

namespace example::http {

struct Response {
  int status;
  std::string body;
};

// A stand-in for an HTTP client: answers every URL without a network.
Response get(const std::string& url);

}  // namespace example::http

#endif  // EXAMPLE_HTTP_HPP_
