//! Estimates from `--stats`: rows and bytes a step touches and a rough
//! duration, from throughput assumptions stated in each estimate's `basis`.

use astrola_core::stats::{human_bytes, human_count, TableStats};

use crate::plan::Estimate;
use crate::PlanOptions;

/// Sequential scan throughput assumed: 200 MiB/s.
const SCAN_BYTES_PER_SEC: f64 = 200.0 * 1024.0 * 1024.0;
/// Rows scanned per second when only a row count is known.
const SCAN_ROWS_PER_SEC: f64 = 1_000_000.0;
/// Index build throughput (scan + sort + write): 250k rows/s; a concurrent
/// build scans twice.
const INDEX_ROWS_PER_SEC: f64 = 250_000.0;
/// Table rewrite throughput (heap and indexes written again): 50 MiB/s, or
/// 100k rows/s.
const REWRITE_BYTES_PER_SEC: f64 = 50.0 * 1024.0 * 1024.0;
const REWRITE_ROWS_PER_SEC: f64 = 100_000.0;
/// Backfill throughput: 5k rows/s of batched updates, pauses aside.
const BACKFILL_ROWS_PER_SEC: f64 = 5_000.0;

fn size_words(s: &TableStats) -> String {
    let mut parts = Vec::new();
    if let Some(r) = s.rows {
        parts.push(format!("{} rows", human_count(r)));
    }
    if let Some(b) = s.bytes {
        parts.push(human_bytes(b));
    }
    parts.join(", ")
}

/// A full scan (VALIDATE, SET NOT NULL before PostgreSQL 12).
pub(crate) fn scan(stats: Option<TableStats>, what: &str) -> Option<Estimate> {
    let s = stats?;
    let seconds = match (s.bytes, s.rows) {
        (Some(b), _) => Some(b as f64 / SCAN_BYTES_PER_SEC),
        (None, Some(r)) => Some(r as f64 / SCAN_ROWS_PER_SEC),
        _ => None,
    };
    Some(Estimate { rows: s.rows, bytes: s.bytes, seconds, basis: format!("{what}: {}, assuming sequential scans at 200 MiB/s (1M rows/s without a size)", size_words(&s)) })
}

/// An index build; `concurrent` builds scan the table twice.
pub(crate) fn index_build(stats: Option<TableStats>, concurrent: bool) -> Option<Estimate> {
    let s = stats?;
    let passes = if concurrent { 2.0 } else { 1.0 };
    let seconds = s.rows.map(|r| passes * r as f64 / INDEX_ROWS_PER_SEC).or(s.bytes.map(|b| passes * b as f64 / SCAN_BYTES_PER_SEC));
    Some(Estimate {
        rows: s.rows,
        bytes: s.bytes,
        seconds,
        basis: format!("{}: an index build at 250k rows/s{}", size_words(&s), if concurrent { ", twice for the two scans of a concurrent build" } else { "" }),
    })
}

/// A table rewrite under ACCESS EXCLUSIVE.
pub(crate) fn rewrite(stats: Option<TableStats>) -> Option<Estimate> {
    let s = stats?;
    let seconds = match (s.bytes, s.rows) {
        (Some(b), _) => Some(b as f64 / REWRITE_BYTES_PER_SEC),
        (None, Some(r)) => Some(r as f64 / REWRITE_ROWS_PER_SEC),
        _ => None,
    };
    Some(Estimate { rows: s.rows, bytes: s.bytes, seconds, basis: format!("{}: a rewrite of the table and its indexes at 50 MiB/s (100k rows/s without a size)", size_words(&s)) })
}

/// A batched backfill, pauses included.
pub(crate) fn backfill(stats: Option<TableStats>, options: &PlanOptions) -> Option<Estimate> {
    let s = stats?;
    let rows = s.rows?;
    let batches = rows.div_ceil(options.batch_size.max(1));
    let seconds = rows as f64 / BACKFILL_ROWS_PER_SEC + batches as f64 * options.pause_ms as f64 / 1000.0;
    Some(Estimate {
        rows: Some(rows),
        bytes: s.bytes,
        seconds: Some(seconds),
        basis: format!("{}: {batches} batches of {} rows at 5k rows/s of batched updates, plus {} ms of pause per batch", size_words(&s), options.batch_size, options.pause_ms),
    })
}

/// Just the rows a step affects (a drop: instant, but the data goes).
pub(crate) fn rows_only(stats: Option<TableStats>, what: &str) -> Option<Estimate> {
    let s = stats?;
    Some(Estimate { rows: s.rows, bytes: s.bytes, seconds: None, basis: format!("{what}: {}", size_words(&s)) })
}
