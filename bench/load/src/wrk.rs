//! Load from a separate process: wrk (Debian's package), its report parsed.

use std::process::Command;
use std::time::Duration;

use crate::{Outcome, RunArgs, cpu};

/// What one measurement found.
#[derive(Debug, Clone, Default)]
pub struct Result {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub failures: u64,
    /// Requests completed.
    pub requests: u64,
    /// The server's CPU time per completed request.
    pub cpu_per_request: Duration,
}

/// Creates one article per request, with a unique title and slug.
pub const CREATE_SCRIPT: &str = r#"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  local body = string.format(
    '{"data":{"title":"Benchmark write %d %d","slug":"benchmark-write-%d-%d","body":"Written by the load generator.","views":%d,"rating":3.5}}',
    id, counter, id, counter, counter % 10000)
  return wrk.format("POST", nil, headers, body)
end
"#;

/// Runs wrk against `url` for the configured time, and measures the CPU
/// time the server (process `server`) spends meanwhile.
pub async fn run(
    server: u32,
    url: &str,
    token: Option<&str>,
    script: Option<&str>,
    args: &RunArgs,
) -> Outcome<Result> {
    let script_file = match script {
        Some(script) => {
            let file = tempfile::NamedTempFile::new()?;
            std::fs::write(file.path(), script)?;
            Some(file)
        }
        None => None,
    };
    let mut command = Command::new("wrk");
    command
        .arg("-t2")
        .arg(format!("-c{}", args.connections))
        .arg(format!("-d{}s", args.duration))
        .arg("--latency");
    if let Some(token) = token {
        command
            .arg("-H")
            .arg(format!("Authorization: Bearer {token}"));
    }
    if let Some(file) = &script_file {
        command.arg("-s").arg(file.path());
    }
    command.arg(url);
    let before = cpu::used(server)?;
    let output = tokio::task::spawn_blocking(move || command.output()).await??;
    let spent = cpu::used(server)?.saturating_sub(before);
    if !output.status.success() {
        return Err(format!("wrk: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut result = parse(&text).ok_or_else(|| format!("cannot read wrk's report:\n{text}"))?;
    if let Some(requests) = u32::try_from(result.requests).ok().filter(|n| *n > 0) {
        result.cpu_per_request = spent / requests;
    }
    Ok(result)
}

/// Reads wrk's report. A row where nothing completed (every request timed
/// out) is a finding, not an error: it reads as 0 requests a second.
fn parse(text: &str) -> Option<Result> {
    let mut result = Result::default();
    let mut rate = false;
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(value)) => {
                result.requests_per_second = value.parse().ok()?;
                rate = true;
            }
            (Some(count), Some("requests")) => result.requests = count.parse().ok()?,
            (Some("50%"), Some(value)) => result.p50 = duration(value)?,
            (Some("99%"), Some(value)) => result.p99 = duration(value)?,
            (Some("Non-2xx"), _) => {
                result.failures += line.rsplit(' ').next()?.parse::<u64>().ok()?
            }
            // `Socket errors: connect 0, read 0, write 0, timeout 12`
            (Some("Socket"), Some("errors:")) => {
                result.failures += words
                    .filter_map(|word| word.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    rate.then_some(result)
}

/// `812.00us`, `1.23ms`, `2.01s`.
fn duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => number / 1e6,
        "ms" => number / 1e3,
        "s" => number,
        "m" => number * 60.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_reports() {
        let report = "Running 2s test @ http://127.0.0.1:1/\n  2 threads and 32 connections\n  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     99%    3.21ms\n  20000 requests in 2.00s\n  Non-2xx or 3xx responses: 3\nRequests/sec:  10000.50\n";
        let result = parse(report).unwrap_or_default();
        assert_eq!(result.p50, Duration::from_micros(812));
        assert_eq!(result.p99, Duration::from_micros(3210));
        assert_eq!(result.failures, 3);
        assert_eq!(result.requests, 20000);
        assert!((result.requests_per_second - 10000.5).abs() < 1e-9);
    }

    #[test]
    fn a_row_where_every_request_timed_out_reads_as_zero() {
        let report = "Running 10s test @ http://127.0.0.1:1/\n  Latency Distribution\n     50%    0.00us\n     99%    0.00us\n  0 requests in 10.02s, 0.00B read\n  Socket errors: connect 0, read 1, write 0, timeout 32\nRequests/sec:      0.00\n";
        let result = parse(report).unwrap_or_else(|| panic!("a report"));
        assert_eq!(result.requests_per_second, 0.0);
        assert_eq!(result.failures, 33);
        assert!(parse("wrk: cannot connect").is_none());
    }
}
