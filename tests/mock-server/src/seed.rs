//! The data every server starts with: the partner → agency → client hierarchy, one user at
//! each level, and one pending invitation.
//!
//! | username | password | scope |
//! |---|---|---|
//! | `partner` | `partner-secret` | partner 1 (Acme Partners): agencies 10 and 11 and their clients |
//! | `agency` | `agency-secret` | agency 10 (North Agency): clients 100 and 101 |
//! | `demo` (id 8415, the documented example user) | `secret` | client 100 (Demo Client) |
//!
//! Emails are `<username>@mail.com`. A pending invitation for `newcomer`
//! (`newcomer@mail.com`, client 101) waits with registration token `reg-7d1e`.

use std::fmt;

use chrono::{DateTime, Utc};
use destiny_gen::types::{AccessLevel, AccountType, User};

/// Where in the hierarchy a user belongs, which bounds what it may act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A partner user: the partner, its agencies and their clients.
    Partner(i64),
    /// An agency user: the agency and its clients.
    Agency(i64),
    /// A client user: that client only.
    Client(i64),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Partner(id) => write!(f, "partner {id}"),
            Self::Agency(id) => write!(f, "agency {id}"),
            Self::Client(id) => write!(f, "client {id}"),
        }
    }
}

/// A partner: the top of the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partner {
    /// Partner id (`partner_id`).
    pub id: i64,
    /// Display name.
    pub name: &'static str,
}

/// An agency, belonging to a partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Agency {
    /// Agency id (`agency_id`).
    pub id: i64,
    /// The partner it belongs to.
    pub partner_id: i64,
    /// Display name.
    pub name: &'static str,
}

/// A client, belonging to an agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// Client id (`client_id`).
    pub id: i64,
    /// The agency it belongs to.
    pub agency_id: i64,
    /// Display name.
    pub name: &'static str,
}

/// The seeded partners.
pub const PARTNERS: &[Partner] = &[
    Partner {
        id: 1,
        name: "Acme Partners",
    },
    Partner {
        id: 2,
        name: "Globex Partners",
    },
];

/// The seeded agencies.
pub const AGENCIES: &[Agency] = &[
    Agency {
        id: 10,
        partner_id: 1,
        name: "North Agency",
    },
    Agency {
        id: 11,
        partner_id: 1,
        name: "South Agency",
    },
    Agency {
        id: 20,
        partner_id: 2,
        name: "Globex Agency",
    },
];

/// The seeded clients.
pub const CLIENTS: &[Client] = &[
    Client {
        id: 100,
        agency_id: 10,
        name: "Demo Client",
    },
    Client {
        id: 101,
        agency_id: 10,
        name: "Harbour Client",
    },
    Client {
        id: 110,
        agency_id: 11,
        name: "Meadow Client",
    },
    Client {
        id: 200,
        agency_id: 20,
        name: "Globex Client",
    },
];

/// A user every server starts with. These are test credentials, printed by the binary;
/// `Debug` still leaves the password out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SeededUser {
    /// User id.
    pub id: i64,
    /// Login name.
    pub username: &'static str,
    /// Email address (also accepted as the login name).
    pub email: &'static str,
    /// Password.
    pub password: &'static str,
    /// Where in the hierarchy the user acts.
    pub scope: Scope,
}

impl fmt::Debug for SeededUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeededUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .field("scope", &self.scope)
            .finish()
    }
}

/// The partner user (partner 1).
pub const PARTNER_USER: SeededUser = SeededUser {
    id: 8401,
    username: "partner",
    email: "partner@mail.com",
    password: "partner-secret",
    scope: Scope::Partner(1),
};

/// The agency user (agency 10).
pub const AGENCY_USER: SeededUser = SeededUser {
    id: 8402,
    username: "agency",
    email: "agency@mail.com",
    password: "agency-secret",
    scope: Scope::Agency(10),
};

/// The documented example user `demo` (id 8415), a client user (client 100).
pub const DEMO_USER: SeededUser = SeededUser {
    id: 8415,
    username: "demo",
    email: "demo@mail.com",
    password: "secret",
    scope: Scope::Client(100),
};

/// All seeded users, broadest scope first.
pub const SEEDED_USERS: &[SeededUser] = &[PARTNER_USER, AGENCY_USER, DEMO_USER];

/// An invited user who has not completed registration yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeededInvitation {
    /// The one-time registration token for `POST /auth/register/complete`.
    pub token: &'static str,
    /// The username the account will have.
    pub username: &'static str,
    /// The invitee's email address.
    pub email: &'static str,
    /// Where in the hierarchy the account will act.
    pub scope: Scope,
}

/// The invitation every server starts with (also in the outbox).
pub const SEEDED_INVITATION: SeededInvitation = SeededInvitation {
    token: "reg-7d1e",
    username: "newcomer",
    email: "newcomer@mail.com",
    scope: Scope::Client(101),
};

/// The seeded client with this id.
pub(crate) fn client(id: i64) -> Option<&'static Client> {
    CLIENTS.iter().find(|c| c.id == id)
}

pub(crate) fn agency(id: i64) -> Option<&'static Agency> {
    AGENCIES.iter().find(|a| a.id == id)
}

pub(crate) fn partner(id: i64) -> Option<&'static Partner> {
    PARTNERS.iter().find(|p| p.id == id)
}

/// Whether the partner, agency or client of `scope` is seeded.
pub(crate) fn scope_exists(scope: Scope) -> bool {
    match scope {
        Scope::Partner(id) => partner(id).is_some(),
        Scope::Agency(id) => agency(id).is_some(),
        Scope::Client(id) => client(id).is_some(),
    }
}

/// The user record the API returns for a user of `scope`.
pub(crate) fn user_record(
    id: i64,
    username: &str,
    email: &str,
    first_name: Option<String>,
    last_name: Option<String>,
    scope: Scope,
) -> User {
    let full_name = match (&first_name, &last_name) {
        (Some(first), Some(last)) => format!("{first} {last}"),
        (Some(only), None) | (None, Some(only)) => only.clone(),
        (None, None) => username.to_owned(),
    };
    User {
        id,
        account_type: Some(account_type(scope)),
        username: username.to_owned(),
        email: Some(email.to_owned()),
        title: None,
        first_name,
        last_name,
        full_name: Some(full_name),
    }
}

/// The record of a seeded user; `demo` matches the documented example.
pub(crate) fn seeded_user_record(user: &SeededUser) -> User {
    user_record(
        user.id,
        user.username,
        user.email,
        Some(user.username.to_owned()),
        None,
        user.scope,
    )
}

fn account_type(scope: Scope) -> AccountType {
    let (id, name, level, level_name, product_code) = match scope {
        Scope::Partner(_) => (11, "Partner: Reseller", 3, "Partner", "PROD/PARTNER"),
        Scope::Agency(_) => (12, "Agency: Standard", 5, "Agency", "PROD/AGENCY"),
        Scope::Client(_) => (13, "Client: Demo Package", 7, "Client", "PROD/DEMO"),
    };
    AccountType {
        id,
        name: name.to_owned(),
        description: None,
        access_level: AccessLevel {
            level,
            name: level_name.to_owned(),
        },
        product_code: Some(product_code.to_owned()),
        created_at: timestamp("2020-02-12T15:54:26+02:00"),
        updated_at: timestamp("2020-10-29T13:35:12+02:00"),
    }
}

fn timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeded_client_agency_and_user_scope_exists_in_the_hierarchy() {
        for c in CLIENTS {
            let a = agency(c.agency_id).unwrap();
            assert!(partner(a.partner_id).is_some());
        }
        for user in SEEDED_USERS {
            assert!(scope_exists(user.scope), "{user:?}");
        }
        assert!(scope_exists(SEEDED_INVITATION.scope));
    }

    #[test]
    fn the_demo_record_matches_the_documented_example() {
        let record = serde_json::to_value(seeded_user_record(&DEMO_USER)).unwrap();
        assert_eq!(record["id"], 8415);
        assert_eq!(record["username"], "demo");
        assert_eq!(record["email"], "demo@mail.com");
        assert_eq!(record["full_name"], "demo");
        assert_eq!(record["account_type"]["id"], 13);
        assert_eq!(record["account_type"]["access_level"]["level"], 7);
        assert_eq!(record["account_type"]["product_code"], "PROD/DEMO");
    }

    #[test]
    fn debug_of_a_seeded_user_leaves_the_password_out() {
        assert!(!format!("{DEMO_USER:?}").contains(DEMO_USER.password));
    }
}
