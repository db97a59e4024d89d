//! The Markdown report: one table per backend, ratios to the ceiling.

use std::fmt::Write;
use std::time::Duration;

use crate::{BackendReport, RunArgs, UNCACHED_Q1};

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

pub fn markdown(args: &RunArgs, reports: &[BackendReport]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} articles; wrk with 2 threads and {} connections for {} s per row.\n",
        args.installation.articles, args.connections, args.duration
    );
    for report in reports {
        let ceiling = report
            .ceiling
            .as_ref()
            .map_or(0.0, |c| c.requests_per_second);
        let _ = writeln!(out, "### {}\n", report.backend);
        let _ = writeln!(
            out,
            "| request | req/s | p50 | p99 | vs ceiling | server CPU/req | failed |"
        );
        let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        let references = [
            ("ceiling: Q1's bytes from memory", &report.ceiling),
            ("floor: Q1's page read, then its bytes", &report.floor),
        ];
        let references = references
            .into_iter()
            .filter_map(|(name, row)| Some((name, row.as_ref()?)));
        let rows = report.rows.iter().map(|(name, row)| (name.as_str(), row));
        for (name, row) in references.chain(rows) {
            let ratio = if ceiling > 0.0 {
                row.requests_per_second / ceiling * 100.0
            } else {
                0.0
            };
            let _ = writeln!(
                out,
                "| {name} | {:.0} | {} | {} | {ratio:.0} % | {:.1} µs | {} |",
                row.requests_per_second,
                ms(row.p50),
                ms(row.p99),
                row.cpu_per_request.as_secs_f64() * 1e6,
                row.failures
            );
        }
        let _ = writeln!(out);
        let uncached = report
            .rows
            .iter()
            .find(|(name, _)| name == UNCACHED_Q1)
            .map(|(_, row)| row.requests_per_second);
        if let (Some(floor), Some(uncached)) = (&report.floor, uncached)
            && floor.requests_per_second > 0.0
        {
            let _ = writeln!(
                out,
                "- uncached Q1 as a share of the floor: {:.0} %",
                uncached / floor.requests_per_second * 100.0
            );
        }
        if !report.admin.pages.is_empty() {
            let _ = writeln!(
                out,
                "\n| admin page, one editor | first byte p50 | first byte max | HTML transferred (br) |"
            );
            let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
            for page in &report.admin.pages {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {:.1} KB |",
                    page.name,
                    ms(page.first_byte_p50),
                    ms(page.first_byte_max),
                    page.bytes as f64 / 1000.0
                );
            }
            let _ = writeln!(
                out,
                "\n- the admin's stylesheet and script, loaded once and cached: {:.1} KB (br)\n",
                report.admin.asset_bytes as f64 / 1000.0
            );
        }
        let _ = writeln!(
            out,
            "- start to first 200 on /_health: {}",
            ms(report.start_to_ready)
        );
        let _ = writeln!(
            out,
            "- peak resident memory of the server: {:.1} MiB",
            report.peak_rss_kib as f64 / 1024.0
        );
        let _ = writeln!(
            out,
            "- first Q1 after a restart, counting the matches: {}",
            ms(report.cold_list)
        );
        let _ = writeln!(
            out,
            "- first Q3 after a start, matching every title: {}",
            ms(report.first_scan)
        );
        if let Some(first) = report.first_render {
            let _ = writeln!(
                out,
                "- first render of the 800 px WebP from the 12 MP JPEG (over HTTP): {}",
                ms(first)
            );
        }
        let _ = writeln!(
            out,
            "- database size: {:.1} MiB",
            report.database_bytes as f64 / (1024.0 * 1024.0)
        );
        let _ = writeln!(
            out,
            "- articles imported with `cairn content import`: {:.1} s\n",
            report.load_time.as_secs_f64()
        );
    }
    out
}
