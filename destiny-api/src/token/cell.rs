//! [`TokenCell`]: the single source of truth for the current token, and the rules that decide
//! whether a token received on a response replaces it.

use std::cmp::Ordering as Order;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwap;
use tokio::sync::watch;

use super::BearerToken;

/// What [`TokenCell::offer`] did with a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adoption {
    /// The token replaced the stored one (or filled an empty cell).
    Adopted,
    /// The token is the one already stored.
    Unchanged,
    /// The token was ignored: it is not newer than the stored one, or the request that brought
    /// it was sent before the cell was [replaced](TokenCell::replace) or
    /// [cleared](TokenCell::clear).
    Stale,
}

impl Adoption {
    /// `true` for [`Adoption::Adopted`].
    pub fn is_adopted(self) -> bool {
        self == Adoption::Adopted
    }
}

/// What the cell holds: the token, and the generation it belongs to. A generation starts at
/// [`TokenCell::new`], [`TokenCell::replace`] and [`TokenCell::clear`]; rotations adopted by
/// [`TokenCell::offer`] stay in the generation of the token they replace.
#[derive(Debug)]
struct Slot {
    token: Option<Arc<BearerToken>>,
    generation: u64,
}

/// Source of generation numbers, unique in the process (0 is `NOT_STORED`).
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    NEXT_GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// The current bearer token, shared by every request of a client.
///
/// Reading it ([`TokenCell::current`]) takes no lock and allocates nothing: it is an
/// [`arc_swap`] load and a reference-count increment. Changing it is an atomic
/// compare-and-swap, so concurrent changes never lose one another.
///
/// # How a received token is judged
///
/// [`TokenCell::offer`] is called with every valid token a response carries:
///
/// 1. the same value as the stored token: [`Adoption::Unchanged`];
/// 2. the request was sent with a token of an earlier generation (the cell was
///    [replaced](TokenCell::replace), e.g. by a login, or [cleared](TokenCell::clear), e.g. by
///    a logout, while it was in flight): [`Adoption::Stale`], so a late response can neither
///    bring back a logged-out session nor switch back to a previous login;
/// 3. the cell is empty: [`Adoption::Adopted`];
/// 4. the request was sent with the very token the cell still holds (`sent` is the same
///    [`Arc`] as [`TokenCell::current`] returns now): [`Adoption::Adopted`] without decoding
///    either token. Nothing changed while the request was in flight, so the response's token
///    is a rotation of the current one. This assumes a *causal* server: a response to a
///    request carrying token `T` never carries a token issued before `T` (the Destiny API
///    issues the rotated token when it handles the request, so it holds);
/// 5. both tokens are JWTs with an `iat`: adopted only if the new one is strictly newer (later
///    `iat`, or the same `iat` and a later `exp`), else [`Adoption::Stale`]; an older token
///    arriving late never replaces a newer one. The claims are decoded on first use and kept
///    with the token, so each token is decoded at most once;
/// 6. otherwise (either token cannot be ordered): the later arrival wins.
///
/// The decision and the swap form one compare-and-swap loop: if another change lands in
/// between, the decision is made again against it.
///
/// # Observing changes
///
/// [`TokenCell::subscribe`] returns a [`watch::Receiver`] that is notified whenever the stored
/// token changes value (adoption, replacement, clearing), e.g. to persist or share it.
///
/// ```
/// use std::sync::Arc;
/// use destiny_api::token::{Adoption, BearerToken, TokenCell};
///
/// let cell = TokenCell::new(Some(BearerToken::new("first")?));
/// let sent = cell.current();
///
/// // A response to that request carries a rotated token: it is adopted.
/// let rotated = BearerToken::new("second")?;
/// assert_eq!(cell.offer(sent.as_ref(), rotated.clone()), Adoption::Adopted);
/// assert_eq!(cell.current().as_deref(), Some(&rotated));
///
/// // The next request sends the new token.
/// assert_eq!(cell.current().unwrap().header_value(), "bearer second");
///
/// // After logout, a late response to a request sent before it is not adopted.
/// cell.clear();
/// assert_eq!(cell.offer(sent.as_ref(), BearerToken::new("third")?), Adoption::Stale);
/// assert!(cell.current().is_none());
/// # Ok::<(), destiny_api::token::TokenRejected>(())
/// ```
pub struct TokenCell {
    slot: ArcSwap<Slot>,
    changes: watch::Sender<Option<Arc<BearerToken>>>,
}

impl TokenCell {
    /// A cell holding `initial` (e.g. a token loaded from a store), or empty.
    pub fn new(initial: Option<BearerToken>) -> TokenCell {
        let generation = next_generation();
        let token = initial.map(|token| stamped(token, generation));
        let (changes, _) = watch::channel(token.clone());
        TokenCell {
            slot: ArcSwap::from_pointee(Slot { token, generation }),
            changes,
        }
    }

    /// The current token, to send with a request. Lock-free; allocates nothing.
    ///
    /// Keep the returned `Arc` with the request and pass it back as `sent` to
    /// [`TokenCell::offer`] when the response arrives.
    pub fn current(&self) -> Option<Arc<BearerToken>> {
        self.slot.load().token.clone()
    }

    /// Offers a token received on a response; it replaces the current one only under the
    /// rules in the [type documentation](TokenCell#how-a-received-token-is-judged).
    ///
    /// `sent` is the token the request was sent with, as returned by
    /// [`TokenCell::current`] (or `None` if it was sent without one). It only serves to
    /// recognise responses to requests sent before a [`replace`](TokenCell::replace) or a
    /// [`clear`](TokenCell::clear); a token that did not come from this cell is not taken into
    /// account.
    pub fn offer(&self, sent: Option<&Arc<BearerToken>>, candidate: BearerToken) -> Adoption {
        let candidate = Arc::new(candidate);
        let mut reason = "";
        let outcome = self.store_if(&candidate, |seen| match judge(seen, sent, &candidate) {
            Verdict::Adopt(why) => {
                reason = why;
                Ok(seen.generation)
            }
            Verdict::Keep(adoption, why) => Err((adoption, why, seen.token.clone())),
        });
        match outcome {
            Ok(previous) => {
                tracing::debug!(
                    previous = %fingerprint_of(previous.as_ref()),
                    adopted = %candidate.fingerprint(),
                    "adopted a rotated bearer token: {reason}"
                );
                Adoption::Adopted
            }
            Err((adoption, why, current)) => {
                tracing::debug!(
                    offered = %candidate.fingerprint(),
                    current = %fingerprint_of(current.as_ref()),
                    outcome = ?adoption,
                    "kept the current bearer token: {why}"
                );
                adoption
            }
        }
    }

    /// Stores `token` unconditionally and starts a new generation (after a login).
    ///
    /// Responses to requests sent before this call can no longer change the token. Replacing
    /// the token with the value it already has changes nothing.
    pub fn replace(&self, token: BearerToken) {
        let token = Arc::new(token);
        let generation = next_generation();
        let outcome = self.store_if(&token, |seen| {
            if seen.token.as_deref() == Some(&*token) {
                Err(())
            } else {
                Ok(generation)
            }
        });
        if let Ok(previous) = outcome {
            tracing::debug!(
                previous = %fingerprint_of(previous.as_ref()),
                stored = %token.fingerprint(),
                "replaced the bearer token"
            );
        }
    }

    /// Empties the cell and starts a new generation (logout).
    ///
    /// Responses to requests sent before this call can no longer store a token.
    pub fn clear(&self) {
        let previous = self.slot.swap(Arc::new(Slot {
            token: None,
            generation: next_generation(),
        }));
        tracing::debug!(
            previous = %fingerprint_of(previous.token.as_ref()),
            "cleared the bearer token"
        );
        self.publish();
    }

    /// The current generation: it changes with every [`replace`](TokenCell::replace) that
    /// stores a new value and every [`clear`](TokenCell::clear), not with adoptions.
    pub(crate) fn generation(&self) -> u64 {
        self.slot.load().generation
    }

    /// A receiver that sees the stored token each time it changes value.
    ///
    /// ```
    /// use destiny_api::token::{BearerToken, TokenCell};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let cell = TokenCell::new(None);
    /// let mut rotations = cell.subscribe();
    /// cell.replace(BearerToken::new("abc")?);
    /// rotations.changed().await?;
    /// assert_eq!(rotations.borrow_and_update().as_ref().unwrap().expose(), "abc");
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self) -> watch::Receiver<Option<Arc<BearerToken>>> {
        self.changes.subscribe()
    }

    /// The compare-and-swap loop behind [`offer`](TokenCell::offer) and
    /// [`replace`](TokenCell::replace).
    ///
    /// `decide` looks at the cell and either names the generation under which `token` is to
    /// be stored, or refuses with a value that is returned as is. If another change lands
    /// between the decision and the swap, `decide` runs again against it. Returns the token
    /// that was replaced.
    fn store_if<R>(
        &self,
        token: &Arc<BearerToken>,
        mut decide: impl FnMut(&Slot) -> Result<u64, R>,
    ) -> Result<Option<Arc<BearerToken>>, R> {
        let mut seen = self.slot.load();
        loop {
            let generation = decide(&seen)?;
            // `token` is not visible to other threads until the swap below succeeds.
            token.set_generation(generation);
            let next = Arc::new(Slot {
                token: Some(Arc::clone(token)),
                generation,
            });
            let previous = self.slot.compare_and_swap(&seen, next);
            if Arc::ptr_eq(&previous, &seen) {
                let replaced = seen.token.clone();
                drop((previous, seen));
                self.publish();
                return Ok(replaced);
            }
            seen = previous;
        }
    }

    /// Brings the watch channel up to date with the cell.
    ///
    /// The value is read from the cell while the channel's lock is held, so whichever change
    /// publishes last sends the latest value: the channel can skip intermediate tokens but
    /// never ends on an older one.
    fn publish(&self) {
        self.changes.send_if_modified(|seen| {
            let now = self.slot.load().token.clone();
            let changed = seen.as_deref() != now.as_deref();
            *seen = now;
            changed
        });
    }
}

impl Default for TokenCell {
    /// An empty cell.
    fn default() -> Self {
        TokenCell::new(None)
    }
}

impl fmt::Debug for TokenCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCell")
            .field("current", &self.current())
            .finish()
    }
}

enum Verdict {
    Adopt(&'static str),
    Keep(Adoption, &'static str),
}

/// The rules of [`TokenCell::offer`], applied to one snapshot of the cell.
fn judge(slot: &Slot, sent: Option<&Arc<BearerToken>>, candidate: &BearerToken) -> Verdict {
    if slot.token.as_deref() == Some(candidate) {
        return Verdict::Keep(Adoption::Unchanged, "same token");
    }
    if let Some(sent) = sent
        && sent.generation() != super::bearer::NOT_STORED
        && sent.generation() != slot.generation
    {
        return Verdict::Keep(
            Adoption::Stale,
            "the request was sent before the token was replaced or cleared",
        );
    }
    let Some(current) = slot.token.as_ref() else {
        return Verdict::Adopt("no token was stored");
    };
    if sent.is_some_and(|sent| Arc::ptr_eq(sent, current)) {
        // Nothing changed while the request was in flight: the answer's token is a rotation
        // of the current one, newer by causality. No decoding.
        return Verdict::Adopt("a rotation of the token the request was sent with");
    }
    let order = candidate
        .claims()
        .zip(current.claims())
        .and_then(|(offered, stored)| offered.issue_order(stored));
    match order {
        Some(Order::Greater) => Verdict::Adopt("issued later"),
        Some(_) => Verdict::Keep(Adoption::Stale, "not issued later than the current token"),
        None => Verdict::Adopt("cannot be ordered, so the later arrival wins"),
    }
}

fn stamped(token: BearerToken, generation: u64) -> Arc<BearerToken> {
    token.set_generation(generation);
    Arc::new(token)
}

fn fingerprint_of(token: Option<&Arc<BearerToken>>) -> String {
    token.map_or_else(|| "none".to_owned(), |token| token.fingerprint())
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;

    fn jwt(iat: i64, exp: i64) -> BearerToken {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"iat":{iat},"exp":{exp}}}"#));
        BearerToken::new(format!("eyJ0eXAiOiJKV1QifQ.{payload}.sig")).unwrap()
    }

    fn token(raw: &str) -> BearerToken {
        BearerToken::new(raw).unwrap()
    }

    fn current_raw(cell: &TokenCell) -> Option<String> {
        cell.current().map(|token| token.expose().to_owned())
    }

    #[test]
    fn empty_cell_adopts_the_first_token() {
        let cell = TokenCell::new(None);
        assert_eq!(cell.offer(None, token("a")), Adoption::Adopted);
        assert_eq!(current_raw(&cell).as_deref(), Some("a"));
    }

    #[test]
    fn same_token_again_is_unchanged() {
        let cell = TokenCell::new(Some(token("a")));
        let sent = cell.current();
        assert_eq!(cell.offer(sent.as_ref(), token("a")), Adoption::Unchanged);
        assert!(Arc::ptr_eq(
            &cell.current().unwrap(),
            sent.as_ref().unwrap()
        ));
    }

    #[test]
    fn newer_jwt_replaces_an_older_one() {
        let cell = TokenCell::new(Some(jwt(100, 200)));
        let newer = jwt(101, 200);
        assert_eq!(cell.offer(None, newer.clone()), Adoption::Adopted);
        assert_eq!(cell.current().as_deref(), Some(&newer));
    }

    #[test]
    fn old_token_arriving_late_is_ignored() {
        let cell = TokenCell::new(None);
        let sent = cell.current();
        let newest = jwt(300, 900);
        assert_eq!(cell.offer(sent.as_ref(), newest.clone()), Adoption::Adopted);
        assert_eq!(cell.offer(sent.as_ref(), jwt(200, 900)), Adoption::Stale);
        assert_eq!(cell.offer(sent.as_ref(), jwt(299, 9999)), Adoption::Stale);
        assert_eq!(cell.current().as_deref(), Some(&newest));
    }

    #[test]
    fn rotation_of_the_token_still_current_is_adopted_without_comparing() {
        // The request was sent with the token the cell still holds: the server's answer is a
        // rotation of it (a causal server issues it later), so it is adopted as is, even if
        // its claims would say otherwise. This is the fast path of every quiet rotation.
        let cell = TokenCell::new(Some(jwt(500, 900)));
        let sent = cell.current();
        assert_eq!(cell.offer(sent.as_ref(), jwt(400, 900)), Adoption::Adopted);
        assert_eq!(cell.current().unwrap().claims().unwrap().iat, Some(400));
        // A token that is no longer current is compared again.
        assert_eq!(cell.offer(sent.as_ref(), jwt(300, 900)), Adoption::Stale);
        // An equal value (not the same Arc) sent by a foreign caller does not take the fast path.
        let lookalike = Arc::new(jwt(400, 900));
        assert_eq!(cell.offer(Some(&lookalike), jwt(399, 900)), Adoption::Stale);
    }

    #[test]
    fn equal_iat_is_decided_by_exp_and_a_full_tie_keeps_the_current_token() {
        let cell = TokenCell::new(Some(jwt(100, 500)));
        assert_eq!(cell.offer(None, jwt(100, 400)), Adoption::Stale);
        assert_eq!(cell.offer(None, jwt(100, 600)), Adoption::Adopted);
        let tie = BearerToken::new(format!("{}x", jwt(100, 600).expose())).unwrap();
        assert_eq!(cell.offer(None, tie), Adoption::Stale);
        assert_eq!(cell.current().unwrap().claims().unwrap().exp, Some(600));
    }

    #[test]
    fn tokens_that_cannot_be_ordered_follow_arrival_order() {
        let cell = TokenCell::new(Some(jwt(500, 900)));
        assert_eq!(cell.offer(None, token("opaque-1")), Adoption::Adopted);
        assert_eq!(cell.offer(None, token("opaque-2")), Adoption::Adopted);
        assert_eq!(cell.offer(None, jwt(1, 2)), Adoption::Adopted);
        assert_eq!(current_raw(&cell), Some(jwt(1, 2).expose().to_owned()));
    }

    #[test]
    fn late_response_after_logout_does_not_bring_the_token_back() {
        let cell = TokenCell::new(Some(jwt(100, 200)));
        let sent = cell.current();
        cell.clear();
        assert_eq!(cell.offer(sent.as_ref(), jwt(101, 200)), Adoption::Stale);
        assert!(cell.current().is_none());
    }

    #[test]
    fn late_response_after_a_new_login_does_not_switch_back() {
        let cell = TokenCell::new(Some(jwt(100, 200)));
        let sent_before_login = cell.current();
        cell.replace(jwt(150, 250));
        // Issued later than the login token, but to a request of the previous login.
        assert_eq!(
            cell.offer(sent_before_login.as_ref(), jwt(160, 260)),
            Adoption::Stale
        );
        assert_eq!(cell.current().unwrap().claims().unwrap().iat, Some(150));
        // Requests sent after the login still rotate normally.
        let sent_after_login = cell.current();
        assert_eq!(
            cell.offer(sent_after_login.as_ref(), jwt(170, 270)),
            Adoption::Adopted
        );
        // And tokens adopted by rotation keep the generation: their requests rotate too.
        let sent_after_rotation = cell.current();
        assert_eq!(
            cell.offer(sent_after_rotation.as_ref(), jwt(180, 280)),
            Adoption::Adopted
        );
        assert_eq!(
            cell.offer(sent_after_login.as_ref(), jwt(190, 290)),
            Adoption::Adopted
        );
    }

    #[test]
    fn replacing_with_the_current_value_keeps_requests_in_flight_valid() {
        let cell = TokenCell::new(None);
        assert_eq!(cell.offer(None, jwt(100, 200)), Adoption::Adopted);
        let sent = cell.current();
        cell.replace(jwt(100, 200));
        assert!(Arc::ptr_eq(
            &cell.current().unwrap(),
            sent.as_ref().unwrap()
        ));
        assert_eq!(cell.offer(sent.as_ref(), jwt(101, 200)), Adoption::Adopted);
    }

    #[test]
    fn sent_token_not_from_the_cell_is_not_taken_into_account() {
        let cell = TokenCell::new(Some(jwt(100, 200)));
        let foreign = Arc::new(jwt(100, 200));
        assert_eq!(cell.offer(Some(&foreign), jwt(101, 200)), Adoption::Adopted);
        let cleared = TokenCell::new(None);
        assert_eq!(cleared.offer(Some(&foreign), jwt(1, 2)), Adoption::Adopted);
    }

    #[test]
    fn replace_stores_unconditionally_even_an_older_token() {
        let cell = TokenCell::new(Some(jwt(500, 900)));
        cell.replace(jwt(1, 2));
        assert_eq!(cell.current().unwrap().claims().unwrap().iat, Some(1));
    }

    #[tokio::test]
    async fn subscribers_see_each_change_of_value_and_only_those() {
        let cell = TokenCell::new(Some(token("a")));
        let mut rotations = cell.subscribe();
        assert_eq!(rotations.borrow().as_deref(), Some(&token("a")));

        assert_eq!(cell.offer(None, token("a")), Adoption::Unchanged);
        assert!(!rotations.has_changed().unwrap());

        assert_eq!(cell.offer(None, token("b")), Adoption::Adopted);
        assert!(rotations.has_changed().unwrap());
        assert_eq!(rotations.borrow_and_update().as_deref(), Some(&token("b")));

        cell.replace(token("b"));
        assert!(!rotations.has_changed().unwrap());

        cell.clear();
        assert!(rotations.has_changed().unwrap());
        assert_eq!(*rotations.borrow_and_update(), None);

        cell.clear();
        assert!(!rotations.has_changed().unwrap());

        cell.replace(token("c"));
        assert_eq!(rotations.borrow_and_update().as_deref(), Some(&token("c")));
    }

    #[test]
    fn debug_of_the_cell_shows_only_the_fingerprint() {
        let cell = TokenCell::new(Some(token("s3cr3t-token")));
        let printed = format!("{cell:?} {:?}", Adoption::Adopted);
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert!(
            printed.contains(&token("s3cr3t-token").fingerprint()),
            "{printed}"
        );
    }

    #[test]
    fn reading_the_current_token_shares_the_stored_one() {
        let cell = TokenCell::new(Some(token("a")));
        let first = cell.current().unwrap();
        let second = cell.current().unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert!(std::ptr::eq(first.header_value(), second.header_value()));
    }
}
