#pragma once
#include "solkit/core/definition.hpp"
#include "solkit/roofline/cost.hpp"
namespace solkit::codegen { struct atrex_shape { definition_spec spec; roofline::cost cost; }; }
