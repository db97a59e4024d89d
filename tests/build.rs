//! Turns optional tests on when what they need is there, so that a run
//! without it reports them as ignored instead of passing them: PostgreSQL
//! (CAIRN_TEST_DATABASE_URL) and the @strapi/client package from npm.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(cairn_pg)");
    println!("cargo::rerun-if-env-changed=CAIRN_TEST_DATABASE_URL");
    if std::env::var("CAIRN_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=cairn_pg");
    }
    // The @strapi/client check runs once `npm ci --prefix tests/strapi-client` did.
    println!("cargo::rustc-check-cfg=cfg(cairn_node)");
    println!("cargo::rerun-if-changed=strapi-client");
    if std::path::Path::new("strapi-client/node_modules/@strapi/client/package.json").exists() {
        println!("cargo::rustc-cfg=cairn_node");
    }
}
