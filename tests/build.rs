//! Turns PostgreSQL tests on when CAIRN_TEST_DATABASE_URL is set, and browser
//! tests when chromedriver is installed (or CAIRN_TEST_BROWSER=1), so that a
//! run without them reports those tests as ignored instead of passing them.

use std::path::Path;

/// Where Debian's `chromium-driver` package installs the driver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(cairn_pg)");
    println!("cargo::rustc-check-cfg=cfg(cairn_browser)");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_BROWSER");
    if std::env::var("CAIRN_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=cairn_pg");
    }
    if Path::new(CHROMEDRIVER).exists() {
        println!("cargo::rerun-if-changed={CHROMEDRIVER}");
    }
    if Path::new(CHROMEDRIVER).exists()
        || std::env::var("CAIRN_TEST_BROWSER").is_ok_and(|v| v == "1")
    {
        println!("cargo::rustc-cfg=cairn_browser");
    }
}
