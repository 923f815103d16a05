#pragma once
// A recognizer for the Python expressions flashinfer-bench allows as constraints
// (`len_indptr == batch_size + 1`, `num_kv_indices == kv_indptr[-1].item()`,
// `sparse_indices.shape[-1] == topk`). flashinfer-bench checks them with
// `ast.parse(c, mode="eval")`; this accepts the expression subset a constraint needs (boolean
// and comparison chains, arithmetic, unary operators, names, numbers, strings, attribute access,
// calls and subscripts with slices) and rejects anything else, so a malformed constraint is
// caught before it reaches the dataset.

#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace solkit {

class python_expression_parser {
 public:
  /// Nothing when `text` is a well-formed expression; otherwise what is wrong and where.
  static std::optional<std::string> check(std::string_view text) {
    python_expression_parser parser{text};
    if (!parser.expression()) return parser.failure();
    parser.skip_space();
    if (parser.position_ != text.size()) {
      parser.fail("unexpected text");
      return parser.failure();
    }
    return std::nullopt;
  }

 private:
  explicit python_expression_parser(std::string_view text) : text_{text} {}

  std::string_view text_;
  std::size_t position_ = 0;
  std::string error_;

  std::optional<std::string> failure() const {
    return error_.empty() ? std::string{"malformed expression"} : error_;
  }
  bool fail(std::string_view what) {
    if (error_.empty()) {
      error_ = std::string{what} + " at column " + std::to_string(position_ + 1);
    }
    return false;
  }

  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t')) {
      ++position_;
    }
  }
  bool at_end() {
    skip_space();
    return position_ >= text_.size();
  }
  char peek() {
    skip_space();
    return position_ < text_.size() ? text_[position_] : '\0';
  }
  /// Consumes `symbol` when the text continues with it (and, for a keyword, not with more of an
  /// identifier).
  bool accept(std::string_view symbol) {
    skip_space();
    if (text_.substr(position_, symbol.size()) != symbol) return false;
    const bool keyword = std::isalpha(static_cast<unsigned char>(symbol.front())) != 0;
    const std::size_t after = position_ + symbol.size();
    if (keyword && after < text_.size() && is_identifier_char(text_[after])) return false;
    position_ = after;
    return true;
  }
  static bool is_identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  }

  // expression := or_test ['if' or_test 'else' expression]
  bool expression() {
    if (!or_test()) return false;
    if (accept("if")) {
      if (!or_test()) return false;
      if (!accept("else")) return fail("expected 'else'");
      return expression();
    }
    return true;
  }
  bool or_test() {
    if (!and_test()) return false;
    while (accept("or")) {
      if (!and_test()) return false;
    }
    return true;
  }
  bool and_test() {
    if (!not_test()) return false;
    while (accept("and")) {
      if (!not_test()) return false;
    }
    return true;
  }
  bool not_test() {
    if (accept("not")) return not_test();
    return comparison();
  }
  bool comparison_operator() {
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (accept(op)) return true;
    }
    if (accept("in")) return true;
    if (accept("not")) return accept("in") || fail("expected 'in' after 'not'");
    if (accept("is")) {
      accept("not");
      return true;
    }
    return false;
  }
  bool comparison() {
    if (!arithmetic()) return false;
    while (comparison_operator()) {
      if (!error_.empty()) return false;
      if (!arithmetic()) return false;
    }
    return error_.empty();
  }
  // arithmetic := term (('+' | '-') term)*; term := factor (('*' | '//' | '/' | '%') factor)*
  bool arithmetic() {
    if (!term()) return false;
    while (true) {
      skip_space();
      if (accept("+") || accept("-")) {
        if (!term()) return false;
      } else {
        return true;
      }
    }
  }
  bool term() {
    if (!factor()) return false;
    while (true) {
      skip_space();
      // "**" belongs to power, so a lone '*' is multiplication only when not followed by '*'.
      if (text_.substr(position_, 2) == "**") return true;
      if (accept("//") || accept("*") || accept("/") || accept("%")) {
        if (!factor()) return false;
      } else {
        return true;
      }
    }
  }
  bool factor() {
    if (accept("-") || accept("+") || accept("~")) return factor();
    return power();
  }
  bool power() {
    if (!primary()) return false;
    if (accept("**")) return factor();
    return true;
  }
  bool primary() {
    if (!atom()) return false;
    while (true) {
      if (accept(".")) {
        if (!identifier()) return fail("expected an attribute name");
      } else if (accept("(")) {
        if (!call_arguments()) return false;
      } else if (accept("[")) {
        if (!subscripts()) return false;
      } else {
        return true;
      }
    }
  }
  bool arguments(std::string_view close) {
    if (accept(close)) return true;
    do {
      if (!expression()) return false;
    } while (accept(",") && peek() != close.front());
    return accept(close) || fail("expected '" + std::string{close} + "'");
  }
  /// A call's arguments: expressions or keyword arguments `name=expression`.
  bool call_arguments() {
    if (accept(")")) return true;
    do {
      const std::size_t start = position_;
      if (identifier() && peek() == '=' && text_.substr(position_, 2) != "==") {
        accept("=");
      } else {
        position_ = start;
      }
      if (!expression()) return false;
    } while (accept(",") && peek() != ')');
    return accept(")") || fail("expected ')'");
  }
  bool subscripts() {
    do {
      // A slice item: [lower] ':' [upper] [':' [step]], or a plain expression.
      if (peek() != ':' && peek() != ']' && !expression()) return false;
      for (int colons = 0; colons < 2 && accept(":"); ++colons) {
        if (peek() != ':' && peek() != ']' && peek() != ',' && !expression()) return false;
      }
    } while (accept(",") && peek() != ']');
    return accept("]") || fail("expected ']'");
  }
  bool identifier() {
    skip_space();
    const std::size_t start = position_;
    if (position_ < text_.size() &&
        (std::isalpha(static_cast<unsigned char>(text_[position_])) != 0 || text_[position_] == '_')) {
      while (position_ < text_.size() && is_identifier_char(text_[position_])) ++position_;
    }
    return position_ > start;
  }
  bool number() {
    skip_space();
    const std::size_t start = position_;
    while (position_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[position_])) != 0 ||
            text_[position_] == '_')) {
      ++position_;
    }
    if (position_ < text_.size() && text_[position_] == '.') {
      ++position_;
      while (position_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[position_])) != 0) {
        ++position_;
      }
    }
    if (position_ < text_.size() && (text_[position_] == 'e' || text_[position_] == 'E')) {
      ++position_;
      if (position_ < text_.size() && (text_[position_] == '+' || text_[position_] == '-')) ++position_;
      const std::size_t digits = position_;
      while (position_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[position_])) != 0) {
        ++position_;
      }
      if (position_ == digits) return fail("malformed number");
    }
    if (position_ < text_.size() && is_identifier_char(text_[position_])) {
      return fail("malformed number");
    }
    return position_ > start;
  }
  bool string_literal() {
    const char quote = text_[position_];
    for (++position_; position_ < text_.size(); ++position_) {
      if (text_[position_] == '\\') {
        ++position_;
      } else if (text_[position_] == quote) {
        ++position_;
        return true;
      }
    }
    return fail("unterminated string");
  }
  bool atom() {
    const char c = peek();
    if (c == '\0') return fail("expected an operand");
    if (c == '(') {
      accept("(");
      return arguments(")");  // a parenthesised expression or a tuple
    }
    if (c == '[') {
      accept("[");
      return arguments("]");
    }
    if (c == '\'' || c == '"') return string_literal();
    if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.') {
      return number() || fail("expected a number");
    }
    for (std::string_view reserved : {"and", "or", "not", "if", "else", "in", "is", "lambda"}) {
      const std::size_t saved = position_;
      if (accept(reserved)) {
        position_ = saved;
        return fail("unexpected keyword '" + std::string{reserved} + "'");
      }
    }
    return identifier() || fail("expected an operand");
  }
};

}  // namespace solkit
