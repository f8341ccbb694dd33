//! [`Scope`]: where in the partner → agency → client hierarchy a permission is checked.

/// The part of the partner → agency → client hierarchy a permission check applies to.
///
/// Start from [`Scope::any`] or one of the constructors and narrow it with the `with_*`
/// methods; each level set becomes a query parameter (`partner_id`, `agency_id`,
/// `client_id`) of the permission check.
///
/// ```
/// use destiny_api::Scope;
///
/// let everywhere = Scope::any();
/// assert_eq!(everywhere.client_id(), None);
///
/// let one_client = Scope::partner(1).with_agency(20).with_client(42);
/// assert_eq!(one_client.partner_id(), Some(1));
/// assert_eq!(one_client.agency_id(), Some(20));
/// assert_eq!(one_client.client_id(), Some(42));
/// assert_eq!(Scope::client(42), Scope::any().with_client(42));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    partner_id: Option<i64>,
    agency_id: Option<i64>,
    client_id: Option<i64>,
}

impl Scope {
    /// No narrowing: the check applies wherever the user has access.
    pub const fn any() -> Self {
        Self {
            partner_id: None,
            agency_id: None,
            client_id: None,
        }
    }

    /// Within one partner.
    pub const fn partner(id: i64) -> Self {
        Self::any().with_partner(id)
    }

    /// Within one agency.
    pub const fn agency(id: i64) -> Self {
        Self::any().with_agency(id)
    }

    /// Within one client.
    pub const fn client(id: i64) -> Self {
        Self::any().with_client(id)
    }

    /// Narrows to a partner as well.
    #[must_use]
    pub const fn with_partner(mut self, id: i64) -> Self {
        self.partner_id = Some(id);
        self
    }

    /// Narrows to an agency as well.
    #[must_use]
    pub const fn with_agency(mut self, id: i64) -> Self {
        self.agency_id = Some(id);
        self
    }

    /// Narrows to a client as well.
    #[must_use]
    pub const fn with_client(mut self, id: i64) -> Self {
        self.client_id = Some(id);
        self
    }

    /// The partner, if the scope names one.
    pub const fn partner_id(&self) -> Option<i64> {
        self.partner_id
    }

    /// The agency, if the scope names one.
    pub const fn agency_id(&self) -> Option<i64> {
        self.agency_id
    }

    /// The client, if the scope names one.
    pub const fn client_id(&self) -> Option<i64> {
        self.client_id
    }
}
