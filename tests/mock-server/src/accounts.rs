//! User accounts and the email-driven flows: password reset and registration by invitation.
//! Sent emails land in the outbox, where tests read the one-time tokens.

use std::collections::HashMap;
use std::time::SystemTime;

use destiny_gen::Secret;
use destiny_gen::types::User;

use crate::inspection::{OutboxKind, OutboxMessage};
use crate::seed::{self, SEEDED_INVITATION, SEEDED_USERS, Scope};

/// The shortest new password the server accepts.
pub(crate) const MIN_PASSWORD_CHARS: usize = 8;

/// A user account.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub(crate) record: User,
    pub(crate) scope: Scope,
    password: Secret,
}

#[derive(Debug)]
struct Invitation {
    username: String,
    email: String,
    scope: Scope,
    used: bool,
}

#[derive(Debug)]
struct ResetTicket {
    user_id: i64,
    used: bool,
}

/// A field-level validation failure, for `warn_fields`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl FieldProblem {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Why an invitation could not be created.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// The username or email address already belongs to an account or an open invitation.
    #[error("`{0}` is already taken by an account or an invitation; choose another")]
    Taken(String),
    /// The scope names a partner, agency or client that is not seeded.
    #[error(
        "{0} does not exist; use a seeded partner, agency or client (see `destiny_mock::seed`)"
    )]
    UnknownScope(Scope),
}

/// All accounts of one server.
#[derive(Debug)]
pub(crate) struct Accounts {
    users: Vec<Account>,
    invitations: HashMap<String, Invitation>,
    resets: HashMap<String, ResetTicket>,
    outbox: Vec<OutboxMessage>,
    next_user_id: i64,
}

impl Accounts {
    /// The seeded users and the seeded invitation (already in the outbox).
    pub(crate) fn seeded(now: SystemTime) -> Self {
        let users = SEEDED_USERS
            .iter()
            .map(|user| Account {
                record: seed::seeded_user_record(user),
                scope: user.scope,
                password: Secret::from(user.password),
            })
            .collect();
        let mut accounts = Self {
            users,
            invitations: HashMap::new(),
            resets: HashMap::new(),
            outbox: Vec::new(),
            next_user_id: 8420,
        };
        accounts.add_invitation(
            SEEDED_INVITATION.token.to_owned(),
            SEEDED_INVITATION.username,
            SEEDED_INVITATION.email,
            SEEDED_INVITATION.scope,
            now,
        );
        accounts
    }

    fn find_by_login(&self, login: &str) -> Option<&Account> {
        self.users.iter().find(|account| {
            account.record.username == login
                || account
                    .record
                    .email
                    .as_deref()
                    .is_some_and(|email| email.eq_ignore_ascii_case(login))
        })
    }

    /// The account for `login` (a username, or an email address in any case) if `password`
    /// is its password.
    pub(crate) fn authenticate(&self, login: &str, password: &str) -> Option<&Account> {
        self.find_by_login(login)
            .filter(|account| account.password.expose() == password)
    }

    pub(crate) fn by_id(&self, id: i64) -> Option<&Account> {
        self.users.iter().find(|account| account.record.id == id)
    }

    /// Records a reset ticket for the account named by `login` and "emails" it; returns the
    /// address it went to, or `None` for an unknown account.
    pub(crate) fn request_reset(&mut self, login: &str, now: SystemTime) -> Option<String> {
        let account = self.find_by_login(login)?;
        let (user_id, username) = (account.record.id, account.record.username.clone());
        let email = account.record.email.clone().unwrap_or_default();
        let token = format!("{:020x}", rand::random::<u128>() >> 48);
        self.resets.insert(
            token.clone(),
            ResetTicket {
                user_id,
                used: false,
            },
        );
        self.outbox.push(OutboxMessage {
            kind: OutboxKind::PasswordReset,
            to: email.clone(),
            username,
            token: Secret::from(token),
            sent_at: now,
        });
        Some(email)
    }

    /// Sets a new password with a one-time reset token.
    pub(crate) fn complete_reset(
        &mut self,
        token: &str,
        password: &str,
        confirmation: &str,
    ) -> Result<(), Vec<FieldProblem>> {
        let user_id = match self.resets.get(token) {
            None => {
                return Err(vec![FieldProblem::new(
                    "token",
                    "This password reset token is unknown; request a new reset email.",
                )]);
            }
            Some(ticket) if ticket.used => {
                return Err(vec![FieldProblem::new(
                    "token",
                    "This password reset token was already used; request a new reset email.",
                )]);
            }
            Some(ticket) => ticket.user_id,
        };
        check_new_password(password, confirmation)?;
        if let Some(ticket) = self.resets.get_mut(token) {
            ticket.used = true;
        }
        if let Some(account) = self.users.iter_mut().find(|a| a.record.id == user_id) {
            account.password = Secret::from(password);
        }
        Ok(())
    }

    /// Creates an invitation and "emails" its registration token.
    pub(crate) fn invite(
        &mut self,
        username: &str,
        email: &str,
        scope: Scope,
        now: SystemTime,
    ) -> Result<Secret, InviteError> {
        let taken = |name: &str| {
            self.find_by_login(name).is_some()
                || self
                    .invitations
                    .values()
                    .any(|i| !i.used && (i.username == name || i.email.eq_ignore_ascii_case(name)))
        };
        if !seed::scope_exists(scope) {
            return Err(InviteError::UnknownScope(scope));
        }
        for name in [username, email] {
            if taken(name) {
                return Err(InviteError::Taken(name.to_owned()));
            }
        }
        let token = format!("reg-{:016x}", rand::random::<u64>());
        self.add_invitation(token.clone(), username, email, scope, now);
        Ok(Secret::from(token))
    }

    fn add_invitation(
        &mut self,
        token: String,
        username: &str,
        email: &str,
        scope: Scope,
        now: SystemTime,
    ) {
        self.outbox.push(OutboxMessage {
            kind: OutboxKind::Invitation,
            to: email.to_owned(),
            username: username.to_owned(),
            token: Secret::from(token.as_str()),
            sent_at: now,
        });
        self.invitations.insert(
            token,
            Invitation {
                username: username.to_owned(),
                email: email.to_owned(),
                scope,
                used: false,
            },
        );
    }

    /// Activates the invited account for `token`; returns its record.
    pub(crate) fn complete_registration(
        &mut self,
        token: &str,
        password: &str,
        confirmation: &str,
        first_name: Option<String>,
        last_name: Option<String>,
    ) -> Result<User, Vec<FieldProblem>> {
        match self.invitations.get(token) {
            None => {
                return Err(vec![FieldProblem::new(
                    "token",
                    "This registration token is unknown; ask for a new invitation.",
                )]);
            }
            Some(invitation) if invitation.used => {
                return Err(vec![FieldProblem::new(
                    "token",
                    "This registration token was already used; log in instead.",
                )]);
            }
            Some(_) => {}
        }
        check_new_password(password, confirmation)?;
        let Some(invitation) = self.invitations.get_mut(token) else {
            return Err(vec![FieldProblem::new(
                "token",
                "This registration token is unknown.",
            )]);
        };
        invitation.used = true;
        let id = self.next_user_id;
        self.next_user_id += 1;
        let record = seed::user_record(
            id,
            &invitation.username,
            &invitation.email,
            first_name,
            last_name,
            invitation.scope,
        );
        self.users.push(Account {
            record: record.clone(),
            scope: invitation.scope,
            password: Secret::from(password),
        });
        Ok(record)
    }

    pub(crate) fn outbox(&self) -> Vec<OutboxMessage> {
        self.outbox.clone()
    }
}

fn check_new_password(password: &str, confirmation: &str) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        problems.push(FieldProblem::new(
            "password",
            format!("The password must be at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if password != confirmation {
        problems.push(FieldProblem::new(
            "password_confirmation",
            "The password confirmation does not match the password.",
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_accepts_the_username_or_the_email_in_any_case() {
        let accounts = Accounts::seeded(SystemTime::now());
        assert!(accounts.authenticate("demo", "secret").is_some());
        assert!(accounts.authenticate("DEMO@mail.com", "secret").is_some());
        assert!(accounts.authenticate("demo", "Secret").is_none());
        assert!(accounts.authenticate("Demo", "secret").is_none());
    }

    #[test]
    fn a_failed_reset_attempt_does_not_use_up_the_token() {
        let mut accounts = Accounts::seeded(SystemTime::now());
        accounts.request_reset("demo", SystemTime::now()).unwrap();
        let token = accounts.outbox().last().unwrap().token.expose().to_owned();
        let problems = accounts
            .complete_reset(&token, "long-enough", "different")
            .unwrap_err();
        assert_eq!(problems[0].field, "password_confirmation");
        assert_eq!(
            accounts.complete_reset(&token, "long-enough", "long-enough"),
            Ok(())
        );
        assert!(accounts.authenticate("demo", "long-enough").is_some());
    }

    #[test]
    fn an_invitation_cannot_reuse_an_existing_username_or_email() {
        let mut accounts = Accounts::seeded(SystemTime::now());
        let now = SystemTime::now();
        let taken = accounts.invite("demo", "fresh@mail.com", Scope::Client(100), now);
        assert_eq!(taken, Err(InviteError::Taken("demo".to_owned())));
        let taken = accounts.invite("fresh", "NEWCOMER@mail.com", Scope::Client(100), now);
        assert!(taken.is_err());
    }
}
