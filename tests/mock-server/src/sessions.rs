//! Login sessions and their tokens: issue, authenticate, rotate, revoke.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use destiny_gen::Secret;

use crate::clock::unix_seconds;
use crate::config::RotationPolicy;
use crate::inspection::{IssueReason, IssuedToken};
use crate::tokens::{TokenClaims, TokenError, TokenSigner};

/// The authenticated caller of a request, put in the request's extensions by the pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Caller {
    pub(crate) user_id: i64,
    pub(crate) session: u64,
}

#[derive(Debug)]
struct Session {
    current: String,
    requests_since_rotation: u32,
    rotated_at: SystemTime,
    revoked: bool,
}

#[derive(Debug)]
struct TokenRecord {
    session: u64,
    expires_at: SystemTime,
}

/// All sessions of one server.
#[derive(Debug)]
pub(crate) struct SessionStore {
    validity: Duration,
    sessions: HashMap<u64, Session>,
    tokens: HashMap<String, TokenRecord>,
    issued: Vec<IssuedToken>,
    next_session: u64,
    last_iat: i64,
}

impl SessionStore {
    pub(crate) fn new(validity: Duration) -> Self {
        Self {
            validity,
            sessions: HashMap::new(),
            tokens: HashMap::new(),
            issued: Vec::new(),
            next_session: 1,
            last_iat: i64::MIN,
        }
    }

    /// Starts a session for `user_id` and returns its first token.
    pub(crate) fn open(&mut self, signer: &TokenSigner, user_id: i64, now: SystemTime) -> String {
        let session = self.next_session;
        self.next_session += 1;
        let token = self.issue(signer, session, user_id, now, IssueReason::Login);
        self.sessions.insert(
            session,
            Session {
                current: token.clone(),
                requests_since_rotation: 0,
                rotated_at: now,
                revoked: false,
            },
        );
        token
    }

    fn issue(
        &mut self,
        signer: &TokenSigner,
        session: u64,
        user_id: i64,
        now: SystemTime,
        reason: IssueReason,
    ) -> String {
        let iat = unix_seconds(now).max(self.last_iat.saturating_add(1));
        self.last_iat = iat;
        let expires_at = now + self.validity;
        let claims = TokenClaims {
            sub: user_id,
            iat,
            exp: unix_seconds(expires_at),
            jti: format!("{:032x}", rand::random::<u128>()),
        };
        let token = signer.sign(&claims);
        self.tokens.insert(
            claims.jti.clone(),
            TokenRecord {
                session,
                expires_at,
            },
        );
        self.issued.push(IssuedToken {
            token: Secret::from(token.as_str()),
            claims,
            session,
            reason,
            issued_at: now,
            expires_at,
            revoked: false,
        });
        token
    }

    /// Who `token` belongs to, if it is genuine, known, unexpired and not logged out.
    pub(crate) fn authenticate(
        &self,
        signer: &TokenSigner,
        token: &str,
        now: SystemTime,
    ) -> Result<Caller, TokenError> {
        let claims = signer.verify(token)?;
        let record = self.tokens.get(&claims.jti).ok_or(TokenError::Unknown)?;
        let session = self
            .sessions
            .get(&record.session)
            .ok_or(TokenError::Unknown)?;
        if session.revoked {
            return Err(TokenError::Revoked);
        }
        if now >= record.expires_at {
            return Err(TokenError::Expired);
        }
        Ok(Caller {
            user_id: claims.sub,
            session: record.session,
        })
    }

    /// Counts one authenticated request of `caller`'s session and, when `policy` says it is
    /// time, replaces the session's token; returns the new one.
    pub(crate) fn rotate_if_due(
        &mut self,
        signer: &TokenSigner,
        caller: Caller,
        policy: RotationPolicy,
        now: SystemTime,
    ) -> Option<String> {
        let session = self.sessions.get_mut(&caller.session)?;
        if session.revoked {
            return None;
        }
        session.requests_since_rotation = session.requests_since_rotation.saturating_add(1);
        let due = match policy {
            RotationPolicy::Never => false,
            RotationPolicy::EveryResponse => true,
            RotationPolicy::EveryRequests(n) => session.requests_since_rotation >= n.max(1),
            RotationPolicy::Every(period) => now
                .duration_since(session.rotated_at)
                .is_ok_and(|elapsed| elapsed >= period),
        };
        if !due {
            return None;
        }
        let token = self.issue(
            signer,
            caller.session,
            caller.user_id,
            now,
            IssueReason::Rotation,
        );
        let session = self.sessions.get_mut(&caller.session)?;
        session.current = token.clone();
        session.requests_since_rotation = 0;
        session.rotated_at = now;
        Some(token)
    }

    /// The newest token of `session`, unless it was logged out.
    pub(crate) fn current_token(&self, session: u64) -> Option<&str> {
        self.sessions
            .get(&session)
            .filter(|s| !s.revoked)
            .map(|s| s.current.as_str())
    }

    /// Logs `session` out: none of its tokens is accepted any more.
    pub(crate) fn revoke(&mut self, session: u64) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.revoked = true;
        }
    }

    pub(crate) fn is_revoked(&self, session: u64) -> bool {
        self.sessions.get(&session).is_none_or(|s| s.revoked)
    }

    /// Every token issued so far, oldest first.
    pub(crate) fn issued(&self) -> Vec<IssuedToken> {
        self.issued
            .iter()
            .map(|token| IssuedToken {
                revoked: self.is_revoked(token.session),
                ..token.clone()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

    #[test]
    fn tokens_issued_in_the_same_second_still_get_increasing_iat() {
        let signer = TokenSigner::random();
        let mut store = SessionStore::new(WEEK);
        let now = SystemTime::now();
        let first = store.open(&signer, 1, now);
        let caller = store.authenticate(&signer, &first, now).unwrap();
        for _ in 0..5 {
            store.rotate_if_due(&signer, caller, RotationPolicy::EveryResponse, now);
        }
        let iats: Vec<i64> = store.issued().iter().map(|t| t.claims.iat).collect();
        assert_eq!(iats.len(), 6);
        assert!(iats.windows(2).all(|w| w[0] < w[1]), "{iats:?}");
    }

    #[test]
    fn every_third_request_rotates_on_the_third() {
        let signer = TokenSigner::random();
        let mut store = SessionStore::new(WEEK);
        let now = SystemTime::now();
        let token = store.open(&signer, 1, now);
        let caller = store.authenticate(&signer, &token, now).unwrap();
        let policy = RotationPolicy::EveryRequests(3);
        let rotated: Vec<bool> = (0..6)
            .map(|_| store.rotate_if_due(&signer, caller, policy, now).is_some())
            .collect();
        assert_eq!(rotated, [false, false, true, false, false, true]);
    }
}
