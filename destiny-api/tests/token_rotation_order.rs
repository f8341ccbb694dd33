//! The token cell under an out-of-order storm: many concurrent responses, each carrying a
//! distinct JWT-shaped token, offered in random order from many threads. Whatever the
//! interleaving, the cell must end with the token of the highest `iat`, never step back on
//! the way, and its watch channel must end on the same token.
//!
//! Every storm here models a causal server (a response to a request carrying token `T`
//! never carries a token issued before `T`), the assumption behind the cell's fast path: in
//! the first storms all requests carry the initial token and every response's token is newer;
//! in the causal storm each `iat` is issued when the request is received.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use destiny_api::token::{Adoption, BearerToken, TokenCell, TokenRejected};
use rand::Rng;
use rand::seq::SliceRandom;
use reqwest::header::HeaderValue;

const TASKS: usize = 1_000;
const RUNS: usize = 20;
/// In the roughly ascending runs, how many offers race at a time.
const WINDOW: usize = 8;
const BASE_IAT: i64 = 1_700_000_000;

/// A token shaped like the server's: `header.payload.signature`, base64url without padding.
fn jwt(iat: i64, jti: usize) -> BearerToken {
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"HS256"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(
        r#"{{"iat":{iat},"exp":{},"sub":8415,"jti":"{jti}"}}"#,
        iat + 7 * 24 * 3600
    ));
    let signature = URL_SAFE_NO_PAD.encode(format!("signature-{jti}"));
    // As received: in a response header, with the scheme capitalised for good measure.
    let value = HeaderValue::from_str(&format!("Bearer {header}.{payload}.{signature}")).unwrap();
    BearerToken::from_header_value(&value).unwrap()
}

fn iat_of(token: &BearerToken) -> i64 {
    token.claims().and_then(|claims| claims.iat).unwrap()
}

/// One storm: `TASKS` offers of tokens with a random permutation of distinct `iat`s, each
/// after a random pause, all sent with the same token. Returns the number of adoptions.
async fn storm(run: usize) -> usize {
    let initial = jwt(BASE_IAT, usize::MAX);
    let cell = Arc::new(TokenCell::new(Some(initial)));
    let sent = cell.current();
    let mut rotations = cell.subscribe();

    let mut iats: Vec<i64> = (1..=TASKS as i64).map(|i| BASE_IAT + i).collect();
    iats.shuffle(&mut rand::rng());
    let highest = BASE_IAT + TASKS as i64;

    // A reader that checks the cell never steps back while the storm runs.
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (cell, done) = (Arc::clone(&cell), Arc::clone(&done));
        tokio::spawn(async move {
            let mut last = BASE_IAT;
            let mut reads = 0u32;
            while !done.load(Ordering::Acquire) && reads < 1_000_000 {
                let now = iat_of(&cell.current().unwrap());
                assert!(
                    now >= last,
                    "run {run}: the cell went back from iat {last} to {now}"
                );
                last = now;
                reads += 1;
                tokio::task::yield_now().await;
            }
        })
    };

    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let offered = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = iats
        .into_iter()
        .enumerate()
        .map(|(jti, iat)| {
            let (cell, sent) = (Arc::clone(&cell), sent.clone());
            let (barrier, offered) = (Arc::clone(&barrier), Arc::clone(&offered));
            tokio::spawn(async move {
                let candidate = jwt(iat, jti);
                let (yields, sleep_micros) = {
                    let mut rng = rand::rng();
                    (rng.random_range(0..4u32), rng.random_range(0..1_500u64))
                };
                barrier.wait().await;
                if run % 2 == 1 {
                    // Roughly ascending: wait until all but WINDOW older tokens were offered,
                    // so that nearly every offer is an adoption racing WINDOW others.
                    let rank = usize::try_from(iat - BASE_IAT).unwrap();
                    let mut spins = 0u32;
                    while offered.load(Ordering::Acquire) + WINDOW < rank && spins < 1_000_000 {
                        spins += 1;
                        tokio::task::yield_now().await;
                    }
                } else if sleep_micros >= 500 {
                    // Any order: a random pause of up to 1.5 ms.
                    tokio::time::sleep(Duration::from_micros(sleep_micros)).await;
                }
                for _ in 0..yields {
                    tokio::task::yield_now().await;
                }
                let adoption = cell.offer(sent.as_ref(), candidate);
                offered.fetch_add(1, Ordering::AcqRel);
                adoption
            })
        })
        .collect();

    let mut adopted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Adoption::Adopted => adopted += 1,
            Adoption::Stale => {}
            Adoption::Unchanged => panic!("run {run}: every token of the storm is distinct"),
        }
    }
    done.store(true, Ordering::Release);
    watcher.await.unwrap();

    let stored = cell.current().unwrap();
    assert_eq!(
        iat_of(&stored),
        highest,
        "run {run}: the newest token was lost"
    );
    assert_eq!(
        rotations.borrow_and_update().as_deref(),
        Some(&*stored),
        "run {run}: the watch channel does not end on the stored token"
    );
    adopted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn out_of_order_storm_always_ends_with_the_highest_iat() {
    for run in 0..RUNS {
        let adopted = storm(run).await;
        // At least the newest token was adopted; an older one can be adopted only before
        // something newer arrived, so adoptions never exceed the offers.
        assert!(
            (1..=TASKS).contains(&adopted),
            "run {run}: {adopted} adoptions"
        );
    }
}

/// One causal storm: each task reads the current token (sends its request), then the
/// "server" issues the next `iat` when it receives the request, and the response arrives
/// after a random delay. Responses to requests sent with the token still current take the
/// cell's fast path (adopted without decoding); the others are compared. Returns the number
/// of adoptions.
async fn causal_storm(run: usize) -> usize {
    let cell = Arc::new(TokenCell::new(Some(jwt(BASE_IAT, usize::MAX))));
    let next_iat = Arc::new(AtomicI64::new(BASE_IAT + 1));
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|jti| {
            let (cell, next_iat, barrier) = (
                Arc::clone(&cell),
                Arc::clone(&next_iat),
                Arc::clone(&barrier),
            );
            tokio::spawn(async move {
                let (before, after) = {
                    let mut rng = rand::rng();
                    (rng.random_range(0..4u32), rng.random_range(0..1_500u64))
                };
                barrier.wait().await;
                for _ in 0..before {
                    tokio::task::yield_now().await;
                }
                let sent = cell.current();
                // The server receives the request and rotates: a token newer than any so far.
                let iat = next_iat.fetch_add(1, Ordering::AcqRel);
                let candidate = jwt(iat, jti);
                if after >= 500 {
                    tokio::time::sleep(Duration::from_micros(after)).await;
                } else {
                    tokio::task::yield_now().await;
                }
                let adoption = cell.offer(sent.as_ref(), candidate);
                let now = iat_of(&cell.current().unwrap());
                assert!(
                    now >= iat,
                    "run {run}: {iat} was offered but {now} is stored"
                );
                adoption
            })
        })
        .collect();
    let mut adopted = 0;
    for task in tasks {
        match task.await.unwrap() {
            Adoption::Adopted => adopted += 1,
            Adoption::Stale => {}
            Adoption::Unchanged => panic!("run {run}: every token of the storm is distinct"),
        }
    }
    let highest = next_iat.load(Ordering::Acquire) - 1;
    assert_eq!(highest, BASE_IAT + TASKS as i64);
    assert_eq!(
        iat_of(&cell.current().unwrap()),
        highest,
        "run {run}: the newest token was lost"
    );
    adopted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn causal_storm_with_rotations_of_the_current_token_ends_with_the_highest_iat() {
    for run in 0..RUNS {
        let adopted = causal_storm(run).await;
        assert!(
            (1..=TASKS).contains(&adopted),
            "run {run}: {adopted} adoptions"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_rotated_token_offered_by_many_responses_is_adopted_once() {
    let cell = Arc::new(TokenCell::new(Some(jwt(BASE_IAT, 0))));
    let sent = cell.current();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (cell, sent) = (Arc::clone(&cell), sent.clone());
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                cell.offer(sent.as_ref(), jwt(BASE_IAT + 1, 1))
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let adopted = outcomes.iter().filter(|o| o.is_adopted()).count();
    assert_eq!(adopted, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Adoption::Adopted | Adoption::Unchanged))
    );
    assert_eq!(iat_of(&cell.current().unwrap()), BASE_IAT + 1);
}

#[test]
fn old_token_arriving_late_is_ignored() {
    let cell = TokenCell::new(None);
    assert_eq!(cell.offer(None, jwt(BASE_IAT + 2, 2)), Adoption::Adopted);
    assert_eq!(cell.offer(None, jwt(BASE_IAT + 1, 1)), Adoption::Stale);
    assert_eq!(iat_of(&cell.current().unwrap()), BASE_IAT + 2);
}

#[test]
fn logout_during_a_storm_is_not_undone_by_late_responses() {
    let cell = TokenCell::new(Some(jwt(BASE_IAT, 0)));
    let sent = cell.current();
    assert_eq!(
        cell.offer(sent.as_ref(), jwt(BASE_IAT + 1, 1)),
        Adoption::Adopted
    );
    cell.clear();
    for i in 2..50 {
        assert_eq!(
            cell.offer(sent.as_ref(), jwt(BASE_IAT + i, i as usize)),
            Adoption::Stale
        );
    }
    assert!(cell.current().is_none());
}

#[test]
fn nothing_formatted_shows_a_token() {
    let token = jwt(BASE_IAT, 7);
    let raw = token.expose().to_owned();
    let signature = raw.rsplit('.').next().unwrap().to_owned();
    let cell = TokenCell::new(Some(token.clone()));
    let rejected: Vec<TokenRejected> = [
        format!("Basic {raw}"),
        raw.clone(),
        format!("bearer {raw} {raw}"),
        format!("bearer {raw}\t"),
    ]
    .iter()
    .map(|value| {
        BearerToken::from_header_value(&HeaderValue::from_str(value).unwrap()).unwrap_err()
    })
    .collect();
    let printed = format!(
        "{token:?} {token:#?} {cell:?} {cell:#?} {:?} {:?} {rejected:?} {}",
        token.header_value(),
        token.claims(),
        rejected
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(!printed.contains(&signature), "{printed}");
    assert!(!printed.contains(&raw[..20]), "{printed}");
}

#[test]
fn interleaved_offers_from_parallel_threads_never_lose_the_newest() {
    // Each thread offers every THREADS-th iat in ascending order, so neighbouring iats are
    // offered by different threads at nearly the same moment: adoptions race constantly.
    const THREADS: i64 = 4;
    const PER_THREAD: i64 = 2_000;
    for run in 0..RUNS {
        let cell = TokenCell::new(Some(jwt(BASE_IAT, 0)));
        let sent = cell.current();
        std::thread::scope(|scope| {
            for thread in 0..THREADS {
                let (cell, sent) = (&cell, sent.clone());
                scope.spawn(move || {
                    let mut last_seen = BASE_IAT;
                    for step in 0..PER_THREAD {
                        let iat = BASE_IAT + 1 + step * THREADS + thread;
                        cell.offer(sent.as_ref(), jwt(iat, usize::try_from(iat).unwrap()));
                        let now = iat_of(&cell.current().unwrap());
                        assert!(
                            now >= last_seen,
                            "run {run}: went back from {last_seen} to {now}"
                        );
                        assert!(
                            now >= iat,
                            "run {run}: {iat} was offered but {now} is stored"
                        );
                        last_seen = now;
                    }
                });
            }
        });
        assert_eq!(
            iat_of(&cell.current().unwrap()),
            BASE_IAT + THREADS * PER_THREAD
        );
    }
}
