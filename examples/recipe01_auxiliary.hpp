// Cookbook recipe 1 in C++, the auxiliary module's interface.
#ifndef RECIPE01_AUXILIARY_HPP
#define RECIPE01_AUXILIARY_HPP

#include <sawmill.hpp>

namespace auxiliary_module {
class Auxiliary {
public:
    Auxiliary();
    void do_something();

private:
    sawmill::Logger logger_;
};
void some_function();
}  // namespace auxiliary_module

#endif
