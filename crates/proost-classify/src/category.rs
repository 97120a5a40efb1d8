//! The category ids of `shared/PII_CATEGORIES.md`, their sensitivity and default mask.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A personal-data category. Serialises as its stable id (`"email"`, `"special.health"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Name,
    Email,
    Phone,
    StreetAddress,
    PostalCode,
    City,
    GeoLocation,
    IpAddress,
    MacAddress,
    DeviceId,
    Username,
    UrlPersonal,
    VehicleId,
    DateOfBirth,
    Age,
    Gender,
    Nationality,
    MaritalStatus,
    Job,
    NationalId,
    PassportNumber,
    DriversLicense,
    TaxId,
    CreditCard,
    BankAccount,
    Income,
    Credentials,
    Health,
    Genetic,
    Biometric,
    EthnicOrigin,
    PoliticalOpinion,
    Religion,
    TradeUnion,
    SexualOrientation,
    CriminalRecord,
}

/// How much harm exposure of a category can do; ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    Low,
    Medium,
    High,
    Special,
}

/// The mask a confirmed category gets unless an admin picks another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaskKind {
    /// Replace the whole value.
    Redact,
    /// Keep a recognisable fragment (`j***@example.com`, `**** 4242`).
    Partial,
    /// A keyed hash: joins still work, the value does not show.
    Hash,
    /// Coarsen (birth year, postcode area, age band, network prefix).
    Generalize,
}

use Category::*;

impl Category {
    /// Every category, in the order of `PII_CATEGORIES.md`.
    pub const ALL: &'static [Category] = &[
        Name,
        Email,
        Phone,
        StreetAddress,
        PostalCode,
        City,
        GeoLocation,
        IpAddress,
        MacAddress,
        DeviceId,
        Username,
        UrlPersonal,
        VehicleId,
        DateOfBirth,
        Age,
        Gender,
        Nationality,
        MaritalStatus,
        Job,
        NationalId,
        PassportNumber,
        DriversLicense,
        TaxId,
        CreditCard,
        BankAccount,
        Income,
        Credentials,
        Health,
        Genetic,
        Biometric,
        EthnicOrigin,
        PoliticalOpinion,
        Religion,
        TradeUnion,
        SexualOrientation,
        CriminalRecord,
    ];

    /// The stable id, exactly as in `PII_CATEGORIES.md`.
    pub fn id(self) -> &'static str {
        match self {
            Name => "name",
            Email => "email",
            Phone => "phone",
            StreetAddress => "street_address",
            PostalCode => "postal_code",
            City => "city",
            GeoLocation => "geo_location",
            IpAddress => "ip_address",
            MacAddress => "mac_address",
            DeviceId => "device_id",
            Username => "username",
            UrlPersonal => "url_personal",
            VehicleId => "vehicle_id",
            DateOfBirth => "date_of_birth",
            Age => "age",
            Gender => "gender",
            Nationality => "nationality",
            MaritalStatus => "marital_status",
            Job => "job",
            NationalId => "national_id",
            PassportNumber => "passport_number",
            DriversLicense => "drivers_license",
            TaxId => "tax_id",
            CreditCard => "credit_card",
            BankAccount => "bank_account",
            Income => "income",
            Credentials => "credentials",
            Health => "special.health",
            Genetic => "special.genetic",
            Biometric => "special.biometric",
            EthnicOrigin => "special.ethnic_origin",
            PoliticalOpinion => "special.political_opinion",
            Religion => "special.religion",
            TradeUnion => "special.trade_union",
            SexualOrientation => "special.sexual_orientation",
            CriminalRecord => "criminal_record",
        }
    }

    /// The category with this id, if any (`"none"` is not a category).
    pub fn from_id(id: &str) -> Option<Category> {
        Self::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// GDPR Article 9 special categories, and Article 10 criminal data.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            Health
                | Genetic
                | Biometric
                | EthnicOrigin
                | PoliticalOpinion
                | Religion
                | TradeUnion
                | SexualOrientation
                | CriminalRecord
        )
    }

    pub fn sensitivity(self) -> Sensitivity {
        if self.is_special() {
            return Sensitivity::Special;
        }
        match self {
            NationalId | PassportNumber | DriversLicense | TaxId | CreditCard | BankAccount
            | Income | Credentials => Sensitivity::High,
            Name | Email | Phone | StreetAddress | GeoLocation | IpAddress | MacAddress
            | DeviceId | Username | UrlPersonal | VehicleId | DateOfBirth => Sensitivity::Medium,
            _ => Sensitivity::Low,
        }
    }

    pub fn default_mask(self) -> MaskKind {
        if self.is_special() {
            return MaskKind::Redact;
        }
        match self {
            Email | Phone | CreditCard | BankAccount | Name => MaskKind::Partial,
            NationalId | TaxId | PassportNumber | DriversLicense | Username | DeviceId
            | MacAddress | VehicleId => MaskKind::Hash,
            DateOfBirth | PostalCode | Age | GeoLocation | IpAddress | Income => {
                MaskKind::Generalize
            }
            _ => MaskKind::Redact,
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Category {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Category {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Id;
        impl serde::de::Visitor<'_> for Id {
            type Value = Category;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a personal-data category id such as \"email\" or \"special.health\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Category, E> {
                Category::from_id(v).ok_or_else(|| {
                    E::custom(format_args!("`{v}` is not a personal-data category id"))
                })
            }
        }
        d.deserialize_str(Id)
    }
}
