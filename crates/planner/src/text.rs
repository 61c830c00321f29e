//! The plan as a runbook for a person (`--format text`).

use std::fmt::Write;

use astrola_core::stats::{human_bytes, human_count};

use crate::plan::{BatchStrategy, Phase, PhaseKind, Plan, Step, StepKind};

pub(crate) fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let steps = plan.steps().count();
    if steps == 0 {
        out.push_str("Nothing to do: the schemas are the same.\n");
    } else {
        let approvals = plan.steps().filter(|s| s.approval.is_some()).count();
        let blocking = plan.steps().filter(|s| s.blocking.is_some()).count();
        let _ = writeln!(out, "Online migration plan: {steps} step{} for PostgreSQL.", if steps == 1 { "" } else { "s" });
        if approvals > 0 {
            let _ = writeln!(out, "{approvals} step{} need{} approval before running.", if approvals == 1 { "" } else { "s" }, if approvals == 1 { "s" } else { "" });
        }
        if blocking > 0 {
            let _ = writeln!(out, "{blocking} step{} cannot run online and block{} writes while running.", if blocking == 1 { "" } else { "s" }, if blocking == 1 { "s" } else { "" });
        }
    }
    for phase in &plan.phases {
        if phase.steps.is_empty() && phase.gate.is_none() {
            continue;
        }
        render_phase(phase, &mut out);
    }
    if !plan.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &plan.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

fn phase_title(kind: PhaseKind) -> &'static str {
    match kind {
        PhaseKind::Expand => "Expand: additive changes old code tolerates",
        PhaseKind::Backfill => "Backfill: batched copies into the new representations",
        PhaseKind::Validate => "Validate: constraints checked without blocking writes",
        PhaseKind::Contract => "Contract: switch to the new representations and remove the old ones",
    }
}

fn render_phase(phase: &Phase, out: &mut String) {
    let _ = writeln!(out, "\n== {} ==", phase_title(phase.kind));
    for step in &phase.steps {
        render_step(step, out);
    }
    if let Some(g) = &phase.gate {
        let _ = writeln!(out, "\n>> GATE [{}]: {}", g.id, g.description);
        out.push_str(">> Stop here. Go on with the next phase only once this is true.\n");
    }
}

fn ms(v: Option<u64>) -> String {
    match v {
        Some(ms) if ms % 1000 == 0 => format!("{} s", ms / 1000),
        Some(ms) => format!("{ms} ms"),
        None => "none".to_string(),
    }
}

fn duration(seconds: f64) -> String {
    if seconds < 1.0 {
        "under a second".to_string()
    } else if seconds < 120.0 {
        format!("~{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("~{:.0} min", seconds / 60.0)
    } else {
        format!("~{:.1} h", seconds / 3600.0)
    }
}

fn indent(text: &str, by: &str, out: &mut String) {
    for line in text.lines() {
        let _ = writeln!(out, "{by}{line}");
    }
}

fn render_step(s: &Step, out: &mut String) {
    let _ = writeln!(out, "\n[{}] {}", s.id, s.description);
    if let Some(b) = &s.blocking {
        let _ = writeln!(out, "  BLOCKING: holds {} while it runs{}: {}", b.lock.with_article(), b.estimated_seconds.map(|x| format!(" ({})", duration(x))).unwrap_or_default(), b.reason);
    }
    if let Some(a) = &s.approval {
        let _ = writeln!(out, "  APPROVAL NEEDED: {}{}", a.reason, a.rows.map(|r| format!(" ({} rows)", human_count(r))).unwrap_or_default());
    }
    match &s.lock {
        Some(l) => {
            let effect = if l.mode.blocks_writes() { "writes wait while it is held or queued" } else { "reads and writes go on" };
            let _ = writeln!(out, "  lock:      {} on {} ({effect})", l.mode, l.table);
        }
        None => out.push_str("  lock:      none of note\n"),
    }
    let how = if s.kind == StepKind::Backfill {
        "batches, each its own transaction"
    } else if s.transactional {
        "in one transaction"
    } else {
        "outside a transaction, statement by statement"
    };
    let _ = writeln!(out, "  runs:      {how}; lock_timeout {}, statement_timeout {}", ms(s.lock_timeout_ms), ms(s.statement_timeout_ms));
    let _ = writeln!(out, "  retry:     up to {} attempts on {} (backoff {} doubling, at most {})", s.retry.max_attempts, s.retry.retry_on.join(", "), ms(Some(s.retry.backoff_ms)), ms(Some(s.retry.max_backoff_ms)));
    if let Some(e) = &s.estimate {
        let mut parts = Vec::new();
        if let Some(r) = e.rows {
            parts.push(format!("{} rows", human_count(r)));
        }
        if let Some(b) = e.bytes {
            parts.push(human_bytes(b));
        }
        if let Some(x) = e.seconds {
            parts.push(duration(x));
        }
        let _ = writeln!(out, "  estimate:  {} ({})", parts.join(", "), e.basis);
    }
    if !s.preflight.is_empty() {
        out.push_str("  pre-flight (each must return 0):\n");
        for c in &s.preflight {
            let _ = writeln!(out, "    - {}:", c.description);
            let _ = writeln!(out, "        {};", c.sql);
        }
    }
    if !s.sql.is_empty() {
        out.push_str("  sql:\n");
        for stmt in &s.sql {
            indent(stmt, "    ", out);
        }
    }
    if let Some(b) = &s.backfill {
        let key = match b.strategy {
            BatchStrategy::Keyset => format!("keyset on ({})", b.key.join(", ")),
            BatchStrategy::Ctid => "ctid page ranges".to_string(),
        };
        let _ = writeln!(out, "  backfill:  {} on {}, {key}", b.description, b.table);
        let unit = if b.strategy == BatchStrategy::Ctid { "pages" } else { "rows" };
        let adapt = b.batch.target_duration_ms.map(|t| format!(", adapting to {t} ms per batch within {}..{}", b.batch.min_size, b.batch.max_size)).unwrap_or_default();
        let _ = writeln!(out, "  batches:   {} {unit}{adapt}; pause {} ms", b.batch.size, b.throttle.pause_ms);
        if let Some(q) = &b.throttle.lag_query {
            let _ = writeln!(out, "  lag:       wait while `{q}` exceeds {} ms", b.throttle.max_lag_ms.map(|m| m.to_string()).unwrap_or_else(|| "?".into()));
        }
        if !b.throttle.windows.is_empty() {
            let w: Vec<String> = b.throttle.windows.iter().map(|w| format!("{}-{}", w.start, w.end)).collect();
            let _ = writeln!(out, "  windows:   {} UTC", w.join(", "));
        }
        if let Some(c) = &b.caveat {
            let _ = writeln!(out, "  CAVEAT:    {c}");
        }
        out.push_str("  first batch ($1 = batch size):\n");
        indent(&b.first_batch_sql, "    ", out);
        out.push_str("  next batches ($1.. = checkpoint, then batch size):\n");
        indent(&b.next_batch_sql, "    ", out);
        let _ = writeln!(out, "  verify:    rows left (must reach 0): {}", b.verify.remaining_sql);
        let _ = writeln!(out, "             row count: {}", b.verify.row_count_sql);
        let _ = writeln!(out, "             checksum per key range: {}", b.verify.checksum_sql);
    }
    if s.rollback.is_empty() {
        let _ = writeln!(out, "  rollback:  {}", if s.reversible { "nothing to undo" } else { "none: the step cannot be undone" });
    } else {
        let _ = writeln!(out, "  rollback ({}):", if s.reversible { "reversible" } else { "loses data" });
        for stmt in &s.rollback {
            indent(stmt, "    ", out);
        }
    }
}
