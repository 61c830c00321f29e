//! A fast pass that finds where statements end, for cutting a large file
//! into pieces that parse on their own (in parallel).
//!
//! It follows PostgreSQL's lexical rules for what can hide a semicolon:
//! quoted strings (`'...'`, `E'...'` with backslash escapes), quoted
//! identifiers, dollar-quoted strings, `--` and nested `/* */` comments. It
//! does not know `BEGIN ATOMIC ... END` bodies or psql meta-commands, so it
//! only proposes cuts: a piece that ends inside such a body does not parse,
//! and a caller that parses the pieces must fall back to
//! [`statement_ranges`](super::statement_ranges) when one fails. A piece
//! that parses on its own ends where PostgreSQL's own lexer is between
//! statements (an unterminated string, identifier, comment or body is a
//! syntax error), so a cut can be wrong only by failing.

/// Offsets just after every `statements`-th top-level semicolon of `sql`,
/// and `sql.len()` last: the ends of pieces of about `statements`
/// statements each. Empty for empty input.
pub fn piece_ends(sql: &str, statements: usize) -> Vec<usize> {
    let bytes = sql.as_bytes();
    let statements = statements.max(1);
    let mut ends = Vec::new();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b';' => {
                count += 1;
                i += 1;
                if count % statements == 0 {
                    ends.push(i);
                }
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr(b'\n', bytes, i).map_or(bytes.len(), |n| n + 1);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(bytes, i);
                continue;
            }
            b'\'' => {
                let backslashes = i > 0 && matches!(bytes[i - 1], b'E' | b'e') && !(i > 1 && is_ident_byte(bytes[i - 2]));
                i = quoted_end(bytes, i, b'\'', backslashes);
                continue;
            }
            b'"' => {
                i = quoted_end(bytes, i, b'"', false);
                continue;
            }
            b'$' if i == 0 || !is_ident_byte(bytes[i - 1]) => {
                if let Some(end) = dollar_quoted_end(bytes, i) {
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if ends.last() != Some(&bytes.len()) && !bytes.is_empty() {
        ends.push(bytes.len());
    }
    ends
}

/// The length of the whitespace and comments at the start of `text`.
pub fn leading_trivia(text: &str) -> usize {
    super::leading_trivia(text)
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..].iter().position(|&b| b == needle).map(|p| from + p)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The offset after the `*/` closing the comment opened at `start`
/// (comments nest), or the end of input.
fn block_comment_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The offset after the quote closing the one at `start` (a doubled quote
/// is an escaped one; with `backslashes`, so is a backslash-escaped one),
/// or the end of input.
fn quoted_end(bytes: &[u8], start: usize, quote: u8, backslashes: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if backslashes && b == b'\\' {
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// If a dollar quote (`$$` or `$tag$`) opens at `start`, the offset after
/// the matching close (or the end of input).
fn dollar_quoted_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if let Some(&first) = bytes.get(i) {
        if first != b'$' {
            if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
                return None;
            }
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80) {
                i += 1;
            }
            if bytes.get(i) != Some(&b'$') {
                return None;
            }
        }
    } else {
        return None;
    }
    let tag = &bytes[start..=i];
    let body = i + 1;
    let close = bytes[body..].windows(tag.len()).position(|w| w == tag);
    Some(close.map_or(bytes.len(), |p| body + p + tag.len()))
}

#[cfg(test)]
mod tests {
    use super::piece_ends;

    #[test]
    fn semicolons_inside_strings_comments_and_bodies_do_not_end_statements() {
        let sql = "SELECT 'a;b'; SELECT E'\\';'; SELECT \"x;\"; -- c;\nSELECT 1 /* a /* ; */ ; */; CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql; SELECT $$;$$; SELECT a$b; SELECT 2";
        let ends = piece_ends(sql, 1);
        let pieces: Vec<&str> = std::iter::once(0).chain(ends.iter().copied()).collect::<Vec<_>>().windows(2).map(|w| sql[w[0]..w[1]].trim()).collect();
        assert_eq!(
            pieces,
            [
                "SELECT 'a;b';",
                "SELECT E'\\';';",
                "SELECT \"x;\";",
                "-- c;\nSELECT 1 /* a /* ; */ ; */;",
                "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;",
                "SELECT $$;$$;",
                "SELECT a$b;",
                "SELECT 2"
            ]
        );
    }

    #[test]
    fn pieces_group_statements_and_cover_the_input() {
        assert_eq!(piece_ends("a; b; c; d", 2), [5, 10]);
        assert_eq!(piece_ends("a; b;", 2), [5]);
        assert!(piece_ends("", 2).is_empty());
        // Unterminated constructs run to the end instead of failing here.
        assert_eq!(piece_ends("a; 'b; c", 1), [2, 8]);
        assert_eq!(piece_ends("a; $x$ b; c", 1), [2, 11]);
    }
}
