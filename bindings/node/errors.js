'use strict'
// The error classes of astrola. The native addon builds its errors from
// these classes (index.js registers them), so every error it throws or
// rejects with is an `AstrolaError`, hence an `Error`, with a stable `code`.

/** The base class of every error astrola throws. */
class AstrolaError extends Error {
  static code = 'astrola_error'

  constructor(message, fields) {
    super(message)
    this.name = new.target.name
    this.code = new.target.code
    if (fields) Object.assign(this, fields)
  }
}

/** SQL that does not parse or cannot apply; has `line`, `column`, `statement`, `file`. */
class ParseError extends AstrolaError {
  static code = 'parse_error'
}

/** A malformed schema JSON; has `line`, `column`. */
class SchemaJsonError extends AstrolaError {
  static code = 'json_error'
}

/** Input astrola does not support. */
class UnsupportedError extends AstrolaError {
  static code = 'unsupported'
}

/** A diff across dialects. */
class DialectMismatchError extends AstrolaError {
  static code = 'dialect_mismatch'
}

/** A destructive change was refused; has `changeSet` and `refused`. */
class DestructiveChangeError extends AstrolaError {
  static code = 'destructive_change'
}

/** The schemas differ in something no migration expresses; has `changeSet`. */
class UnmanagedDifferenceError extends AstrolaError {
  static code = 'unmanaged_difference'
}

/** An argument of the wrong type, or an unknown option value. */
class InvalidArgumentError extends AstrolaError {
  static code = 'invalid_argument'
}

/** Linter settings that do not read (`config` text, `stats` JSON); has `file`, `line`, `column`. */
class ConfigError extends AstrolaError {
  static code = 'config_error'
}

/** Migration files that cannot be put in order (`mergeHistories`): a file name with no version, or two files with one version. */
class MigrationsError extends AstrolaError {
  static code = 'migrations_error'
}

module.exports = {
  AstrolaError,
  ParseError,
  SchemaJsonError,
  UnsupportedError,
  DialectMismatchError,
  DestructiveChangeError,
  UnmanagedDifferenceError,
  InvalidArgumentError,
  ConfigError,
  MigrationsError,
}
