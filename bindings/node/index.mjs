// The `astrola` package (ES module): the same exports as index.js.
import astrola from './index.js'

export const {
  parseSchema,
  parseSchemaAsync,
  diff,
  diffAsync,
  drift,
  driftAsync,
  Schema,
  Table,
  Column,
  Index,
  Constraint,
  View,
  Sequence,
  TypeDef,
  FunctionDef,
  Extension,
  ChangeSet,
  Change,
  DriftReport,
  Drift,
  AstrolaError,
  ParseError,
  SchemaJsonError,
  UnsupportedError,
  DialectMismatchError,
  DestructiveChangeError,
  UnmanagedDifferenceError,
  InvalidArgumentError,
} = astrola
export default astrola
