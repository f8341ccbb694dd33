//! The README's "Testing your code against Destiny" snippet, run as a test so it cannot rot,
//! and a check that the README still shows exactly this code.

#[tokio::test]
async fn my_feature_works() {
    let server = destiny_mock::MockServer::start().await;
    let client = destiny_api::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap();
    client.login("demo", "secret").await.unwrap();
    assert!(
        client
            .can("clients", "view", destiny_api::Scope::client(100))
            .await
            .unwrap()
    );
    assert!(
        !client
            .can("clients", "view", destiny_api::Scope::client(200))
            .await
            .unwrap()
    );
    assert_eq!(server.login_count(), 1);
}

/// The first `rust` code block of the README section `heading`.
fn readme_snippet(readme: &str, heading: &str) -> Option<String> {
    let section = &readme[readme.find(heading)?..];
    let start = section.find("```rust")?;
    let body = &section[start..];
    let body = &body[body.find('\n')? + 1..];
    Some(body[..body.find("```")?].to_owned())
}

#[test]
fn the_readme_shows_the_tested_example_verbatim() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let snippet = readme_snippet(&readme, "## Testing your code against Destiny")
        .expect("the README has the section with a rust code block");
    let this_file = include_str!("readme_example.rs");
    let test = &this_file[this_file.find("#[tokio::test]").unwrap()..];
    let test = &test[..test.find("\n}\n").unwrap() + 3];
    assert_eq!(
        snippet.trim(),
        test.trim(),
        "README.md's snippet differs from tests/e2e/tests/readme_example.rs; keep them equal"
    );
}
