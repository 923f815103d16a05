// The constraint recognizer accepts what Python's ast.parse(mode="eval") accepts for the
// constraint subset, and rejects malformed text with a position.

#include <string>

#include <catch2/catch.hpp>

#include "solkit/core/python_expression.hpp"

// A namespace per file: the test files are compiled in batches (unity build).
namespace solkit_test_core_test_python_expression {

using solkit::python_expression_parser;

TEST_CASE("well-formed constraints parse", "[core][python]") {
  const std::string expression = GENERATE(
      "len_indptr == batch_size + 1", "num_kv_indices == kv_indptr[-1].item()",
      "total_q == qo_indptr[-1].item()", "sparse_indices.shape[-1] == topk",
      "gemm1_weights.shape[1] == 2 * intermediate_size", "seq_len > 1",
      "nheads % ngroups == 0", "num_v_heads >= num_q_heads", "topk <= max_num_pages * page_size",
      "0 < x <= 10 and not (y == 3 or z != 4)", "a ** 2 // 3 - -b", "x[1:2] == y[::2]",
      "f(a, b=1) if c else d", "x in (1, 2, 3)", "x not in [1, 2]", "x is not None",
      "s == 'text'", "1.5e-3 < eps", "H_qo == H_kv * H_r");
  INFO(expression);
  CHECK_FALSE(python_expression_parser::check(expression));
}

TEST_CASE("malformed constraints are rejected", "[core][python]") {
  const std::string expression =
      GENERATE("", "len_indptr ==", "== 1", "a + * b", "x[1", "f(a", "a b", "1abc == 2",
               "'unterminated", "x = 1", "a and", "not", "a ! b", "(a + b", "x.", "lambda: 1");
  INFO(expression);
  const auto error = python_expression_parser::check(expression);
  CHECK(error.has_value());
}

TEST_CASE("an error says where", "[core][python]") {
  const auto error = python_expression_parser::check("a + * b");
  REQUIRE(error);
  CHECK(error->find("column") != std::string::npos);
}

}  // namespace solkit_test_core_test_python_expression
