//! Guards the generated client: a spec change or a progenitor upgrade shows up here as a
//! reviewable snapshot diff (`cargo insta review`), and a stale `destiny-gen/src/generated.rs`
//! fails the suite.

#[test]
fn generated_client_matches_the_snapshot() {
    let generated = xtask::generate(&xtask::spec_path()).expect("the spec generates a client");
    insta::assert_snapshot!("destiny_gen_generated", generated);
}

#[test]
fn committed_generated_source_is_what_the_spec_generates_now() {
    let generated = xtask::generate(&xtask::spec_path()).expect("the spec generates a client");
    let path = xtask::generated_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale; run `cargo xtask regen`:\n{}",
        path.display(),
        xtask::unified_diff(&committed, &generated, &path)
    );
}

#[test]
fn every_operation_of_the_spec_has_a_generated_method_with_its_description() {
    let spec = xtask::load_spec(&xtask::spec_path()).expect("the spec parses");
    let generated = std::fs::read_to_string(xtask::generated_path()).expect("generated source");
    for (_, _, op) in spec.operations() {
        let id = op
            .operation_id
            .as_deref()
            .expect("every operation has an operationId");
        assert!(
            generated.contains(&format!("pub fn {id}(&self)")),
            "no method for operation {id}"
        );
        // progenitor drops the summary's final period.
        let summary = op
            .summary
            .as_deref()
            .expect("every operation has a summary");
        assert!(
            generated.contains(summary.trim_end_matches('.')),
            "operation {id} lost its summary"
        );
        let description = op
            .description
            .as_deref()
            .expect("every operation has a description");
        let first_line = description.lines().next().unwrap_or_default();
        assert!(
            generated.contains(first_line),
            "operation {id} lost its description"
        );
    }
}

#[test]
fn an_unreadable_spec_is_reported_with_file_and_line_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("xtask-bad-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "openapi: 3.0.3\ninfo:\n  title: x\n  version: [1\n").unwrap();
    let message = format!("{:#}", xtask::generate(&bad).unwrap_err());
    assert!(message.contains("bad.yaml:4:"), "{message}");

    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: string}}}}\n        '204': {description: empty}\n",
    )
    .unwrap();
    let message = format!("{:#}", xtask::generate(&bad).unwrap_err());
    assert!(message.contains("bad.yaml"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}
