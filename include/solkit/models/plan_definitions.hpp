#pragma once
// The compile-time face of plan(): for a catalog model and a parallelism known at compile time,
// a Boost.Hana tuple of the definition types one GPU runs (`hana::type<definition_of<axes>>`),
// for code that instantiates kernels or static_asserts over a plan. The same constexpr plan()
// feeds codegen at run time.

#include <cstddef>
#include <utility>
#include <variant>

#include <boost/hana.hpp>

#include "solkit/core/definition.hpp"
#include "solkit/models/plan.hpp"

namespace solkit::models {

namespace detail {
/// Names the plan's failure in the compiler's message, as definition_of does for axes.
template <const char* Reason>
struct report_plan_error {
  static_assert(Reason == nullptr,
                "solkit: this model cannot be served with this tp and ep: the reason is named in "
                "the argument of report_plan_error above");
  static constexpr bool ok = true;
};

template <const model_config& Model, parallel_config Parallel>
struct planned {
  static constexpr model_plan value = plan(Model, Parallel);
  static_assert(report_plan_error<value.error>::ok);
};

template <const model_config& Model, parallel_config Parallel, std::size_t Index>
using planned_definition = definition_of<std::get<planned<Model, Parallel>::value.entries[Index].axes.index()>(
    planned<Model, Parallel>::value.entries[Index].axes)>;
}  // namespace detail

/// `hana::tuple<hana::type<definition_of<...>>...>`, one per plan entry, in plan order.
template <const model_config& Model, parallel_config Parallel>
constexpr auto plan_definitions() {
  constexpr std::size_t count = detail::planned<Model, Parallel>::value.entries.size();
  return []<std::size_t... Index>(std::index_sequence<Index...>) {
    return boost::hana::make_tuple(
        boost::hana::type_c<detail::planned_definition<Model, Parallel, Index>>...);
  }(std::make_index_sequence<count>{});
}

}  // namespace solkit::models
