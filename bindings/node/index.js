'use strict'
// The `astrola` package (CommonJS): the native addon built by `napi build`
// (astrola.node) and the error classes it throws (errors.js).

const native = require('./astrola.node')
const errors = require('./errors.js')

native.registerErrorClasses(errors)

module.exports = {
  parseSchema: native.parseSchema,
  parseSchemaAsync: native.parseSchemaAsync,
  diff: native.diff,
  diffAsync: native.diffAsync,
  drift: native.drift,
  driftAsync: native.driftAsync,
  lint: native.lint,
  lintAsync: native.lintAsync,
  rules: native.rules,
  applyFixes: native.applyFixes,
  Schema: native.Schema,
  Table: native.Table,
  Column: native.Column,
  Index: native.Index,
  Constraint: native.Constraint,
  View: native.View,
  Sequence: native.Sequence,
  TypeDef: native.TypeDef,
  FunctionDef: native.FunctionDef,
  Extension: native.Extension,
  ChangeSet: native.ChangeSet,
  Change: native.Change,
  DriftReport: native.DriftReport,
  Drift: native.Drift,
  Diagnostic: native.Diagnostic,
  classify: native.classify,
  classifyAsync: native.classifyAsync,
  mask: native.mask,
  kAnonymity: native.kAnonymity,
  PiiReport: native.PiiReport,
  ColumnReport: native.ColumnReport,
  Finding: native.Finding,
  plan: native.plan,
  planAsync: native.planAsync,
  Plan: native.Plan,
  merge: native.merge,
  mergeAsync: native.mergeAsync,
  mergeHistories: native.mergeHistories,
  mergeHistoriesAsync: native.mergeHistoriesAsync,
  Merge: native.Merge,
  Conflict: native.Conflict,
  HistoryMerge: native.HistoryMerge,
  ...errors,
}
