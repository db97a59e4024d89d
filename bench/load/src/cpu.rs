//! CPU time a process has used, from `/proc/PID/stat`: what a server spends
//! per request, whatever the load generator beside it spends.

use std::sync::OnceLock;
use std::time::Duration;

use crate::Outcome;

/// User plus system time of every thread of `pid` so far.
pub fn used(pid: u32) -> Outcome<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name is in parentheses and may hold spaces: count fields
    // from the last `)`, whose next field is the state (field 3).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .ok_or("malformed /proc/PID/stat")?
        .1
        .split_whitespace()
        .collect();
    let ticks = |field: usize| -> Outcome<u64> {
        Ok(fields
            .get(field - 3)
            .ok_or("short /proc/PID/stat")?
            .parse::<u64>()?)
    };
    let (utime, stime) = (ticks(14)?, ticks(15)?);
    Ok(Duration::from_secs_f64(
        (utime + stime) as f64 / clock_ticks()? as f64,
    ))
}

/// Clock ticks a second, the unit of `/proc/PID/stat` times.
fn clock_ticks() -> Outcome<u64> {
    static TICKS: OnceLock<u64> = OnceLock::new();
    if let Some(ticks) = TICKS.get() {
        return Ok(*ticks);
    }
    let output = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()?;
    let ticks: u64 = String::from_utf8_lossy(&output.stdout).trim().parse()?;
    Ok(*TICKS.get_or_init(|| ticks))
}
