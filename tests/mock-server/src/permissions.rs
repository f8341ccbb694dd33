//! The permission table and the scoping rule behind
//! `GET /auth/permission/{resource}/action/{action}`.
//!
//! A user may perform an action when the table grants it to the user's level **and** the
//! target (the most specific of `client_id`, `agency_id`, `partner_id`; the user's own scope
//! when none is given) lies within the user's scope: a partner user acts within its partner,
//! its agencies and their clients; an agency user within its agency and its clients; a client
//! user only for its client.

use crate::seed::{self, Scope};

/// The level of the hierarchy a user belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Partner users.
    Partner,
    /// Agency users.
    Agency,
    /// Client users.
    Client,
}

impl Scope {
    /// The level of the hierarchy this scope is at.
    pub fn level(self) -> Level {
        match self {
            Self::Partner(_) => Level::Partner,
            Self::Agency(_) => Level::Agency,
            Self::Client(_) => Level::Client,
        }
    }
}

/// One row of the permission table: who may perform `action` on `resource`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PermissionRule {
    /// The resource, as in the path (`clients`).
    pub resource: &'static str,
    /// The action, as in the path (`view`).
    pub action: &'static str,
    /// The levels the action is granted to (still bounded by the scoping rule).
    pub levels: &'static [Level],
}

const ALL: &[Level] = &[Level::Partner, Level::Agency, Level::Client];
const PARTNER_AND_AGENCY: &[Level] = &[Level::Partner, Level::Agency];
const PARTNER_ONLY: &[Level] = &[Level::Partner];

const fn rule(
    resource: &'static str,
    action: &'static str,
    levels: &'static [Level],
) -> PermissionRule {
    PermissionRule {
        resource,
        action,
        levels,
    }
}

/// The permission table. A resource/action pair that is not listed answers 422.
pub const PERMISSION_TABLE: &[PermissionRule] = &[
    rule("partners", "view", PARTNER_ONLY),
    rule("partners", "update", PARTNER_ONLY),
    rule("agencies", "view", PARTNER_AND_AGENCY),
    rule("agencies", "create", PARTNER_ONLY),
    rule("agencies", "update", PARTNER_AND_AGENCY),
    rule("clients", "view", ALL),
    rule("clients", "create", PARTNER_AND_AGENCY),
    rule("clients", "update", PARTNER_AND_AGENCY),
    rule("units", "view", ALL),
    rule("units", "create", ALL),
    rule("units", "update", ALL),
    rule("units", "delete", PARTNER_AND_AGENCY),
    rule("users", "view", PARTNER_AND_AGENCY),
    rule("users", "create", PARTNER_AND_AGENCY),
];

/// The optional scope of a permission question, from the query string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub(crate) struct TargetQuery {
    pub(crate) partner_id: Option<i64>,
    pub(crate) agency_id: Option<i64>,
    pub(crate) client_id: Option<i64>,
}

/// Why a permission question has no answer; each names the query field at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PermissionError {
    #[error("Unknown resource `{0}`; see the permission table.")]
    UnknownResource(String),
    #[error("Unknown action `{action}` on resource `{resource}`; see the permission table.")]
    UnknownAction { resource: String, action: String },
    #[error("No partner has id {0}.")]
    UnknownPartner(i64),
    #[error("No agency has id {0}.")]
    UnknownAgency(i64),
    #[error("No client has id {0}.")]
    UnknownClient(i64),
    #[error("Agency {agency} does not belong to partner {partner}.")]
    AgencyOutsidePartner { agency: i64, partner: i64 },
    #[error("Client {client} does not belong to agency {agency}.")]
    ClientOutsideAgency { client: i64, agency: i64 },
}

impl PermissionError {
    /// The request field the message belongs to, for `warn_fields`.
    pub(crate) fn field(&self) -> &'static str {
        match self {
            Self::UnknownResource(_) => "resource",
            Self::UnknownAction { .. } => "action",
            Self::UnknownPartner(_) | Self::AgencyOutsidePartner { .. } => "partner_id",
            Self::UnknownAgency(_) | Self::ClientOutsideAgency { .. } => "agency_id",
            Self::UnknownClient(_) => "client_id",
        }
    }
}

/// The place a permission question is about, resolved to its ancestors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Own,
    Partner(i64),
    Agency {
        agency: i64,
        partner: i64,
    },
    Client {
        client: i64,
        agency: i64,
        partner: i64,
    },
}

fn resolve(query: TargetQuery) -> Result<Target, PermissionError> {
    let partner_matches = |actual: i64, agency: i64| match query.partner_id {
        Some(partner) if partner != actual => {
            Err(PermissionError::AgencyOutsidePartner { agency, partner })
        }
        _ => Ok(()),
    };
    if let Some(partner) = query.partner_id {
        seed::partner(partner).ok_or(PermissionError::UnknownPartner(partner))?;
    }
    if let Some(id) = query.client_id {
        let client = seed::client(id).ok_or(PermissionError::UnknownClient(id))?;
        let agency = seed::agency(client.agency_id)
            .ok_or(PermissionError::UnknownAgency(client.agency_id))?;
        if let Some(asked) = query.agency_id {
            seed::agency(asked).ok_or(PermissionError::UnknownAgency(asked))?;
            if asked != agency.id {
                return Err(PermissionError::ClientOutsideAgency {
                    client: id,
                    agency: asked,
                });
            }
        }
        partner_matches(agency.partner_id, agency.id)?;
        return Ok(Target::Client {
            client: id,
            agency: agency.id,
            partner: agency.partner_id,
        });
    }
    if let Some(id) = query.agency_id {
        let agency = seed::agency(id).ok_or(PermissionError::UnknownAgency(id))?;
        partner_matches(agency.partner_id, id)?;
        return Ok(Target::Agency {
            agency: id,
            partner: agency.partner_id,
        });
    }
    Ok(query.partner_id.map_or(Target::Own, Target::Partner))
}

fn within(scope: Scope, target: Target) -> bool {
    match (scope, target) {
        (_, Target::Own) => true,
        (Scope::Partner(mine), Target::Partner(p))
        | (Scope::Partner(mine), Target::Agency { partner: p, .. })
        | (Scope::Partner(mine), Target::Client { partner: p, .. }) => mine == p,
        (Scope::Agency(mine), Target::Agency { agency: a, .. })
        | (Scope::Agency(mine), Target::Client { agency: a, .. }) => mine == a,
        (Scope::Client(mine), Target::Client { client: c, .. }) => mine == c,
        _ => false,
    }
}

/// May a user of `scope` perform `action` on `resource` within `query`?
pub(crate) fn is_allowed(
    scope: Scope,
    resource: &str,
    action: &str,
    query: TargetQuery,
) -> Result<bool, PermissionError> {
    if !PERMISSION_TABLE.iter().any(|r| r.resource == resource) {
        return Err(PermissionError::UnknownResource(resource.to_owned()));
    }
    let rule = PERMISSION_TABLE
        .iter()
        .find(|r| r.resource == resource && r.action == action)
        .ok_or_else(|| PermissionError::UnknownAction {
            resource: resource.to_owned(),
            action: action.to_owned(),
        })?;
    let target = resolve(query)?;
    Ok(rule.levels.contains(&scope.level()) && within(scope, target))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: i64) -> TargetQuery {
        TargetQuery {
            client_id: Some(id),
            ..TargetQuery::default()
        }
    }

    #[test]
    fn a_partner_user_acts_on_clients_of_its_own_agencies_only() {
        let partner = Scope::Partner(1);
        assert_eq!(
            is_allowed(partner, "clients", "create", client(110)),
            Ok(true)
        );
        assert_eq!(
            is_allowed(partner, "clients", "create", client(200)),
            Ok(false)
        );
    }

    #[test]
    fn a_client_user_cannot_act_at_agency_level_even_with_a_granted_action() {
        let query = TargetQuery {
            agency_id: Some(10),
            ..TargetQuery::default()
        };
        assert_eq!(
            is_allowed(Scope::Client(100), "units", "view", query),
            Ok(false)
        );
    }

    #[test]
    fn a_client_outside_the_named_agency_is_a_field_error() {
        let query = TargetQuery {
            agency_id: Some(11),
            client_id: Some(100),
            ..TargetQuery::default()
        };
        let err = is_allowed(Scope::Partner(1), "clients", "view", query).unwrap_err();
        assert_eq!(err.field(), "agency_id");
    }

    #[test]
    fn an_unlisted_pair_is_an_error_not_a_refusal() {
        let err = is_allowed(Scope::Partner(1), "clients", "explode", client(100)).unwrap_err();
        assert_eq!(err.field(), "action");
        let err = is_allowed(Scope::Partner(1), "rockets", "view", client(100)).unwrap_err();
        assert_eq!(err.field(), "resource");
    }
}
