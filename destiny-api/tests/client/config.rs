//! What `build()` refuses, before anything is sent.

use destiny_api::{Client, Error};

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_at_build() {
    for url in [
        "http://www.acmdestiny.net/api/v1",
        "http://192.168.1.10/api/v1",
        "http://[2001:db8::1]/api/v1",
    ] {
        let err = Client::builder().base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        assert!(
            err.to_string().contains("danger_accept_insecure_http"),
            "{err}"
        );
    }
}

#[test]
fn plain_http_is_accepted_for_loopback_or_when_opted_in() {
    for url in [
        "http://127.0.0.1:8080/api/v1",
        "http://localhost/api/v1",
        "http://[::1]:80/api/v1",
    ] {
        Client::builder().base_url(url).build().unwrap();
    }
    Client::builder()
        .base_url("http://www.acmdestiny.net/api/v1")
        .danger_accept_insecure_http(true)
        .build()
        .unwrap();
}

#[test]
fn the_default_base_url_is_the_production_api_over_https() {
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://www.acmdestiny.net/api/v1");
}

#[test]
fn an_invalid_initial_token_is_refused_without_echoing_it() {
    let err = Client::builder()
        .base_url("http://127.0.0.1:9/api/v1")
        .token("s3cr3t tok\u{7}en")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cr3t"), "{text}");
}

#[test]
fn an_initial_token_with_its_scheme_is_accepted() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/api/v1")
        .token("bearer abc.def.ghi")
        .build()
        .unwrap();
    assert_eq!(client.token().unwrap().expose(), "abc.def.ghi");
}
