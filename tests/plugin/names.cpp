// Names and signatures are printed the same way on every Clang version:
// fully qualified, typedefs kept as written, unnamed scopes spelled out.
#include <map>
#include <string>
#include <vector>

namespace app {

using std::string;
struct Item {};
namespace detail {
struct Hidden {};
}  // namespace detail
using detail::Hidden;
typedef std::vector<Item> Items;
enum class Color { red, green };

void take(const string& s, Item* item, Hidden h, Items& all) {}  // calls: 1 app::take(const std::string &, app::Item *, app::detail::Hidden, app::Items &)
void callbacks(void (*fn)(int), int (&arr)[3], const char* text) {}  // calls: 1 app::callbacks(void (*)(int), int (&)[3], const char *)
void paint(Color c, unsigned long long n, bool b) {}  // calls: 1 app::paint(app::Color, unsigned long long, bool)
void lookup(const std::map<std::string, int>& m) {}  // calls: 1 app::lookup(const std::map<std::string, int> &)
void moved(std::vector<int>&& v) {}  // calls: 1 app::moved(std::vector<int> &&)
void elaborated(struct Item* item, enum Color c, class detail::Hidden* h) {}  // calls: 1 app::elaborated(app::Item *, app::Color, app::detail::Hidden *)

struct {
  void method() {}  // calls: 1 app::(unnamed struct at names.cpp:25:1)::method()
} unnamed_object;

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnon-c-typedef-for-linkage"
typedef struct {
  void method() {}  // calls: 1 app::Named::method()
} Named;
#pragma clang diagnostic pop

void local() {  // calls: 1 app::local()
  struct Local {
    void method() {}  // calls: 1 app::local::Local::method()
  };
  Local().method();
}

template <class T>
struct Outer {
  struct Inner {
    void method(T) {}  // calls: 1 app::Outer<app::Item>::Inner::method(app::Item)
  };
};

template <class T, class U = int>
int defaulted() { return sizeof(T) + sizeof(U); }  // calls: 1 app::defaulted<char, int>()

template <class T, class A = std::allocator<T>>
struct WithDefault {
  void method() {}  // calls: 1 app::WithDefault<int>::method()
};

template <class T>
struct Later {
  int get();
};

}  // namespace app

#include "names_later.hpp"

void on_int(int) {}

void run() {  // calls: 1 run()
  std::string s;
  app::Items all;
  app::take(s, nullptr, {}, all);
  int arr[3] = {};
  app::callbacks(on_int, arr, "");
  app::paint(app::Color::red, 1, true);
  app::lookup({});
  app::moved({});
  app::elaborated(nullptr, app::Color::green, nullptr);
  app::unnamed_object.method();
  app::Named().method();
  app::local();
  app::Outer<app::Item>::Inner().method({});
  app::defaulted<char>();
  app::WithDefault<int>().method();
  app::Later<int>().get();
}

// query: app::take(const std::string&, app::Item*, app::detail::Hidden, app::Items&) = 1
// query: app::Outer::Inner::method = 1
// query: app::local = 1
// query: app::defaulted<char> = 0
// query: app::defaulted = 1
