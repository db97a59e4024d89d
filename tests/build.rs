//! Turns optional tests on when what they need is there, so that a run
//! without it reports them as ignored instead of passing them: PostgreSQL
//! (CAIRN_TEST_DATABASE_URL), an S3-compatible server (CAIRN_TEST_S3_ENDPOINT),
//! Chromium (chromedriver installed, or CAIRN_TEST_BROWSER=1) and the
//! @strapi/client package from npm.

use std::path::Path;

/// Where Debian's `chromium-driver` package installs the driver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn main() {
    println!("cargo::rustc-check-cfg=cfg(cairn_pg)");
    println!("cargo::rustc-check-cfg=cfg(cairn_s3)");
    println!("cargo::rustc-check-cfg=cfg(cairn_browser)");
    println!("cargo::rustc-check-cfg=cfg(cairn_node)");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_DATABASE_URL");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_S3_ENDPOINT");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_BROWSER");
    if std::env::var("CAIRN_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=cairn_pg");
    }
    if std::env::var("CAIRN_TEST_S3_ENDPOINT").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=cairn_s3");
    }
    if Path::new(CHROMEDRIVER).exists() {
        println!("cargo::rerun-if-changed={CHROMEDRIVER}");
    }
    if Path::new(CHROMEDRIVER).exists()
        || std::env::var("CAIRN_TEST_BROWSER").is_ok_and(|v| v == "1")
    {
        println!("cargo::rustc-cfg=cairn_browser");
    }
    // The @strapi/client check runs once `npm ci --prefix tests/strapi-client` did.
    println!("cargo::rerun-if-changed=strapi-client");
    if Path::new("strapi-client/node_modules/@strapi/client/package.json").exists() {
        println!("cargo::rustc-cfg=cairn_node");
    }
}
