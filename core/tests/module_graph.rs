//! The engine's top-level modules depend on each other in one direction:
//! a cycle means a shared piece lives in the wrong module (see
//! docs/ARCHITECTURE.md, "Where things live").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `folder`.
fn sources(folder: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    Ok(())
}

/// The top-level module a file belongs to: `schema` for `schema/ddl/plan.rs`.
fn module_of(root: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(root).ok()?.components().next()?;
    let name = first.as_os_str().to_str()?;
    Some(name.trim_end_matches(".rs").to_owned())
}

/// The top-level modules `code` names through `crate::`, braces included
/// (`use crate::{db::Db, error::Result}`). Comments are skipped.
fn references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let mut start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => start = true,
                        c if start && (c.is_alphanumeric() || c == '_') => {
                            let name: String = group[i..]
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            found.insert(name);
                            start = false;
                        }
                        _ => {}
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn top_level_modules_have_no_cycles() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files)?;
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&root, &file) else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        let code = std::fs::read_to_string(&file)?;
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(references(&code).into_iter().filter(|m| *m != module));
    }
    // Drop modules that depend on none of the others, or that none of the
    // others depend on, until only the modules on cycles remain.
    loop {
        let targets: BTreeSet<&String> = graph.values().flatten().collect();
        let off_cycle: Vec<String> = graph
            .iter()
            .filter(|(module, edges)| {
                !targets.contains(module) || edges.iter().all(|to| !graph.contains_key(to))
            })
            .map(|(module, _)| module.clone())
            .collect();
        if off_cycle.is_empty() {
            break;
        }
        for module in off_cycle {
            graph.remove(&module);
        }
    }
    assert!(
        graph.is_empty(),
        "these modules of cairn-core depend on each other in a cycle: {graph:#?}"
    );
    Ok(())
}
