// The Catch2 main of solkit's unit tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
