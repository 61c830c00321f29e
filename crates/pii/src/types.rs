//! The kinds of personal and sensitive data astrola recognises, with the
//! classification level and the regulations each one matters for.

use serde::Serialize;

/// A kind of personal or sensitive data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PiiType {
    /// An email address.
    Email,
    /// A telephone or fax number.
    Phone,
    /// A person's name (first, last, full, maiden ...).
    PersonName,
    /// A login or handle that identifies a person.
    Username,
    /// A postal street address.
    StreetAddress,
    /// A ZIP or postal code.
    PostalCode,
    /// A city or town.
    City,
    /// Latitude/longitude or another precise location.
    GeoLocation,
    /// A date of birth.
    DateOfBirth,
    /// A person's age.
    Age,
    /// Gender or sex.
    Gender,
    /// A US Social Security number.
    UsSsn,
    /// A UK NHS number (mod 11 check digit).
    UkNhs,
    /// A Spanish DNI/NIF (check letter).
    EsDni,
    /// A Spanish NIE (foreigner's number, check letter).
    EsNie,
    /// A Brazilian CPF (two mod 11 check digits).
    BrCpf,
    /// An Indian Aadhaar number (Verhoeff check digit).
    InAadhaar,
    /// A French NIR (social security number, mod 97 key).
    FrNir,
    /// A German Steuer-ID (tax identification number, ISO 7064 check digit).
    DeTaxId,
    /// A national identity number of a scheme named only by the column.
    NationalId,
    /// A tax identification number of a scheme named only by the column.
    TaxId,
    /// A passport number.
    Passport,
    /// A driver's licence number.
    DriverLicense,
    /// A payment card number (or its security code / expiry, by name).
    CreditCard,
    /// An International Bank Account Number (ISO 13616).
    Iban,
    /// A bank account or routing number.
    BankAccount,
    /// A SWIFT/BIC bank identifier code (ISO 9362).
    SwiftBic,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A MAC (hardware) address.
    MacAddress,
    /// A URL. Recognised in text; a column finding only when it carries credentials (then [`PiiType::Secret`]).
    Url,
    /// A password or password hash.
    Password,
    /// A secret: API key, access token, JWT, private key, URL with credentials.
    Secret,
    /// A vehicle identification number (ISO 3779, with the North American check digit).
    Vin,
    /// A vehicle licence plate.
    LicensePlate,
    /// Health data: diagnoses, medications, medical record numbers.
    HealthData,
    /// Biometric data.
    Biometric,
    /// A GDPR special category other than health and biometrics: ethnicity, religion, politics, sexual orientation, union membership.
    SpecialCategory,
}

/// Every type, in declaration order.
pub const ALL_TYPES: [PiiType; 37] = {
    use PiiType::*;
    [
        Email, Phone, PersonName, Username, StreetAddress, PostalCode, City, GeoLocation, DateOfBirth, Age, Gender, UsSsn, UkNhs, EsDni, EsNie, BrCpf, InAadhaar, FrNir, DeTaxId, NationalId,
        TaxId, Passport, DriverLicense, CreditCard, Iban, BankAccount, SwiftBic, IpAddress, MacAddress, Url, Password, Secret, Vin, LicensePlate, HealthData, Biometric, SpecialCategory,
    ]
};

/// How carefully data must be handled, from least to most sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// May be published.
    Public,
    /// Internal use; not identifying by itself.
    Internal,
    /// Identifies or contacts a person.
    Confidential,
    /// Government IDs, financial accounts, credentials, special categories.
    Restricted,
}

/// A regulation a finding matters for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Regulation {
    /// EU General Data Protection Regulation.
    #[serde(rename = "GDPR")]
    Gdpr,
    /// California Consumer Privacy Act (as amended by CPRA).
    #[serde(rename = "CCPA")]
    Ccpa,
    /// US Health Insurance Portability and Accountability Act (the 18 PHI identifiers).
    #[serde(rename = "HIPAA")]
    Hipaa,
    /// Payment Card Industry Data Security Standard.
    #[serde(rename = "PCI-DSS")]
    PciDss,
}

impl Regulation {
    /// The usual spelling (`GDPR`, `PCI-DSS`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gdpr => "GDPR",
            Self::Ccpa => "CCPA",
            Self::Hipaa => "HIPAA",
            Self::PciDss => "PCI-DSS",
        }
    }
}

impl PiiType {
    /// The snake_case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        use PiiType::*;
        match self {
            Email => "email",
            Phone => "phone",
            PersonName => "person_name",
            Username => "username",
            StreetAddress => "street_address",
            PostalCode => "postal_code",
            City => "city",
            GeoLocation => "geo_location",
            DateOfBirth => "date_of_birth",
            Age => "age",
            Gender => "gender",
            UsSsn => "us_ssn",
            UkNhs => "uk_nhs",
            EsDni => "es_dni",
            EsNie => "es_nie",
            BrCpf => "br_cpf",
            InAadhaar => "in_aadhaar",
            FrNir => "fr_nir",
            DeTaxId => "de_tax_id",
            NationalId => "national_id",
            TaxId => "tax_id",
            Passport => "passport",
            DriverLicense => "driver_license",
            CreditCard => "credit_card",
            Iban => "iban",
            BankAccount => "bank_account",
            SwiftBic => "swift_bic",
            IpAddress => "ip_address",
            MacAddress => "mac_address",
            Url => "url",
            Password => "password",
            Secret => "secret",
            Vin => "vin",
            LicensePlate => "license_plate",
            HealthData => "health_data",
            Biometric => "biometric",
            SpecialCategory => "special_category",
        }
    }

    /// The type called `name` (its [`PiiType::as_str`]).
    pub fn from_name(name: &str) -> Option<Self> {
        ALL_TYPES.iter().copied().find(|t| t.as_str() == name)
    }

    /// This type's bit in a [`TypeMask`].
    pub const fn bit(self) -> TypeMask {
        1u64 << (self as u8)
    }

    /// The classification level of data of this type.
    pub fn level(self) -> Level {
        use PiiType::*;
        match self {
            UsSsn | UkNhs | EsDni | EsNie | BrCpf | InAadhaar | FrNir | DeTaxId | NationalId | TaxId | Passport | DriverLicense | CreditCard | Iban | BankAccount | Password | Secret
            | HealthData | Biometric | SpecialCategory => Level::Restricted,
            Email | Phone | PersonName | Username | StreetAddress | GeoLocation | DateOfBirth | IpAddress | MacAddress | Vin | LicensePlate => Level::Confidential,
            PostalCode | City | Age | Gender | SwiftBic | Url => Level::Internal,
        }
    }

    /// The regulations that name data of this type.
    ///
    /// GDPR covers any data relating to an identifiable person; CCPA lists
    /// identifiers and "sensitive personal information"; HIPAA's list is the 18
    /// identifiers that make health data PHI; PCI-DSS covers cardholder data.
    pub fn regulations(self) -> &'static [Regulation] {
        use PiiType::*;
        use Regulation::*;
        match self {
            CreditCard => &[Gdpr, Ccpa, PciDss],
            Email | Phone | PersonName | StreetAddress | PostalCode | City | GeoLocation | DateOfBirth | IpAddress | Vin | LicensePlate | Biometric | HealthData | UsSsn | DriverLicense
            | BankAccount | Iban => &[Gdpr, Ccpa, Hipaa],
            MacAddress => &[Gdpr, Ccpa, Hipaa],
            UkNhs => &[Gdpr, Hipaa],
            Username | Passport | NationalId | TaxId | EsDni | EsNie | BrCpf | InAadhaar | FrNir | DeTaxId | Password | SpecialCategory => &[Gdpr, Ccpa],
            Age | Gender => &[Gdpr, Ccpa],
            Secret | SwiftBic | Url => &[],
        }
    }

    /// The more general type this one is an instance of, if any: every
    /// national ID scheme is a [`PiiType::NationalId`], an IBAN is a
    /// [`PiiType::BankAccount`]. Used to combine name and value evidence.
    pub fn parent(self) -> Option<Self> {
        use PiiType::*;
        match self {
            UsSsn | UkNhs | EsDni | EsNie | BrCpf | InAadhaar | FrNir => Some(NationalId),
            DeTaxId => Some(TaxId),
            Iban => Some(BankAccount),
            _ => None,
        }
    }

    /// Whether evidence for `other` supports this type: the same type, or
    /// one is the other's parent (a `national_id` column holding DNIs).
    pub fn compatible(self, other: Self) -> bool {
        self == other || self.parent() == Some(other) || other.parent() == Some(self) || (matches!(self, TaxId | NationalId) && matches!(other, TaxId | NationalId))
    }
}

use PiiType::{NationalId, TaxId};

impl std::fmt::Display for PiiType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`PiiType`]s as a bit mask (bit `t as u8` for type `t`).
pub type TypeMask = u64;

/// The types set in `mask`, in declaration order.
pub fn types_in(mask: TypeMask) -> impl Iterator<Item = PiiType> {
    ALL_TYPES.into_iter().filter(move |t| mask & t.bit() != 0)
}
