//! Every operation of `spec/destiny.yaml` is served: a request built from the spec's own
//! examples gets a status the spec documents for that operation, with a JSON body. A new
//! operation in the spec fails this test until the mock serves it.

use serde_json::Value as Json;
use serde_yaml::Value;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/destiny.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Follows a local `$ref` such as `#/components/schemas/LoginRequest`.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .trim_start_matches("#/")
            .split('/')
            .fold(spec, |at, key| &at[key]),
        None => node,
    }
}

/// The path with each `{param}` replaced by the parameter's example.
fn example_path(path: &str, operation: &Value) -> String {
    let mut concrete = path.to_owned();
    for parameter in operation["parameters"].as_sequence().into_iter().flatten() {
        if parameter["in"] == "path" {
            let name = parameter["name"].as_str().unwrap();
            let example = parameter["schema"]["example"].as_str().unwrap();
            concrete = concrete.replace(&format!("{{{name}}}"), example);
        }
    }
    concrete
}

fn example_body(spec: &Value, operation: &Value) -> Option<Json> {
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return None;
    }
    let example = resolve(spec, schema)["example"].clone();
    Some(serde_json::to_value(example).unwrap())
}

#[tokio::test]
async fn every_operation_of_the_spec_answers_a_documented_status_with_json() {
    let spec = spec();
    let server = destiny_mock::MockServer::start().await;
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{}/auth/login", server.base_url()))
        .json(&serde_json::json!({"username": "demo", "password": "secret"}))
        .send()
        .await
        .unwrap();
    let token = login.headers()["authorization"]
        .to_str()
        .unwrap()
        .to_owned();

    let mut served = Vec::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for (method, operation) in item.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            let id = operation["operationId"].as_str().unwrap();
            if id == "logout" {
                continue; // run last, so it does not revoke the token the others use
            }
            served.push(id.to_owned());
            check(&spec, &http, &server, &token, path, method, operation).await;
        }
    }
    let logout = &spec["paths"]["/auth/logout"]["post"];
    check(
        &spec,
        &http,
        &server,
        &token,
        "/auth/logout",
        "post",
        logout,
    )
    .await;
    served.push("logout".to_owned());
    assert!(served.contains(&"login".to_owned()), "{served:?}");
}

async fn check(
    spec: &Value,
    http: &reqwest::Client,
    server: &destiny_mock::MockServer,
    token: &str,
    path: &str,
    method: &str,
    operation: &Value,
) {
    let id = operation["operationId"].as_str().unwrap();
    let url = format!("{}{}", server.base_url(), example_path(path, operation));
    let mut request = http
        .request(method.to_uppercase().parse().unwrap(), url)
        .header("authorization", token);
    if let Some(body) = example_body(spec, operation) {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_str().to_owned();
    let documented = operation["responses"].get(status.as_str()).is_some();
    assert!(
        documented,
        "{id}: status {status} is not documented for {method} {path}"
    );
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "{id}"
    );
    let _: Json = response.json().await.unwrap();
}
