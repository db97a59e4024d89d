//! Turns PostgreSQL tests on when CAIRN_TEST_DATABASE_URL is set, so that a
//! run without PostgreSQL reports them as ignored instead of passing them.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(cairn_pg)");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_DATABASE_URL");
    if std::env::var("CAIRN_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=cairn_pg");
    }
}
