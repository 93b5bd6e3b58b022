#include "example/http.hpp"

namespace example::http {

Response get(const std::string& url) { return Response{200, "<html>" + url + "</html>"}; }

}  // namespace example::http
