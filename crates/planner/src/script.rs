//! The runnable scripts, one per step (`--format sql`), for psql.

use std::fmt::Write;

use astrola_core::ident::quote_literal;

use crate::plan::{Backfill, BatchStrategy, Plan, Script, Step, StepKind};

pub(crate) fn render(plan: &Plan) -> Vec<Script> {
    let mut out = Vec::new();
    for (n, step) in plan.steps().enumerate() {
        out.push(Script { name: format!("{:03}-{}.sql", n + 1, step.id), step: step.id.clone(), sql: script(step, plan) });
    }
    out
}

fn comment(text: &str, out: &mut String) {
    for line in text.lines() {
        let _ = writeln!(out, "-- {line}");
    }
}

fn script(s: &Step, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "-- {}: {}", s.id, s.description.replace('\n', " "));
    if let Some(l) = &s.lock {
        let _ = writeln!(out, "-- lock: {} on {}", l.mode, l.table);
    }
    if let Some(b) = &s.blocking {
        let _ = writeln!(out, "-- BLOCKING ({}): {}", b.lock, b.reason);
    }
    if let Some(a) = &s.approval {
        let _ = writeln!(out, "-- APPROVAL NEEDED: {}{}", a.reason, a.rows.map(|r| format!(" ({r} rows)")).unwrap_or_default());
    }
    let _ = writeln!(out, "-- retry: up to {} attempts on SQLSTATE {}", s.retry.max_attempts, s.retry.retry_on.join(", "));
    for c in &s.preflight {
        let _ = writeln!(out, "-- pre-flight, must return 0 ({}):", c.description);
        comment(&format!("{};", c.sql), &mut out);
    }
    if let Some(g) = plan.phases.iter().find(|p| p.steps.last().is_some_and(|l| l.id == s.id)).and_then(|p| p.gate.as_ref()) {
        let _ = writeln!(out, "-- after this step, GATE [{}]: {}", g.id, g.description);
    }
    out.push_str("\\set ON_ERROR_STOP on\n");
    if s.kind == StepKind::Backfill {
        if let Some(b) = &s.backfill {
            backfill_script(s, b, &mut out);
        }
        return out;
    }
    let (set, reset) = if s.transactional { ("SET LOCAL", false) } else { ("SET", true) };
    if s.transactional {
        out.push_str("BEGIN;\n");
    }
    let _ = writeln!(out, "{set} lock_timeout = '{}ms';", s.lock_timeout_ms.unwrap_or(0));
    let _ = writeln!(out, "{set} statement_timeout = '{}ms';", s.statement_timeout_ms.unwrap_or(0));
    for stmt in &s.sql {
        out.push_str(stmt);
        out.push('\n');
    }
    if s.transactional {
        out.push_str("COMMIT;\n");
    }
    if reset {
        out.push_str("RESET lock_timeout;\nRESET statement_timeout;\n");
    }
    out
}

/// A DO block that runs the batches, committing after each (PostgreSQL 11
/// and later allow COMMIT in a DO block run outside a transaction). It
/// raises a NOTICE with each checkpoint; to resume, put the last one into
/// `checkpoint` and run again. Time windows are the executor's job.
fn backfill_script(s: &Step, b: &Backfill, out: &mut String) {
    let k = b.key.len();
    let vars: Vec<String> = (1..=k).map(|i| format!("k{i}")).collect();
    let mut tag = "$astrola$".to_string();
    while b.first_batch_sql.contains(&tag) || b.next_batch_sql.contains(&tag) {
        tag.insert(1, '_');
    }
    let unit = if b.strategy == BatchStrategy::Ctid { "pages" } else { "rows" };
    let _ = writeln!(out, "-- backfill: {} ({} {unit} per batch, pause {} ms)", b.description, b.batch.size, b.throttle.pause_ms);
    if let Some(c) = &b.caveat {
        let _ = writeln!(out, "-- CAVEAT: {c}");
    }
    if !b.throttle.windows.is_empty() {
        out.push_str("-- time windows are not enforced by this script: run it inside them\n");
    }
    let _ = writeln!(out, "SET lock_timeout = '{}ms';", s.lock_timeout_ms.unwrap_or(0));
    let _ = writeln!(out, "SET statement_timeout = '{}ms';", s.statement_timeout_ms.unwrap_or(0));
    let _ = writeln!(out, "DO {tag}");
    out.push_str("DECLARE\n");
    for v in &vars {
        let _ = writeln!(out, "  {v} text;");
    }
    out.push_str("  lag numeric;\n  batches bigint := 0;\n");
    let _ = writeln!(out, "  batch_size text := {};", quote_literal(&b.batch.size.to_string()));
    out.push_str("BEGIN\n");
    let _ = writeln!(out, "  EXECUTE {} INTO {} USING batch_size;", quote_literal(&b.first_batch_sql), vars.join(", "));
    let _ = writeln!(out, "  WHILE k1 IS NOT NULL LOOP");
    out.push_str("    COMMIT;\n    batches := batches + 1;\n");
    let _ = writeln!(out, "    RAISE NOTICE 'checkpoint after batch %: %', batches, concat_ws(',', {});", vars.join(", "));
    if b.throttle.pause_ms > 0 {
        let _ = writeln!(out, "    PERFORM pg_sleep({});", b.throttle.pause_ms as f64 / 1000.0);
    }
    if let (Some(q), Some(max)) = (&b.throttle.lag_query, b.throttle.max_lag_ms) {
        let _ = writeln!(out, "    LOOP\n      EXECUTE {} INTO lag;\n      EXIT WHEN lag IS NULL OR lag <= {max};\n      PERFORM pg_sleep(1);\n    END LOOP;", quote_literal(q));
    }
    let _ = writeln!(out, "    EXECUTE {} INTO {} USING {}, batch_size;", quote_literal(&b.next_batch_sql), vars.join(", "), vars.join(", "));
    out.push_str("  END LOOP;\n  COMMIT;\n");
    let _ = writeln!(out, "  EXECUTE {} INTO lag;", quote_literal(&b.verify.remaining_sql));
    out.push_str("  RAISE NOTICE 'backfill done after % batches; rows left: %', batches, lag;\n");
    let _ = writeln!(out, "END\n{tag};");
    out.push_str("RESET lock_timeout;\nRESET statement_timeout;\n");
}
